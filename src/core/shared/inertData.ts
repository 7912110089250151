// The one rule that keeps data a user or a model controls (frontmatter, input values, rows, test cases)
// from reaching an object's prototype: keys are checked after parsing (never in the raw text, where
// escapes hide them), at every depth, by every reader.

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Data nested deeper than this is refused rather than walked (no stack overflow, no unchecked depth). */
export const MAX_DATA_DEPTH = 64;

/** A key, or a part of a dotted key (Dotprompt expands `a.b`), that would reach a prototype. */
export function isForbiddenKeyPath(key: string): boolean {
  return key.split('.').some((part) => FORBIDDEN_KEYS.has(part));
}

export class ForbiddenDataError extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ForbiddenDataError';
  }
}

/**
 * Throws a message naming the key (and `what` holds it) when `value` holds a key that reaches a
 * prototype, at any depth, or nests deeper than `MAX_DATA_DEPTH`.
 */
export function refuseForbiddenKeys(value: unknown, what: string): void {
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof Date) return;
    if (depth > MAX_DATA_DEPTH)
      throw new ForbiddenDataError(`${what} is nested more than ${MAX_DATA_DEPTH} levels deep: flatten it.`);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        if (typeof k === 'string') check(k);
        visit(x, depth + 1);
      }
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      check(k);
      visit((v as Record<string, unknown>)[k], depth + 1);
    }
  };
  const check = (k: string) => {
    if (isForbiddenKeyPath(k))
      throw new ForbiddenDataError(
        `${what}: the key \`${k}\` is refused: \`__proto__\`, \`constructor\` and \`prototype\` cannot be keys. Rename it.`,
        k,
      );
  };
  visit(value, 0);
}

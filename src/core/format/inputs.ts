// Whether an input (a test case, a batch row) gives the template every value it needs. Pure and light
// (a type-only import of the analysis), so the main bundle can use it without loading the engine.
import { BedrockError } from '../shared/bedrockError';
import type { DeclaredInput, PromptAnalysis } from './analyze';

/** The prompt's first error as "line N: message", if it has one (a prompt with errors is never sent). */
function firstError(analysis: PromptAnalysis): string | undefined {
  const error = analysis.problems.find((p) => p.severity === 'error');
  return error && `line ${error.range.start.line + 1}: ${error.message}`;
}

/** Throws the "fix the prompt first" error that runs, compares and batch runs share. */
export function requireNoErrors(analysis: PromptAnalysis): void {
  const error = firstError(analysis);
  if (error) throw new BedrockError('PromptInvalid', `Fix the prompt first: ${error}`, ['showLog']);
}

/**
 * The inputs that `input` (given values, a test case, a batch row) leaves without a value although the
 * prompt needs them (`analysis.requiredInputs`: the one rule). Optional inputs are simply absent.
 */
export function missingVariables(analysis: PromptAnalysis, input: Record<string, unknown>): string[] {
  return analysis.requiredInputs.filter((n) => !Object.hasOwn(input, n) || input[n] === undefined);
}

/** Every input name the prompt knows (declared, or read by the template), declared ones first. */
export function inputNames(analysis: PromptAnalysis): string[] {
  return [...new Set([...analysis.declaredInputs.keys(), ...analysis.variables.map((v) => v.name)])];
}

/**
 * Why a prompt cannot be run with this input: its first error, or variables without a value. Said so
 * that the fix is clear; undefined when it can run.
 */
export function inputProblem(analysis: PromptAnalysis, input: Record<string, unknown>): string | undefined {
  const error = firstError(analysis);
  if (error) return `fix the prompt first: ${error}`;
  const missing = missingVariables(analysis, input);
  if (missing.length === 0) return undefined;
  const names = missing.map((n) => `{{${n}}}`).join(', ');
  return `no value for ${names}, and the prompt has no default: give ${missing.length > 1 ? 'them' : 'it'} in the input (keys given: ${Object.keys(input).join(', ') || 'none'}).`;
}

/** Why a value does not fit the input's declared type (undefined when it fits or the type is open). */
function inputValueProblem(
  decl: Pick<DeclaredInput, 'kind' | 'values'> | undefined,
  value: unknown,
): string | undefined {
  if (!decl || value === undefined) return undefined;
  switch (decl.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be text, not ${describeValue(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `must be a number, not ${describeValue(value)}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `must be a whole number, not ${describeValue(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${describeValue(value)}`;
    case 'enum':
      return (decl.values ?? []).some((v) => v === value)
        ? undefined
        : `must be one of ${(decl.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(value)}`;
    case 'array':
      return Array.isArray(value) ? undefined : `must be a list (JSON array), not ${describeValue(value)}`;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `must be an object (JSON), not ${describeValue(value)}`;
    default:
      return undefined;
  }
}

/** Every value that does not fit its declared type, as "`name` must be …". */
export function inputTypeProblems(analysis: PromptAnalysis, values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, decl] of analysis.declaredInputs) {
    if (!Object.hasOwn(values, name)) continue;
    const p = inputValueProblem(decl, values[name]);
    if (p) out.push(`\`${name}\` ${p}`);
  }
  return out;
}

/**
 * Text typed for an input, read by its type: numbers and booleans as such, objects and lists as JSON,
 * enums as one of their values. Returns the value or a problem to show under the input box.
 */
export function parseInputText(
  decl: Pick<DeclaredInput, 'kind' | 'values'> | undefined,
  text: string,
): { value?: unknown; problem?: string } {
  const kind = decl?.kind ?? 'string';
  let value: unknown = text;
  if (kind === 'number' || kind === 'integer') value = text.trim() === '' ? Number.NaN : Number(text);
  else if (kind === 'boolean') value = text === 'true' ? true : text === 'false' ? false : text;
  else if (kind === 'object' || kind === 'array') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { problem: `Not JSON: ${(err as Error).message}` };
    }
  } else if (kind === 'enum') value = (decl?.values ?? []).find((v) => String(v) === text) ?? text;
  const problem = inputValueProblem(decl, value);
  return problem ? { problem: `The value ${problem}.` } : { value };
}

/** A value as it reads in one line: text quoted and cut, others as JSON. */
export function describeValue(value: unknown, max = 40): string {
  if (value === undefined) return 'nothing';
  const s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

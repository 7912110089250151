// What a Handlebars template reads from its input, the way Handlebars resolves names: helpers are not
// values; `#each` / `#with` (and a partial given a context) change what a bare name refers to; block
// parameters (`as |item i|`), `this`, `../`, `@root`, data variables (`@index`, `@key`) and a partial's
// hash arguments are resolved to where they point. Only names that land on the top-level input are
// inputs. A use inside `{{#if x}}` / `{{#unless x}}` (or only the test itself) is guarded by `x`: the
// template renders without it, so it is never required.
//
// Pure: works on the AST `Handlebars.parse` gives, so the analyzer (diagnostics, CodeLens, hover) and
// every path that sends a prompt (run, compare, tests, batches, datasets) apply one rule.

/** Dotprompt's helpers, Handlebars' built-ins, and this extension's tool turns: never input values. */
export const KNOWN_HELPERS: ReadonlySet<string> = new Set([
  'role',
  'history',
  'section',
  'media',
  'json',
  'ifEquals',
  'unlessEquals',
  'toolUse',
  'toolResult',
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'log',
  'blockHelperMissing',
  'helperMissing',
]);

/** Helpers whose arguments are compared, not rendered: a missing value is simply falsy there. */
const TESTING_HELPERS = new Set(['if', 'unless', 'ifEquals', 'unlessEquals']);
/** Block helpers that render their body with the argument as the context. */
const CONTEXT_HELPERS = new Set(['each', 'with']);

/** How many positional values each helper takes (Handlebars and Dotprompt fail with their own internals otherwise). */
const HELPER_ARGUMENTS: Readonly<Record<string, { count: number; usage: string }>> = {
  if: { count: 1, usage: '{{#if value}}…{{/if}}' },
  unless: { count: 1, usage: '{{#unless value}}…{{/unless}}' },
  each: { count: 1, usage: '{{#each items}}…{{/each}}' },
  with: { count: 1, usage: '{{#with value}}…{{/with}}' },
  lookup: { count: 2, usage: '{{lookup object key}}' },
  ifEquals: { count: 2, usage: '{{#ifEquals a b}}…{{/ifEquals}}' },
  unlessEquals: { count: 2, usage: '{{#unlessEquals a b}}…{{/unlessEquals}}' },
  json: { count: 1, usage: '{{json value}}' },
  section: { count: 1, usage: '{{section "name"}}' },
  history: { count: 0, usage: '{{history}}' },
};
/** Helpers that need a block (`{{#name}}…{{/name}}`); used as `{{name}}` they fail inside Handlebars. */
const BLOCK_ONLY = new Set(['if', 'unless', 'each', 'with', 'ifEquals', 'unlessEquals', 'toolUse', 'toolResult']);

/** What is wrong with how a known helper is called (its number of values, block or not), or undefined. */
export function helperCallProblem(name: string, node: { type: string; params?: unknown[] }): string | undefined {
  const spec = HELPER_ARGUMENTS[name];
  const isBlock = node.type === 'BlockStatement';
  if (!isBlock && BLOCK_ONLY.has(name) && node.type === 'MustacheStatement')
    return `\`{{${name}}}\` is a block: write ${spec?.usage ?? `{{#${name} …}}…{{/${name}}}`}.`;
  const count = node.params?.length ?? 0;
  if (spec && count !== spec.count)
    return `\`${name}\` takes ${spec.count === 0 ? 'no value' : spec.count === 1 ? 'one value' : `${spec.count} values`}, not ${count}: write ${spec.usage}.`;
  return undefined;
}

/** The first helper called the wrong way in a template, with where it is (for the renderer; the analysis reports each). */
export function firstHelperCallProblem(ast: hbs.AST.Program): { message: string; line?: number } | undefined {
  let found: { message: string; line?: number } | undefined;
  const visit = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    const n = node as Node;
    if (
      (n.type === 'MustacheStatement' || n.type === 'BlockStatement' || n.type === 'SubExpression') &&
      n.path?.type === 'PathExpression' &&
      KNOWN_HELPERS.has(String(n.path.original))
    ) {
      const message = helperCallProblem(String(n.path.original), n);
      if (message) {
        found = { message, line: (n.loc as Loc)?.start.line };
        return;
      }
    }
    for (const key of ['body', 'program', 'inverse', 'params', 'hash', 'pairs', 'value'])
      for (const child of ([] as unknown[]).concat((n as Record<string, unknown>)[key] ?? [])) visit(child);
  };
  visit(ast);
  return found;
}

type Loc = hbs.AST.SourceLocation | undefined;
// The AST's node types are a union without an index signature; the walker reads fields by node type.
type Node = hbs.AST.Node & Record<string, any>;

export interface InputRead {
  /** The top-level input name. */
  name: string;
  loc: Loc;
  /** The template renders without it: only tested, or used under `{{#if name}}` / `{{#unless name}}`. */
  guarded: boolean;
  /** Read inside this partial (by way of the main template's partial call at `loc`). */
  viaPartial?: string;
}

export interface ScopeEvents {
  read(use: InputRead): void;
  /** A read of a data variable other than `@root` (`@passages`, `@index`), by its first name. */
  dataRead?(name: string, loc: Loc): void;
  /** A helper call (mustache, block or subexpression) by name, with its node. */
  helper?(name: string, node: Node): void;
  /** `{{foo bar}}` where foo is not a helper this template may call. */
  unknownHelper?(name: string, loc: Loc): void;
  partial?(name: string, node: Node): void;
  /** A partial that includes itself, directly or through others (`chain` ends where it started). */
  cycle?(chain: string[], loc: Loc): void;
}

export interface ScopeOptions {
  /** The parsed template of a partial, or undefined when it is unknown (or does not parse). */
  partialAst?: (name: string) => hbs.AST.Program | undefined;
  /** How deep partials may include partials before the walk stops (a partial including itself). */
  maxPartialDepth?: number;
}

interface Frame {
  /** true: names here are the prompt's inputs; false: an item, a `with` object, a partial's argument. */
  root: boolean;
  /** Names the frame adds on top (a partial's hash arguments). */
  locals?: ReadonlySet<string>;
}

interface State {
  frames: Frame[];
  /** Block parameters in scope (`as |x|`), innermost last. */
  blockParams: ReadonlySet<string>[];
  /** Input names tested by the enclosing `#if` / `#unless`. */
  guards: ReadonlySet<string>;
  partials: string[];
  /** Set while walking a partial's template: reads are reported at the call in the main template. */
  via?: { name: string; loc: Loc };
}

const EMPTY: ReadonlySet<string> = new Set();

/** Walks a parsed template and reports each read of a top-level input, with its place and guard. */
export function walkTemplate(ast: hbs.AST.Program, events: ScopeEvents, options: ScopeOptions = {}): void {
  const maxDepth = options.maxPartialDepth ?? 8;

  /** What a path points at: a top-level input name, or undefined (an item, a local, data). */
  const resolve = (path: Node, state: State): string | undefined => {
    const parts = (path.parts ?? []) as string[];
    if (path.data) return parts[0] === 'root' && parts[1] ? parts[1] : undefined;
    const scoped = /^(this\b|\.)/.test(String(path.original ?? ''));
    const depth = Number(path.depth ?? 0);
    if (!scoped && depth === 0 && parts.length > 0 && state.blockParams.some((p) => p.has(parts[0]))) return undefined;
    const frame = state.frames[state.frames.length - 1 - depth];
    if (!frame || parts.length === 0) return undefined;
    if (frame.locals?.has(parts[0])) return undefined;
    return frame.root ? parts[0] : undefined;
  };

  const report = (path: Node, state: State, tested: boolean) => {
    const first = (path.parts as string[] | undefined)?.[0];
    if (path.data && first && first !== 'root') events.dataRead?.(first, path.loc as Loc);
    const name = resolve(path, state);
    if (name === undefined) return;
    events.read({
      name,
      loc: state.via ? state.via.loc : (path.loc as Loc),
      guarded: tested || state.guards.has(name),
      viaPartial: state.via?.name,
    });
  };

  /** A value position (a helper argument, a hash value): a path is read; a subexpression is walked. */
  const value = (node: Node | undefined, state: State, tested: boolean) => {
    if (!node) return;
    if (node.type === 'PathExpression') report(node, state, tested);
    else if (node.type === 'SubExpression') call(node, state);
  };

  const isHelperName = (path: Node) =>
    path.type === 'PathExpression' &&
    !path.data &&
    Number(path.depth ?? 0) === 0 &&
    (path.parts as string[]).length === 1 &&
    !/^(this\b|\.)/.test(String(path.original));

  /** A mustache, block or subexpression: a helper call, or (without arguments) a value. */
  const call = (node: Node, state: State) => {
    const path = node.path as Node;
    const params = (node.params ?? []) as Node[];
    const hashValues = ((node.hash?.pairs ?? []) as Node[]).map((p) => p.value as Node);
    const isBlock = node.type === 'BlockStatement';
    const hasArgs = params.length > 0 || hashValues.length > 0;
    const name = path.type === 'PathExpression' ? String(path.original) : '';

    if (path.type !== 'PathExpression') {
      // A literal in call position (`{{"text"}}`, `{{true}}`): nothing is read.
      for (const p of [...params, ...hashValues]) value(p, state, false);
      return;
    }
    const helper = isHelperName(path) && KNOWN_HELPERS.has(name);
    if (helper) events.helper?.(name, node);
    else if (hasArgs && !path.data) events.unknownHelper?.(name, path.loc as Loc);
    else if (!hasArgs) report(path, state, isBlock); // `{{name}}`, `{{#name}}…{{/name}}` (a section)

    const tested = helper && TESTING_HELPERS.has(name);
    for (const p of params) value(p, state, tested);
    for (const v of hashValues) value(v, state, false);
    if (!isBlock) return;

    const program = node.program as Node | undefined;
    const inverse = node.inverse as Node | undefined;
    const innerParams = new Set(((program?.blockParams ?? []) as string[]).filter(Boolean));
    const withParams = (s: State): State =>
      innerParams.size > 0 ? { ...s, blockParams: [...s.blockParams, innerParams] } : s;

    if (helper && CONTEXT_HELPERS.has(name)) {
      // The body's bare names refer to the item (each) or the object (with); `{{else}}` keeps the context.
      walk(program, withParams({ ...state, frames: [...state.frames, { root: false }] }));
      walk(inverse, state);
    } else if (tested) {
      const guarded = new Set(state.guards);
      if (name === 'if' || name === 'unless') {
        const target = params[0]?.type === 'PathExpression' ? resolve(params[0], state) : undefined;
        if (target) guarded.add(target);
      }
      const inner = { ...state, guards: guarded };
      walk(program, withParams(inner));
      walk(inverse, inner);
    } else if (!helper && !hasArgs) {
      // `{{#items}}…{{/items}}`: Handlebars' blockHelperMissing iterates or enters the value.
      const inner = { ...state, guards: new Set([...state.guards, ...nameOf(path, state)]) };
      walk(program, withParams({ ...inner, frames: [...inner.frames, { root: false }] }));
      walk(inverse, inner);
    } else {
      walk(program, withParams(state));
      walk(inverse, state);
    }
  };

  const nameOf = (path: Node, state: State): string[] => {
    const n = resolve(path, state);
    return n ? [n] : [];
  };

  const partial = (node: Node, state: State) => {
    const nameNode = node.name as Node;
    const name = String(nameNode.original ?? nameNode.value ?? '');
    if (!state.via) events.partial?.(name, node);
    const params = (node.params ?? []) as Node[];
    const pairs = (node.hash?.pairs ?? []) as Node[];
    for (const p of params) value(p, state, false);
    for (const p of pairs) value(p.value as Node, state, false);
    if (node.type === 'PartialBlockStatement') walk(node.program as Node, state);

    if (state.partials.includes(name)) {
      events.cycle?.(
        [...state.partials.slice(state.partials.indexOf(name)), name],
        state.via?.loc ?? (node.loc as Loc),
      );
      return;
    }
    if (state.partials.length >= maxDepth) return;
    const ast = options.partialAst?.(name);
    if (!ast) return;
    // The partial's context: the given one (`{{> card item}}`), else the caller's; hash arguments on top.
    const given = params[0];
    let root = state.frames[state.frames.length - 1]?.root ?? false;
    if (given) {
      const parts = (given.parts ?? []) as string[];
      const isThis = given.type === 'PathExpression' && !given.data && parts.length === 0;
      const isRoot = given.type === 'PathExpression' && given.data && parts.length === 1 && parts[0] === 'root';
      root = isRoot || (isThis && root);
    }
    const locals = new Set(pairs.map((p) => String(p.key)));
    walk(ast as Node, {
      frames: [{ root, locals }],
      blockParams: [],
      guards: state.guards,
      partials: [...state.partials, name],
      via: state.via ?? { name, loc: node.loc as Loc },
    });
  };

  const walk = (node: Node | undefined, state: State) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of node.body as Node[]) walk(s, state);
        return;
      case 'MustacheStatement':
      case 'BlockStatement':
      case 'SubExpression':
        call(node, state);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        partial(node, state);
        return;
      default:
        return; // content, comments, decorators
    }
  };

  walk(ast as Node, { frames: [{ root: true }], blockParams: [], guards: EMPTY, partials: [] });
}

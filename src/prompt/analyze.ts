// Reads a .prompt file the way Dotprompt does and reports every problem at its place: YAML errors,
// unknown or misspelled keys, wrong types and ranges, template syntax errors, variables used but not
// declared (or declared and unused), unknown partials, missing media files, and models that are not in
// the catalogue or cannot take what the prompt uses. It never throws: anything unexpected becomes a
// problem too.
import Handlebars from 'handlebars';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode, type Pair } from 'yaml';
import { resolveInCatalogue, type Catalogue } from '../bedrock/catalogue';
import { converseFeatures } from '../bedrock/modelFacts';
import { normalizeModelRef, type ModelRef } from '../bedrock/modelRef';
import { LineIndex, safeDecodeUri, splitPrompt, type Problem, type Range, type Severity } from './document';
import { closest, CONFIG_KEYS, GUARDRAIL_KEYS, HELPERS, INPUT_KEYS, OUTPUT_KEYS, ROLES, TOP_LEVEL_KEYS, type KeySpec } from './schema';

export interface AnalyzeContext {
  /** The account's catalogue, once known; without it model ids are not checked against it. */
  catalogue?: Pick<Catalogue, 'foundationModels' | 'inferenceProfiles' | 'customModels' | 'provisionedThroughputs'>;
  /** Whether a media path (relative to the prompt file) exists. */
  fileExists?: (relativePath: string) => boolean;
  /** Whether a partial `_name.prompt` exists beside the file (or is otherwise known). */
  partialExists?: (name: string) => boolean;
  /** Templates of known partials, so variables used inside them count as used. */
  partialTemplates?: Record<string, string>;
  /** Parse the template in one piece, without the cache (a test compares both ways). */
  wholeTemplate?: boolean;
  /** Templates longer than this are parsed in cached pieces (default 16 KB; tests lower it). */
  piecesAbove?: number;
}

export interface VariableUse {
  name: string;
  range: Range;
}
export interface RoleMarker {
  role: string;
  range: Range;
}
export interface MediaRef {
  url: string;
  contentType?: string;
  range: Range;
}

export interface PromptAnalysis {
  problems: Problem[];
  /** The parsed frontmatter (plain data), {} when absent or broken. */
  frontmatter: Record<string, unknown>;
  model?: ModelRef;
  modelRange?: Range;
  declaredInputs: Map<string, Range | undefined>;
  variables: VariableUse[];
  roles: RoleMarker[];
  media: MediaRef[];
  partials: { name: string; range: Range }[];
  frontmatterRange?: Range;
  bodyStart: number;
  /** Key ranges by dotted path (e.g. `config.temperature`), for hover. */
  keyRanges: { path: string; range: Range }[];
}

const BUILTIN_HELPERS = new Set(Object.keys(HELPERS));

export function analyzePrompt(text: string, ctx: AnalyzeContext = {}): PromptAnalysis {
  const index = new LineIndex(text);
  const result: PromptAnalysis = {
    problems: [],
    frontmatter: {},
    declaredInputs: new Map(),
    variables: [],
    roles: [],
    media: [],
    partials: [],
    bodyStart: 0,
    keyRanges: [],
  };
  try {
    const source = splitPrompt(text);
    result.bodyStart = source.bodyStart;
    if (source.frontmatter) {
      const fm = source.frontmatter;
      result.frontmatterRange = index.range(0, source.bodyStart);
      if (!fm.closed) {
        result.problems.push(problem('error', 'The frontmatter is not closed: add a line with `---` after the YAML.', index.range(0, 3), 'frontmatter-unclosed'));
      } else {
        analyzeFrontmatter(fm.text, fm.start, index, result);
      }
    }
    analyzeTemplate(source.body, source.bodyStart, index, result, ctx);
    checkVariables(result);
    checkModel(result, ctx);
  } catch (err) {
    result.problems.push(problem('error', `Could not analyze this prompt: ${err instanceof Error ? err.message : String(err)}`, index.range(0, 0), 'internal'));
  }
  return result;
}

function problem(severity: Severity, message: string, range: Range, code: string): Problem {
  return { severity, message, range, code };
}

// ---------------------------------------------------------------- frontmatter

function analyzeFrontmatter(yamlText: string, base: number, index: LineIndex, result: PromptAnalysis): void {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    result.problems.push(problem('error', `The frontmatter is not valid YAML: ${String(err)}`, index.range(base, base), 'yaml'));
    return;
  }
  for (const e of doc.errors) {
    const [s, en] = e.pos;
    result.problems.push(problem('error', `YAML: ${firstLine(e.message)}`, index.range(base + s, base + Math.max(en, s + 1)), 'yaml'));
  }
  for (const w of doc.warnings) {
    const [s, en] = w.pos;
    result.problems.push(problem('warning', `YAML: ${firstLine(w.message)}`, index.range(base + s, base + Math.max(en, s + 1)), 'yaml'));
  }
  if (doc.errors.length > 0) return;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return;
  if (!isMap(root)) {
    result.problems.push(problem('error', 'The frontmatter must be a YAML mapping of keys (`model: …`, `config: …`).', nodeRange(root, base, index), 'yaml-shape'));
    return;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    result.problems.push(problem('error', `YAML: ${String(err)}`, index.range(base, base + yamlText.length), 'yaml'));
    return;
  }
  result.frontmatter = (data ?? {}) as Record<string, unknown>;

  for (const pair of root.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyRange = nodeRange(pair.key, base, index);
    result.keyRanges.push({ path: key, range: keyRange });
    const spec = TOP_LEVEL_KEYS[key];
    if (!spec) {
      if (key.includes('.') && !key.startsWith('bedrock.')) continue; // another tool's namespaced extension
      const suggestion = closest(key, Object.keys(TOP_LEVEL_KEYS));
      const msg = key.startsWith('bedrock.')
        ? `Unknown Bedrock option \`${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known: ${Object.keys(TOP_LEVEL_KEYS).filter((k) => k.startsWith('bedrock.')).join(', ')}.`}`
        : `Unknown key \`${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ' Dotprompt ignores it; put your own data under `metadata:` or a namespaced key like `myapp.key:`.'}`;
      result.problems.push(problem('warning', msg, keyRange, 'unknown-key'));
      continue;
    }
    const value = pair.value;
    const js = result.frontmatter[key];
    if (!checkKind(key, spec, js, value, base, index, result)) continue;
    if (key === 'model' && typeof js === 'string') {
      result.model = normalizeModelRef(js);
      result.modelRange = nodeRange(value, base, index);
      if (js.trim() === '') result.problems.push(problem('error', '`model` is empty: name a Bedrock model id, an inference profile or an ARN.', keyRange, 'model-empty'));
    }
    if (key === 'config' && isMap(value)) checkSubKeys('config', value, CONFIG_KEYS, base, index, result, true);
    if (key === 'input' && isMap(value)) {
      checkSubKeys('input', value, INPUT_KEYS, base, index, result, false);
      collectInputs(value, base, index, result);
    }
    if (key === 'output' && isMap(value)) checkSubKeys('output', value, OUTPUT_KEYS, base, index, result, false);
    if (key === 'bedrock.guardrail' && isMap(value)) {
      checkSubKeys('bedrock.guardrail', value, GUARDRAIL_KEYS, base, index, result, false);
      const g = js as Record<string, unknown>;
      if (!g.identifier) result.problems.push(problem('error', '`bedrock.guardrail` needs `identifier` (the guardrail id or ARN).', keyRange, 'guardrail'));
      if (g.version === undefined) result.problems.push(problem('error', '`bedrock.guardrail` needs `version` (`"1"`, `"2"`, … or `DRAFT`).', keyRange, 'guardrail'));
      else if (typeof g.version === 'number') result.problems.push(problem('warning', `Write the guardrail version as a string: \`version: "${g.version}"\`.`, keyRange, 'guardrail'));
    }
    if (key === 'bedrock.cachePoints' && Array.isArray(js)) {
      for (const v of js) if (!['system', 'tools', 'messages'].includes(String(v))) result.problems.push(problem('error', `Unknown cache point \`${String(v)}\`: use system, tools or messages.`, nodeRange(value, base, index), 'cache-point'));
    }
    if (key === 'bedrock.requestMetadata' && js && typeof js === 'object') {
      const entries = Object.entries(js as Record<string, unknown>);
      if (entries.length > 16) result.problems.push(problem('error', 'Bedrock accepts at most 16 `requestMetadata` entries.', keyRange, 'request-metadata'));
      for (const [k, v] of entries) {
        if (typeof v !== 'string' || !/^[a-zA-Z0-9\s:_@$#=/+,.-]{0,256}$/.test(v)) {
          result.problems.push(problem('error', `requestMetadata \`${k}\` must be a string of letters, digits, spaces and :_@$#=/+,.- (at most 256).`, keyRange, 'request-metadata'));
        }
      }
    }
  }
  checkTools(result, base, index, root);
}

function checkKind(path: string, spec: KeySpec, js: unknown, node: YamlNode | null, base: number, index: LineIndex, result: PromptAnalysis): boolean {
  const range = node ? nodeRange(node, base, index) : index.range(base, base);
  const fail = (expected: string) => {
    result.problems.push(problem('error', `\`${path}\` must be ${expected}; found ${describe(js)}.`, range, 'type'));
    return false;
  };
  switch (spec.kind) {
    case 'string':
      if (typeof js !== 'string') return fail('a string');
      if (spec.values && !spec.values.includes(js)) return fail(`one of ${spec.values.join(', ')}`);
      return true;
    case 'number':
    case 'integer': {
      if (typeof js !== 'number' || Number.isNaN(js)) return fail(spec.kind === 'integer' ? 'a whole number' : 'a number');
      if (spec.kind === 'integer' && !Number.isInteger(js)) return fail('a whole number');
      if ((spec.min !== undefined && js < spec.min) || (spec.max !== undefined && js > spec.max)) {
        result.problems.push(problem('error', `\`${path}\` must be ${spec.max !== undefined ? `between ${spec.min} and ${spec.max}` : `at least ${spec.min}`}; found ${js}.`, range, 'range'));
        return false;
      }
      return true;
    }
    case 'boolean':
      return typeof js === 'boolean' || fail('true or false');
    case 'object':
      return (js !== null && typeof js === 'object' && !Array.isArray(js)) || fail('a mapping of keys');
    case 'array':
      return Array.isArray(js) || fail('a list');
    case 'string[]':
      return (Array.isArray(js) && js.every((v) => typeof v === 'string')) || fail('a list of strings');
    default:
      return true;
  }
}

function checkSubKeys(parent: string, map: YamlNode, specs: Record<string, KeySpec>, base: number, index: LineIndex, result: PromptAnalysis, openEnded: boolean): void {
  if (!isMap(map)) return;
  for (const pair of map.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyRange = nodeRange(pair.key, base, index);
    result.keyRanges.push({ path: `${parent}.${key}`, range: keyRange });
    const spec = specs[key];
    if (!spec) {
      const suggestion = closest(key, Object.keys(specs));
      if (openEnded) {
        // config passes unknown keys to the model, but a near miss of a known one is almost surely a typo.
        if (suggestion) result.problems.push(problem('warning', `Unknown config key \`${key}\`. Did you mean \`${suggestion}\`? (Other keys go to the model as additionalModelRequestFields.)`, keyRange, 'unknown-key'));
        continue;
      }
      result.problems.push(problem('warning', `Unknown key \`${parent}.${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known: ${Object.keys(specs).join(', ')}.`}`, keyRange, 'unknown-key'));
      continue;
    }
    const js = pair.value && 'toJSON' in pair.value ? (pair.value as { toJSON(): unknown }).toJSON() : undefined;
    checkKind(`${parent}.${key}`, spec, js, pair.value, base, index, result);
  }
}

/** Top-level names from Picoschema (`name?(type, desc)`) or JSON Schema (`properties`), and defaults. */
function collectInputs(input: YamlNode, base: number, index: LineIndex, result: PromptAnalysis): void {
  if (!isMap(input)) return;
  for (const pair of input.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'default' && isMap(pair.value)) {
      for (const p of pair.value.items as Pair<YamlNode, YamlNode>[]) {
        if (isScalar(p.key)) result.declaredInputs.set(String(p.key.value), result.declaredInputs.get(String(p.key.value)) ?? nodeRange(p.key, base, index));
      }
    }
    if (key === 'schema' && isMap(pair.value)) {
      const items = pair.value.items as Pair<YamlNode, YamlNode>[];
      const props = items.find((p) => isScalar(p.key) && p.key.value === 'properties');
      const isJsonSchema = items.some((p) => isScalar(p.key) && p.key.value === 'type' && isScalar(p.value) && p.value.value === 'object') && props;
      const entries = isJsonSchema && props && isMap(props.value) ? (props.value.items as Pair<YamlNode, YamlNode>[]) : items;
      for (const p of entries) {
        if (!isScalar(p.key)) continue;
        const name = String(p.key.value).replace(/\?$|\(.*$/g, '').replace(/\?$/, '');
        if (name === '(*)' || name === '') continue;
        result.declaredInputs.set(name, nodeRange(p.key, base, index));
      }
    }
  }
}

function checkTools(result: PromptAnalysis, base: number, index: LineIndex, root: YamlNode): void {
  const fm = result.frontmatter;
  const tools = Array.isArray(fm.tools) ? (fm.tools as unknown[]).map(String) : [];
  const defs = Array.isArray(fm.toolDefs) ? (fm.toolDefs as Record<string, unknown>[]) : [];
  const range = (key: string) => {
    if (!isMap(root)) return index.range(base, base);
    const pair = (root.items as Pair<YamlNode, YamlNode>[]).find((p) => isScalar(p.key) && p.key.value === key);
    return pair ? nodeRange(pair.key, base, index) : index.range(base, base);
  };
  const defined = new Set<string>();
  defs.forEach((d, i) => {
    if (!d || typeof d !== 'object' || typeof d.name !== 'string') {
      result.problems.push(problem('error', `toolDefs[${i}] needs a \`name\`.`, range('toolDefs'), 'tool'));
      return;
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(d.name)) result.problems.push(problem('error', `Tool name \`${d.name}\` must be 1–64 letters, digits, _ or -.`, range('toolDefs'), 'tool'));
    if (!d.description) result.problems.push(problem('warning', `Tool \`${d.name}\` has no description; models choose tools by their descriptions.`, range('toolDefs'), 'tool'));
    defined.add(d.name);
  });
  for (const t of tools) {
    if (!defined.has(t)) result.problems.push(problem('error', `Tool \`${t}\` is listed in \`tools\` but not defined in \`toolDefs\` (name, description, inputSchema).`, range('tools'), 'tool'));
  }
  const choice = fm['bedrock.toolChoice'];
  if (typeof choice === 'string' && !['auto', 'any', 'none'].includes(choice) && !defined.has(choice)) {
    result.problems.push(problem('error', `\`bedrock.toolChoice\` is \`${choice}\`: use auto, any, or the name of a defined tool.`, range('bedrock.toolChoice'), 'tool'));
  }
}

// ---------------------------------------------------------------- template

type HbsNode = hbs.AST.Node & Record<string, any>;

// Templates are parsed in pieces that start at some `{{role …}}` lines, each piece cached by its text: a
// conversation in a .prompt grows turn by turn, and an edit then re-parses one turn, not the whole file.
// When a piece does not parse on its own (a block or comment spanning a role line, or a real syntax
// error) the whole template is parsed instead, so errors and their positions are exactly Handlebars'.
const pieceCache = new Map<string, hbs.AST.Program>();
let cachedChars = 0;
const MAX_CACHED_CHARS = 2_000_000;
const ROLE_LINE = /^\{\{~?\s*role\s/gm;

/** Forgets the parsed pieces (the benchmark measures cold parses with it). */
export function clearTemplateCache(): void {
  pieceCache.clear();
  cachedChars = 0;
}

function parsePiece(text: string): hbs.AST.Program {
  const hit = pieceCache.get(text);
  if (hit) {
    // Most recently used last.
    pieceCache.delete(text);
    pieceCache.set(text, hit);
    return hit;
  }
  // A flat copy: the AST's strings are slices of its input, and a slice of the whole document would
  // keep every past version of a long file alive in the cache.
  const own = Buffer.from(text, 'utf8').toString('utf8');
  const ast = Handlebars.parse(own);
  pieceCache.set(own, ast);
  cachedChars += own.length;
  for (const [key] of pieceCache) {
    if (cachedChars <= MAX_CACHED_CHARS) break;
    pieceCache.delete(key);
    cachedChars -= key.length;
  }
  return ast;
}

/** FNV-1a over the 80 characters from `at`. */
function pieceHash(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at, end = Math.min(text.length, at + 80); i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The template as parsed pieces with the line each starts on, or undefined when a piece does not parse alone. */
function parseInPieces(body: string): { ast: hbs.AST.Program; line: number }[] | undefined {
  // Not every role line starts a piece: one in 16 does, chosen by a hash of the text that follows it, so
  // pieces hold several turns (fewer, larger parses) and where they start does not move when text
  // elsewhere changes (an edit re-parses its own piece only).
  const starts = [0];
  for (const m of body.matchAll(ROLE_LINE)) if (m.index > 0 && pieceHash(body, m.index) % 16 === 0) starts.push(m.index);
  const pieces: { ast: hbs.AST.Program; line: number }[] = [];
  let line = 0;
  for (let i = 0; i < starts.length; i++) {
    const text = body.slice(starts[i], starts[i + 1]);
    try {
      pieces.push({ ast: parsePiece(text), line });
    } catch {
      return undefined;
    }
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) line++;
  }
  return pieces;
}

function analyzeTemplate(body: string, base: number, index: LineIndex, result: PromptAnalysis, ctx: AnalyzeContext): void {
  const bodyIndex = new LineIndex(body);
  /** The line the piece being walked starts on, within the body. */
  let pieceLine = 0;
  const at = (loc: hbs.AST.SourceLocation | undefined): Range => {
    if (!loc) return index.range(base, base);
    const start = base + bodyIndex.offset({ line: loc.start.line - 1 + pieceLine, character: loc.start.column });
    const end = base + bodyIndex.offset({ line: loc.end.line - 1 + pieceLine, character: loc.end.column });
    return index.range(start, Math.max(end, start + 1));
  };
  // A short template parses whole in about a millisecond; pieces pay off when conversations grow long.
  let pieces = ctx.wholeTemplate || body.length <= (ctx.piecesAbove ?? 16_384) ? undefined : parseInPieces(body);
  if (!pieces) {
    try {
      pieces = [{ ast: Handlebars.parse(body), line: 0 }];
    } catch (err) {
      const e = err as { message?: string; lineNumber?: number; column?: number; hash?: { loc?: { first_line: number; first_column: number; last_line: number; last_column: number } } };
      const loc = e.hash?.loc;
      let range: Range;
      if (loc) range = index.range(base + bodyIndex.offset({ line: loc.first_line - 1, character: loc.first_column }), base + bodyIndex.offset({ line: loc.last_line - 1, character: loc.last_column }) + 1);
      else if (e.lineNumber) range = index.range(base + bodyIndex.offset({ line: e.lineNumber - 1, character: e.column ?? 0 }), base + bodyIndex.offset({ line: e.lineNumber - 1, character: (e.column ?? 0) + 2 }));
      else range = index.range(base, base + 1);
      result.problems.push(problem('error', `Template: ${templateErrorMessage(e.message ?? String(err))}`, range, 'template'));
      return;
    }
  }

  const walk = (node: HbsNode | undefined, scoped: boolean) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of node.body) walk(s as HbsNode, scoped);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const path = node.path as HbsNode;
        const name = path.type === 'PathExpression' ? (path.original as string) : '';
        const params = (node.params ?? []) as HbsNode[];
        const hashPairs = ((node.hash?.pairs ?? []) as HbsNode[]).map((p) => p.value as HbsNode);
        const isCall = params.length > 0 || hashPairs.length > 0 || node.type === 'BlockStatement';
        if (name === 'role') {
          const arg = params[0];
          const role = arg?.type === 'StringLiteral' ? (arg.value as string) : undefined;
          if (!role || !(ROLES as readonly string[]).includes(role)) {
            result.problems.push(problem('error', `\`{{role}}\` takes "system", "user" or "model"${role ? `, not "${role}"` : ''}.`, at(node.loc), 'role'));
          } else {
            result.roles.push({ role, range: at(node.loc) });
          }
        } else if (name === 'media') {
          const url = hashPairs.length > 0 ? ((node.hash.pairs as HbsNode[]).find((p) => p.key === 'url')?.value as HbsNode | undefined) : undefined;
          const contentType = (node.hash?.pairs as HbsNode[] | undefined)?.find((p) => p.key === 'contentType')?.value as HbsNode | undefined;
          if (!url) result.problems.push(problem('error', '`{{media}}` needs `url=` (a workspace path, s3:// URI or data: URL).', at(node.loc), 'media'));
          else if (url.type === 'StringLiteral') {
            const ref: MediaRef = { url: url.value as string, contentType: contentType?.type === 'StringLiteral' ? (contentType.value as string) : undefined, range: at(url.loc) };
            result.media.push(ref);
            checkMediaRef(ref, result, ctx);
          }
        } else if (isCall && !BUILTIN_HELPERS.has(name) && path.type === 'PathExpression' && !(path.data as boolean)) {
          result.problems.push(problem('error', `Unknown helper \`${name}\`. Dotprompt knows: ${[...BUILTIN_HELPERS].join(', ')}.`, at(path.loc), 'unknown-helper'));
        } else if (!isCall && path.type === 'PathExpression') {
          useVariable(path, scoped, result, at);
        }
        for (const p of [...params, ...hashPairs]) {
          if (p.type === 'PathExpression') useVariable(p, scoped, result, at);
          else walk(p, scoped);
        }
        if (node.type === 'BlockStatement') {
          // each/with change the context: names inside refer to the item, not to the inputs.
          const changesScope = scoped || name === 'each' || name === 'with';
          walk(node.program as HbsNode, changesScope);
          walk(node.inverse as HbsNode, scoped);
        }
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const nameNode = node.name as HbsNode;
        const name = (nameNode.original ?? nameNode.value) as string;
        result.partials.push({ name, range: at(node.loc) });
        if (ctx.partialExists && !ctx.partialExists(name)) {
          result.problems.push(problem('error', `Unknown partial \`${name}\`: create \`_${name}.prompt\` beside this file.`, at(node.loc), 'unknown-partial'));
        }
        const partial = ctx.partialTemplates?.[name];
        if (partial) {
          // Variables used inside a partial count as used by this prompt.
          const partialAst = tryParse(partial);
          // A partial that does not parse reports that in its own file's diagnostics.
          if (partialAst) collectNames(partialAst, result);
        }
        if (node.type === 'PartialBlockStatement') walk(node.program as HbsNode, scoped);
        return;
      }
      default:
        return;
    }
  };
  for (const piece of pieces) {
    pieceLine = piece.line;
    walk(piece.ast as HbsNode, false);
  }
}

function tryParse(template: string): HbsNode | undefined {
  try {
    return Handlebars.parse(template) as HbsNode;
  } catch {
    return undefined;
  }
}

function collectNames(node: HbsNode | undefined, result: PromptAnalysis): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'PathExpression' && !node.data && node.parts?.[0] && !BUILTIN_HELPERS.has(String(node.parts[0])) && !String(node.original).startsWith('this')) {
    result.variables.push({ name: String(node.parts[0]), range: { start: { line: -1, character: 0 }, end: { line: -1, character: 0 } } });
  }
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) v.forEach((c) => collectNames(c as HbsNode, result));
    else if (v && typeof v === 'object' && 'type' in v) collectNames(v as HbsNode, result);
  }
}

function useVariable(path: HbsNode, scoped: boolean, result: PromptAnalysis, at: (loc: hbs.AST.SourceLocation | undefined) => Range): void {
  const parts = path.parts as string[];
  if (path.data) {
    // @root.x refers to the inputs; other @-variables (@index, @key, @first) are Handlebars'.
    if (parts[0] === 'root' && parts[1]) result.variables.push({ name: parts[1], range: at(path.loc) });
    return;
  }
  if (parts.length === 0 || (path.original as string).startsWith('this')) return;
  if (scoped && (path.depth as number) === 0) return;
  result.variables.push({ name: parts[0], range: at(path.loc) });
}

function checkMediaRef(ref: MediaRef, result: PromptAnalysis, ctx: AnalyzeContext): void {
  const url = ref.url;
  if (/^https?:\/\//i.test(url)) {
    result.problems.push(problem('error', 'Bedrock cannot fetch http(s) URLs: save the file in the workspace and use its path, or use an s3:// URI.', ref.range, 'media'));
    return;
  }
  if (url.startsWith('s3://') || url.startsWith('data:')) return;
  if (/\s/.test(url)) {
    // Dotprompt splits its media marker on spaces, so such a path breaks there too.
    result.problems.push(problem('error', `Media paths cannot contain spaces in Dotprompt: write them as %20 (\`${url.replace(/ /g, '%20')}\`).`, ref.range, 'media'));
    return;
  }
  if (ctx.fileExists && !ctx.fileExists(safeDecodeUri(url))) {
    result.problems.push(problem('error', `Media file \`${url}\` does not exist (paths are relative to this prompt file).`, ref.range, 'media-missing'));
  }
}

function checkVariables(result: PromptAnalysis): void {
  const declared = result.declaredInputs;
  const hasSchema = result.frontmatter.input !== undefined;
  const used = new Set(result.variables.map((v) => v.name));
  for (const v of result.variables) {
    if (v.range.start.line < 0) continue; // used inside a partial: no place in this file
    if (!declared.has(v.name)) {
      result.problems.push(
        problem(
          hasSchema ? 'warning' : 'info',
          `\`${v.name}\` is not declared in \`input.schema\` or \`input.default\`; a Run will ask for its value.`,
          v.range,
          'undeclared-variable',
        ),
      );
    }
  }
  for (const [name, range] of declared) {
    if (!used.has(name) && range) result.problems.push(problem('warning', `Input \`${name}\` is declared but never used in the template.`, range, 'unused-variable'));
  }
}

// ---------------------------------------------------------------- model

function checkModel(result: PromptAnalysis, ctx: AnalyzeContext): void {
  const ref = result.model;
  const range = result.modelRange;
  if (!ref || !range) return;
  const usesImages = result.media.some((m) => (m.contentType ?? m.url).match(/image|\.(png|jpe?g|gif|webp)$/i));
  const usesDocs = result.media.some((m) => (m.contentType ?? m.url).match(/pdf|csv|msword|officedocument|excel|html|text\/|markdown|\.(pdf|csv|docx?|xlsx?|html?|txt|md)$/i));
  const usesSystem = result.roles.some((r) => r.role === 'system');
  const usesTools = Array.isArray(result.frontmatter.tools) && (result.frontmatter.tools as unknown[]).length > 0;
  const features = converseFeatures(ref.modelId);
  const label = ref.modelId;
  if (usesSystem && !features.systemPrompt) result.problems.push(problem('error', `${label} does not accept a system prompt through Converse: move the system text into the first user turn.`, range, 'model-capability'));
  if (usesTools && !features.tools) result.problems.push(problem('error', `${label} does not support tool use through Converse: remove \`tools\` or pick another model.`, range, 'model-capability'));
  if (usesDocs && !features.documents) result.problems.push(problem('error', `${label} does not accept documents through Converse.`, range, 'model-capability'));

  const catalogue = ctx.catalogue;
  if (!catalogue || catalogue.foundationModels.error || catalogue.foundationModels.items.length === 0) return;
  const resolved = resolveInCatalogue(ref, catalogue);
  if (resolved.kind === 'unknown') {
    const ids = [...catalogue.foundationModels.items.map((m) => m.modelId), ...catalogue.inferenceProfiles.items.map((p) => p.id)];
    const suggestion = closest(ref.modelId, ids, 6);
    result.problems.push(problem('warning', `\`${ref.modelId}\` is not a model, inference profile or provisioned model this account lists in this region.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`, range, 'unknown-model'));
    return;
  }
  const m = resolved.model;
  if (!m) return;
  if (!m.outputModalities.includes('TEXT')) {
    result.problems.push(problem('error', `${m.modelName} generates ${m.outputModalities.join(', ').toLowerCase()}, not text: it cannot run through Converse.`, range, 'model-capability'));
    return;
  }
  if (usesImages && !m.inputModalities.includes('IMAGE')) result.problems.push(problem('error', `${m.modelName} does not accept images: pick a vision model (e.g. Claude 3 Haiku, Nova Lite).`, range, 'model-capability'));
  if (m.streaming === false) result.problems.push(problem('info', `${m.modelName} cannot stream: runs wait for the whole answer.`, range, 'model-capability'));
  if (resolved.kind === 'foundation' && !m.inferenceTypes.includes('ON_DEMAND')) {
    const profile = catalogue.inferenceProfiles.items.find((p) => p.modelIds.includes(m.modelId));
    if (m.inferenceTypes.includes('INFERENCE_PROFILE') || profile) {
      result.problems.push(problem('error', `${m.modelName} runs only through an inference profile${profile ? `: use \`${profile.id}\`` : ''}.`, range, 'needs-profile'));
    } else if (m.inferenceTypes.includes('PROVISIONED')) {
      result.problems.push(problem('error', `${m.modelId} runs only with Provisioned Throughput: use the provisioned model's ARN.`, range, 'needs-provisioned'));
    }
  }
}

// ---------------------------------------------------------------- helpers

function nodeRange(node: YamlNode | null | undefined, base: number, index: LineIndex): Range {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) return index.range(base, base);
  return index.range(base + r[0], base + Math.max(r[1], r[0] + 1));
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 30 ? `${v.slice(0, 30)}…` : v}"`;
  return String(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function templateErrorMessage(message: string): string {
  const lines = message.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  const head = lines[0].replace(/^Parse error on line \d+:?/, '').trim();
  if (expecting) return `syntax error: ${expecting.replace(/'/g, '')}`;
  return head || message;
}

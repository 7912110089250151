// The frontmatter half of the analysis: YAML errors, keys checked against the one key tree in
// schema.ts (unknown keys, types, ranges), the inputs it declares (with their types and whether they
// are optional), Picoschema mistakes in every schema place, tools, and keys that would reach
// `Object.prototype` when Dotprompt expands dotted keys.
import { PROMPT_RULES } from './rules';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import { normalizeModelRef } from '../models/modelRef';
import type { LineIndex, Problem, Range, Severity } from './document';
import { checkSchemaNode, schemaFields, type InputKind } from './picoschemaCheck';
import { closest, TOP_LEVEL_KEYS, type JsonSchemaNode, type KeySpec } from './schema';
import { validatorFor } from './assertions';
import type { PromptAnalysis } from './analyze';
import { isForbiddenKeyPath } from '../shared/inertData';

export interface DeclaredInput {
  range?: Range;
  optional: boolean;
  kind: InputKind;
  values?: unknown[];
  description?: string;
}

export function problem(severity: Severity, message: string, range: Range, code: string): Problem {
  return { severity, message, range, code };
}

function nodeRange(node: YamlNode | null | undefined, base: number, index: LineIndex): Range {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) return index.range(base, base);
  return index.range(base + r[0], base + Math.max(r[1], r[0] + 1));
}

export function analyzeFrontmatter(yamlText: string, base: number, index: LineIndex, result: PromptAnalysis): void {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    result.problems.push(
      problem('error', `The frontmatter is not valid YAML: ${String(err)}`, index.range(base, base), 'yaml'),
    );
    return;
  }
  for (const e of doc.errors) {
    const [s, en] = e.pos;
    result.problems.push(
      problem('error', `YAML: ${firstLine(e.message)}`, index.range(base + s, base + Math.max(en, s + 1)), 'yaml'),
    );
  }
  for (const w of doc.warnings) {
    const [s, en] = w.pos;
    result.problems.push(
      problem('warning', `YAML: ${firstLine(w.message)}`, index.range(base + s, base + Math.max(en, s + 1)), 'yaml'),
    );
  }
  if (doc.errors.length > 0) return;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return;
  if (!isMap(root)) {
    result.problems.push(
      problem(
        'error',
        'The frontmatter must be a YAML mapping of keys (`model: …`, `config: …`).',
        nodeRange(root, base, index),
        'yaml-shape',
      ),
    );
    return;
  }
  if (reportForbiddenKeys(root, base, index, result)) return;
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
    const spec = Object.hasOwn(TOP_LEVEL_KEYS, key) ? TOP_LEVEL_KEYS[key] : undefined;
    if (!spec) {
      if (key.includes('.') && !key.startsWith('bedrock.')) continue; // another tool's namespaced extension
      const suggestion = closest(key, Object.keys(TOP_LEVEL_KEYS));
      const msg = key.startsWith('bedrock.')
        ? `Unknown Bedrock option \`${key}\`.${
            suggestion
              ? ` Did you mean \`${suggestion}\`?`
              : ` Known: ${Object.keys(TOP_LEVEL_KEYS)
                  .filter((k) => k.startsWith('bedrock.'))
                  .join(', ')}.`
          }`
        : `Unknown key \`${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ' Dotprompt ignores it; put your own data under `metadata:` or a namespaced key like `myapp.key:`.'}`;
      result.problems.push(problem('warning', msg, keyRange, 'unknown-key'));
      continue;
    }
    const value = pair.value;
    const js = result.frontmatter[key];
    if (!checkKind(key, spec, js, value, base, index, result)) continue;
    if (spec.children && isMap(value)) checkChildKeys(key, value, spec, base, index, result);
    if (key === 'model' && typeof js === 'string') {
      result.model = normalizeModelRef(js);
      result.modelRange = nodeRange(value, base, index);
      if (js.trim() === '')
        result.problems.push(
          problem(
            'error',
            '`model` is empty: name a Bedrock model id, an inference profile or an ARN.',
            keyRange,
            'model-empty',
          ),
        );
    }
    if (key === 'input' && isMap(value)) collectInputs(value, base, index, result);
    if ((key === 'input' || key === 'output') && isMap(value)) {
      const schema = (value.items as Pair<YamlNode, YamlNode>[]).find(
        (p) => isScalar(p.key) && p.key.value === 'schema',
      );
      if (schema) reportSchema(schema.value, `\`${key}.schema\``, base, index, result);
    }
    if (key === 'bedrock.guardrail' && isMap(value)) {
      const g = js as Record<string, unknown>;
      if (!g.identifier)
        result.problems.push(
          problem('error', '`bedrock.guardrail` needs `identifier` (the guardrail id or ARN).', keyRange, 'guardrail'),
        );
      if (g.version === undefined)
        result.problems.push(
          problem('error', '`bedrock.guardrail` needs `version` (`"1"`, `"2"`, … or `DRAFT`).', keyRange, 'guardrail'),
        );
      else if (typeof g.version === 'number')
        result.problems.push(
          problem(
            'warning',
            `Write the guardrail version as a string: \`version: "${g.version}"\`.`,
            keyRange,
            'guardrail',
          ),
        );
    }
    if (key === 'bedrock.cachePoints' && Array.isArray(js)) {
      for (const v of js)
        if (!['system', 'tools', 'messages'].includes(String(v)))
          result.problems.push(
            problem(
              'error',
              `Unknown cache point \`${String(v)}\`: use system, tools or messages.`,
              nodeRange(value, base, index),
              'cache-point',
            ),
          );
    }
    if (key === 'bedrock.requestMetadata' && js && typeof js === 'object') {
      const entries = Object.entries(js as Record<string, unknown>);
      if (entries.length > 16)
        result.problems.push(
          problem('error', 'Bedrock accepts at most 16 `requestMetadata` entries.', keyRange, 'request-metadata'),
        );
      for (const [k, v] of entries) {
        if (typeof v !== 'string' || !/^[a-zA-Z0-9\s:_@$#=/+,.-]{0,256}$/.test(v)) {
          result.problems.push(
            problem(
              'error',
              `requestMetadata \`${k}\` must be a string of letters, digits, spaces and :_@$#=/+,.- (at most 256).`,
              keyRange,
              'request-metadata',
            ),
          );
        }
      }
    }
  }
  checkTools(result, base, index, root);
}

/** `__proto__`, `constructor`, `prototype` anywhere as a key (or a part of a dotted key): an error, and the data is not used. */
function reportForbiddenKeys(root: YamlNode, base: number, index: LineIndex, result: PromptAnalysis): boolean {
  let found = false;
  const visit = (node: YamlNode | null | undefined, depth: number) => {
    if (!node || depth > 64) return;
    if (isMap(node)) {
      for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (isForbiddenKeyPath(key)) {
          found = true;
          result.problems.push(
            problem(
              'error',
              `\`${key}\` cannot be a key: \`__proto__\`, \`constructor\` and \`prototype\` would change every object in VS Code's extension host. Rename it.`,
              nodeRange(pair.key, base, index),
              'forbidden-key',
            ),
          );
        }
        visit(pair.value, depth + 1);
      }
    } else if (isSeq(node)) node.items.forEach((n) => visit(n as YamlNode, depth + 1));
  };
  visit(root, 0);
  return found;
}

function reportSchema(
  node: YamlNode | null | undefined,
  where: string,
  base: number,
  index: LineIndex,
  result: PromptAnalysis,
): void {
  for (const p of checkSchemaNode(node, where))
    result.problems.push(problem('error', p.message, nodeRange(p.node, base, index), 'schema'));
}

/** What a key's value must be, in words, for a schema type (the wording of the diagnostics). */
const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of keys',
  array: 'a list',
};

/** A key's schema without its children: each child is checked on its own, with its own range. */
function shallow(schema: JsonSchemaNode): JsonSchemaNode {
  return {
    type: schema.type,
    enum: schema.enum,
    minimum: schema.minimum,
    maximum: schema.maximum,
    items: schema.items,
  };
}

/** Validates a value against its key's JSON Schema (Ajv) and words the first problem; false when there is one. */
function checkKind(
  path: string,
  spec: KeySpec,
  js: unknown,
  node: YamlNode | null,
  base: number,
  index: LineIndex,
  result: PromptAnalysis,
): boolean {
  const range = node ? nodeRange(node, base, index) : index.range(base, base);
  const fail = (expected: string, code = 'type', found = describe(js)) => {
    result.problems.push(problem('error', `\`${path}\` must be ${expected}; found ${found}.`, range, code));
    return false;
  };
  // YAML's .nan is a number to JSON Schema, never a setting.
  if (typeof js === 'number' && Number.isNaN(js)) return fail(EXPECTED[spec.schema.type ?? 'number'] ?? 'a number');
  const validate = validatorFor(shallow(spec.schema));
  if (validate(js)) return true;
  const error = validate.errors?.[0];
  if (!error) return fail('valid');
  if (error.keyword === 'type')
    return fail(spec.kind === 'string[]' ? 'a list of strings' : (EXPECTED[String(error.params.type)] ?? 'valid'));
  if (error.keyword === 'enum') return fail(`one of ${(error.params.allowedValues as string[]).join(', ')}`);
  if (error.keyword === 'minimum' || error.keyword === 'maximum')
    return fail(
      spec.max !== undefined ? `between ${spec.min} and ${spec.max}` : `at least ${spec.min}`,
      'range',
      String(js),
    );
  return fail(error.message ?? 'valid');
}

function checkChildKeys(
  parent: string,
  map: YamlNode,
  parentSpec: KeySpec,
  base: number,
  index: LineIndex,
  result: PromptAnalysis,
): void {
  if (!isMap(map) || !parentSpec.children) return;
  const specs = parentSpec.children;
  for (const pair of map.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyRange = nodeRange(pair.key, base, index);
    result.keyRanges.push({ path: `${parent}.${key}`, range: keyRange });
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const suggestion = closest(key, Object.keys(specs));
      if (parentSpec.openEnded) {
        // config passes unknown keys to the model, but a near miss of a known one is almost surely a typo.
        if (suggestion)
          result.problems.push(
            problem(
              'warning',
              `Unknown ${parent} key \`${key}\`. Did you mean \`${suggestion}\`? (Other keys go to the model as additionalModelRequestFields.)`,
              keyRange,
              'unknown-key',
            ),
          );
        continue;
      }
      result.problems.push(
        problem(
          'warning',
          `Unknown key \`${parent}.${key}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known: ${Object.keys(specs).join(', ')}.`}`,
          keyRange,
          'unknown-key',
        ),
      );
      continue;
    }
    const js = pair.value && 'toJSON' in pair.value ? (pair.value as { toJSON(): unknown }).toJSON() : undefined;
    if (checkKind(`${parent}.${key}`, spec, js, pair.value, base, index, result) && spec.children && isMap(pair.value))
      checkChildKeys(`${parent}.${key}`, pair.value, spec, base, index, result);
  }
}

/** The inputs `input.schema` (Picoschema or JSON Schema) and `input.default` declare, with types and optionality. */
function collectInputs(input: YamlNode, base: number, index: LineIndex, result: PromptAnalysis): void {
  if (!isMap(input)) return;
  const items = input.items as Pair<YamlNode, YamlNode>[];
  const schema = items.find((p) => isScalar(p.key) && p.key.value === 'schema');
  if (schema) {
    const { fields, wildcard, opaque } = schemaFields(schema.value);
    result.inputSchemaOpen = wildcard || opaque;
    for (const f of fields)
      result.declaredInputs.set(f.name, {
        range: nodeRange(f.node, base, index),
        optional: f.optional,
        kind: f.kind,
        values: f.values,
        description: f.description,
      });
  }
  const defaults = items.find((p) => isScalar(p.key) && p.key.value === 'default');
  if (defaults && isMap(defaults.value)) {
    for (const p of defaults.value.items as Pair<YamlNode, YamlNode>[]) {
      if (!isScalar(p.key)) continue;
      const name = String(p.key.value);
      if (!result.declaredInputs.has(name)) {
        const v = (result.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default?.[name];
        result.declaredInputs.set(name, { range: nodeRange(p.key, base, index), optional: true, kind: kindOfValue(v) });
      }
    }
  }
}

function kindOfValue(v: unknown): InputKind {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  if (v && typeof v === 'object') return 'object';
  return 'any';
}

function checkTools(result: PromptAnalysis, base: number, index: LineIndex, root: YamlNode): void {
  const fm = result.frontmatter;
  const tools = Array.isArray(fm.tools) ? (fm.tools as unknown[]).map(String) : [];
  const defs = Array.isArray(fm.toolDefs) ? (fm.toolDefs as Record<string, unknown>[]) : [];
  const pairOf = (key: string) =>
    isMap(root)
      ? (root.items as Pair<YamlNode, YamlNode>[]).find((p) => isScalar(p.key) && p.key.value === key)
      : undefined;
  const range = (key: string) => {
    const pair = pairOf(key);
    return pair ? nodeRange(pair.key, base, index) : index.range(base, base);
  };
  const defNodes = (() => {
    const v = pairOf('toolDefs')?.value;
    return isSeq(v) ? (v.items as YamlNode[]) : [];
  })();
  const defined = new Set<string>();
  defs.forEach((d, i) => {
    if (!d || typeof d !== 'object' || typeof d.name !== 'string') {
      result.problems.push(problem('error', `toolDefs[${i}] needs a \`name\`.`, range('toolDefs'), 'tool'));
      return;
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(d.name))
      result.problems.push(
        problem('error', `Tool name \`${d.name}\` must be 1–64 letters, digits, _ or -.`, range('toolDefs'), 'tool'),
      );
    if (!d.description)
      result.problems.push(
        problem(
          'warning',
          `Tool \`${d.name}\` has no description; models choose tools by their descriptions.`,
          range('toolDefs'),
          'tool',
        ),
      );
    const node = defNodes[i];
    const schema = isMap(node)
      ? (node.items as Pair<YamlNode, YamlNode>[]).find((p) => isScalar(p.key) && p.key.value === 'inputSchema')
      : undefined;
    if (schema) reportSchema(schema.value, `\`${d.name}\` inputSchema`, base, index, result);
    defined.add(d.name);
  });
  for (const t of tools) {
    if (!defined.has(t)) result.problems.push(problem('error', PROMPT_RULES.undefinedTool(t), range('tools'), 'tool'));
  }
  const choice = fm['bedrock.toolChoice'];
  if (typeof choice === 'string' && !['auto', 'any', 'none'].includes(choice) && !defined.has(choice)) {
    result.problems.push(
      problem(
        'error',
        `\`bedrock.toolChoice\` is \`${choice}\`: use auto, any, or the name of a defined tool.`,
        range('bedrock.toolChoice'),
        'tool',
      ),
    );
  }
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

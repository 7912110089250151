// Checks a schema written in the frontmatter (input.schema, output.schema, toolDefs[].inputSchema) the
// way Dotprompt's Picoschema parser reads it, so a typo is a diagnostic at its line instead of a plain
// error at run time (`prop.enum.push is not a function`, `unsupported scalar type 'sting'`). The parser
// itself throws without a location, so this walks the YAML nodes, which know where they are.
import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { closest } from './schema';

const PICO_SCALARS = ['string', 'number', 'integer', 'boolean', 'null', 'any'] as const;
const JSON_SCHEMA_TYPES = [...PICO_SCALARS, 'object', 'array'];

export interface SchemaProblem {
  message: string;
  node: YamlNode | null | undefined;
}

/** `(type, description)` → type; Picoschema splits at the first comma. */
function typeName(text: string): string {
  const comma = text.indexOf(',');
  return (comma < 0 ? text : text.slice(0, comma)).trim();
}

function scalarProblem(text: string, where: string): string | undefined {
  const type = typeName(text);
  if ((PICO_SCALARS as readonly string[]).includes(type)) return undefined;
  const guess = closest(type, PICO_SCALARS, 3);
  return `${where}: \`${type}\` is not a Picoschema type${guess ? `: did you mean \`${guess}\`?` : `; use one of ${PICO_SCALARS.join(', ')}, or a mapping for an object.`}`;
}

/** Whether Dotprompt treats this schema as JSON Schema (passed through unchanged). */
function isJsonSchemaNode(node: YamlNode | null | undefined): boolean {
  if (!isMap(node)) return false;
  for (const p of node.items as Pair<YamlNode, YamlNode>[]) {
    if (!isScalar(p.key)) continue;
    if (p.key.value === 'type' && isScalar(p.value) && JSON_SCHEMA_TYPES.includes(String(p.value.value))) return true;
    if (p.key.value === 'properties' && isMap(p.value)) return true;
  }
  return false;
}

/** Every problem in a schema, each with the YAML node it is about. `where` names the schema's place. */
export function checkSchemaNode(node: YamlNode | null | undefined, where: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (node === null || node === undefined) return problems;
  if (isScalar(node)) {
    if (typeof node.value !== 'string')
      problems.push({ node, message: `${where} must be a Picoschema mapping, a type name or a JSON Schema.` });
    else {
      const p = scalarProblem(node.value, where);
      if (p) problems.push({ node, message: p });
    }
    return problems;
  }
  if (isJsonSchemaNode(node)) return problems;
  checkPicoObject(node, where, problems, 0);
  return problems;
}

function checkPicoValue(
  node: YamlNode | null | undefined,
  where: string,
  problems: SchemaProblem[],
  depth: number,
): void {
  if (depth > 32) return;
  if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) {
    problems.push({
      node,
      message: `${where} has no type: write one (\`string\`, \`number\`, …) or a mapping of fields.`,
    });
    return;
  }
  if (isScalar(node)) {
    const p =
      typeof node.value === 'string'
        ? scalarProblem(node.value, where)
        : `${where}: Picoschema types are names like \`string\`; found ${JSON.stringify(node.value)}.`;
    if (p) problems.push({ node, message: p });
    return;
  }
  if (isMap(node)) {
    if (!isJsonSchemaNode(node)) checkPicoObject(node, where, problems, depth + 1);
    return;
  }
  problems.push({
    node,
    message: `${where}: a Picoschema field is a type name or a mapping of fields, not a list (for a list write \`name(array): type\`; for choices \`name(enum): [a, b]\`).`,
  });
}

function checkPicoObject(node: YamlNode, where: string, problems: SchemaProblem[], depth: number): void {
  if (!isMap(node)) {
    problems.push({ node, message: `${where} must be a mapping of fields (Picoschema) or a JSON Schema.` });
    return;
  }
  for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === '(*)') {
      checkPicoValue(pair.value, `${where} \`(*)\``, problems, depth);
      continue;
    }
    const open = key.indexOf('(');
    const field = `\`${key}\``;
    if (open < 0) {
      if (key.includes(')'))
        problems.push({
          node: pair.key,
          message: `${field}: a type in parentheses needs its \`(\`, as in \`tags(array): string\`.`,
        });
      checkPicoValue(pair.value, field, problems, depth);
      continue;
    }
    if (!key.endsWith(')')) {
      problems.push({
        node: pair.key,
        message: `${field}: close the parentheses, as in \`tags(array, the tags): string\`.`,
      });
      continue;
    }
    const type = typeName(key.slice(open + 1, -1));
    if (type === 'enum') {
      if (!isSeq(pair.value))
        problems.push({
          node: pair.value ?? pair.key,
          message: `${field} needs a list of values: \`${key}: [first, second]\`.`,
        });
    } else if (type === 'array') {
      checkPicoValue(pair.value, field, problems, depth);
    } else if (type === 'object') {
      if (isMap(pair.value)) checkPicoObject(pair.value, field, problems, depth + 1);
      else problems.push({ node: pair.value ?? pair.key, message: `${field} needs a mapping of fields below it.` });
    } else {
      const guess = closest(type, ['array', 'object', 'enum'], 2);
      problems.push({
        node: pair.key,
        message: `${field}: a type in parentheses must be array, object or enum${guess ? ` (did you mean \`${guess}\`?)` : ''}; for a plain field write \`${key.slice(0, open)}: ${type}\`.`,
      });
    }
  }
}

export type InputKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'array' | 'any';

export interface InputField {
  name: string;
  optional: boolean;
  kind: InputKind;
  values?: unknown[];
  description?: string;
  node: YamlNode;
}

/** The top-level fields a schema declares, with their types; `wildcard` when `(*)` allows any name. */
export function schemaFields(node: YamlNode | null | undefined): {
  fields: InputField[];
  wildcard: boolean;
  opaque: boolean;
} {
  const fields: InputField[] = [];
  if (!isMap(node)) return { fields, wildcard: false, opaque: node !== null && node !== undefined };
  if (isJsonSchemaNode(node)) {
    const items = node.items as Pair<YamlNode, YamlNode>[];
    const get = (k: string) => items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
    const props = get('properties');
    const required = get('required');
    const requiredNames = new Set(isSeq(required) ? required.items.map((i) => String(isScalar(i) ? i.value : '')) : []);
    const additional = get('additionalProperties');
    const wildcard = additional !== undefined && !(isScalar(additional) && additional.value === false);
    if (!isMap(props)) return { fields, wildcard: true, opaque: true };
    for (const p of props.items as Pair<YamlNode, YamlNode>[]) {
      if (!isScalar(p.key)) continue;
      const name = String(p.key.value);
      const { kind, values, description } = jsonSchemaKind(p.value);
      fields.push({ name, optional: !requiredNames.has(name), kind, values, description, node: p.key });
    }
    return { fields, wildcard, opaque: false };
  }
  let wildcard = false;
  for (const p of node.items as Pair<YamlNode, YamlNode>[]) {
    if (!isScalar(p.key)) continue;
    const key = String(p.key.value);
    if (key === '(*)') {
      wildcard = true;
      continue;
    }
    const open = key.indexOf('(');
    const head = open < 0 ? key : key.slice(0, open);
    const optional = head.endsWith('?');
    const name = optional ? head.slice(0, -1) : head;
    if (!name) continue;
    const paren = open < 0 ? '' : key.slice(open + 1, key.endsWith(')') ? -1 : undefined);
    const parenType = paren ? typeName(paren) : '';
    const parenDescription = paren.includes(',') ? paren.slice(paren.indexOf(',') + 1).trim() : undefined;
    let kind: InputKind = 'any';
    let values: unknown[] | undefined;
    let description = parenDescription;
    if (parenType === 'enum') {
      kind = 'enum';
      values = isSeq(p.value) ? p.value.items.map((i) => (isScalar(i) ? i.value : undefined)) : [];
    } else if (parenType === 'array') kind = 'array';
    else if (parenType === 'object' || isMap(p.value)) kind = 'object';
    else if (isScalar(p.value) && typeof p.value.value === 'string') {
      const t = typeName(p.value.value);
      kind = (['string', 'number', 'integer', 'boolean'] as const).find((k) => k === t) ?? 'any';
      if (p.value.value.includes(',')) description = p.value.value.slice(p.value.value.indexOf(',') + 1).trim();
    }
    fields.push({ name, optional, kind, values, description, node: p.key });
  }
  return { fields, wildcard, opaque: false };
}

function jsonSchemaKind(node: YamlNode | null | undefined): {
  kind: InputKind;
  values?: unknown[];
  description?: string;
} {
  if (!isMap(node)) return { kind: 'any' };
  const items = node.items as Pair<YamlNode, YamlNode>[];
  const get = (k: string) => items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
  const en = get('enum');
  const desc = get('description');
  const description = isScalar(desc) ? String(desc.value) : undefined;
  if (isSeq(en)) return { kind: 'enum', values: en.items.map((i) => (isScalar(i) ? i.value : undefined)), description };
  const t = get('type');
  const type = isScalar(t) ? String(t.value) : isSeq(t) && isScalar(t.items[0]) ? String(t.items[0].value) : '';
  const kind =
    (['string', 'number', 'integer', 'boolean', 'object', 'array'] as const).find((k) => k === type) ?? 'any';
  return { kind, description };
}

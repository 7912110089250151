// Prompt test cases. They live in a sibling file, `<name>.tests.yaml` next to `<name>.prompt`:
// the prompt stays a plain Dotprompt file that other Dotprompt tools accept (they reject unknown
// frontmatter keys), cases can grow long without burying the template, and a change to the cases does
// not show up as a change to the prompt. See docs/prompt-tests.md; the shape is published as JSON Schema
// (docs/prompt-tests.schema.json), which this parser follows and words with lines.
import TESTS_SCHEMA from '../../../docs/prompt-tests.schema.json';
import { closest } from './schema';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
} from 'yaml';

export type Assertion =
  | { kind: 'contains'; value: string; line: number }
  | { kind: 'notContains'; value: string; line: number }
  | { kind: 'regex'; pattern: string; flags: string; line: number }
  | { kind: 'equals'; value: string; line: number }
  | { kind: 'json'; line: number }
  | { kind: 'schema'; line: number }
  | { kind: 'maxLatencyMs'; value: number; line: number }
  | { kind: 'maxCostUsd'; value: number; line: number }
  | { kind: 'maxOutputTokens'; value: number; line: number }
  | { kind: 'rubric'; value: string; line: number };

export interface TestCase {
  /** Unique within the file. */
  name: string;
  /** 0-based line of the case in the tests file. */
  line: number;
  input: Record<string, unknown>;
  assertions: Assertion[];
}

export interface TestProblem {
  message: string;
  line: number;
}

export interface PromptTestFile {
  /** Run the cases on this model instead of the prompt's. */
  model?: string;
  /** The model that grades `rubric` assertions. */
  judge?: string;
  cases: TestCase[];
  problems: TestProblem[];
}

/** The assertion kinds, as the published schema (docs/prompt-tests.schema.json) lists them. */
const ASSERTION_KINDS = Object.keys(TESTS_SCHEMA.definitions.assertion.properties) as Assertion['kind'][];

export function parseTestFile(text: string): PromptTestFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const result: PromptTestFile = { cases: [], problems: [] };
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line - 1 : 0;
  for (const e of doc.errors)
    result.problems.push({ message: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos ? e.linePos[0].line - 1 : 0 });
  if (doc.errors.length > 0) return result;
  const root = doc.contents;
  if (!isMap(root)) {
    result.problems.push({
      message: 'A tests file is a mapping with `cases:` (and optionally `model:` and `judge:`).',
      line: 0,
    });
    return result;
  }
  for (const pair of root.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineOf(pair.key as YamlNode);
    if (key === 'model' || key === 'judge') {
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value)
        result[key] = pair.value.value;
      else result.problems.push({ message: `\`${key}\` must be a model id.`, line });
    } else if (key === 'cases') {
      if (!isSeq(pair.value)) {
        result.problems.push({ message: '`cases` must be a list of cases.', line });
        continue;
      }
      pair.value.items.forEach((item, i) => {
        const c = parseCase(item as YamlNode, i, lineOf, result.problems, doc);
        if (!c) return;
        if (result.cases.some((o) => o.name === c.name))
          result.problems.push({
            message: `Two cases are named "${c.name}": give each case its own name.`,
            line: c.line,
          });
        else result.cases.push(c);
      });
    } else {
      result.problems.push({
        message: `Unknown key \`${key}\`: a tests file has \`cases\`, \`model\` and \`judge\`.`,
        line,
      });
    }
  }
  if (result.cases.some((c) => c.assertions.some((a) => a.kind === 'rubric')) && !result.judge) {
    const c = result.cases.find((x) => x.assertions.some((a) => a.kind === 'rubric'))!;
    result.problems.push({
      message: '`rubric` assertions need a judge model: add `judge: <model id>` at the top of the file.',
      line: c.line,
    });
  }
  return result;
}

function parseCase(
  node: YamlNode,
  index: number,
  lineOf: (n: YamlNode) => number,
  problems: TestProblem[],
  doc: Document,
): TestCase | undefined {
  const line = lineOf(node);
  if (!isMap(node)) {
    problems.push({ message: `Case ${index + 1} must be a mapping with \`name\`, \`input\` and \`assert\`.`, line });
    return undefined;
  }
  const map = node as YAMLMap<YamlNode, YamlNode>;
  // Through the document, so that aliases (`*name`) give their anchor's value.
  const plain = map.toJS(doc, { maxAliasCount: 100 }) as Record<string, unknown>;
  const name = typeof plain.name === 'string' && plain.name.trim() ? plain.name.trim() : `case ${index + 1}`;
  for (const k of Object.keys(plain))
    if (!['name', 'input', 'assert'].includes(k))
      problems.push({
        message: `Unknown key \`${k}\` in case "${name}": a case has \`name\`, \`input\` and \`assert\`.`,
        line,
      });
  const input = plain.input ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ message: `\`input\` of case "${name}" must map variable names to values.`, line });
    return undefined;
  }
  const assertions: Assertion[] = [];
  const assertNode = map.get('assert', true);
  if (assertNode && !isSeq(assertNode))
    problems.push({ message: `\`assert\` of case "${name}" must be a list, e.g. \`- contains: refund\`.`, line });
  for (const item of isSeq(assertNode) ? (assertNode.items as YamlNode[]) : []) {
    const a = parseAssertion(item, lineOf(item), name, problems);
    if (a) assertions.push(a);
  }
  if (assertions.length === 0)
    problems.push({
      message: `Case "${name}" has no assertions: add an \`assert:\` list (a case without one cannot fail).`,
      line,
    });
  return { name, line, input: input as Record<string, unknown>, assertions };
}

function parseAssertion(
  node: YamlNode,
  line: number,
  caseName: string,
  problems: TestProblem[],
): Assertion | undefined {
  const value = (isMap(node) ? node.toJSON() : undefined) as Record<string, unknown> | undefined;
  const keys = value ? Object.keys(value) : [];
  if (!value || keys.length !== 1) {
    problems.push({
      message: `An assertion is one key and its value, e.g. \`- contains: refund\` (case "${caseName}").`,
      line,
    });
    return undefined;
  }
  const kind = keys[0];
  const v = value[kind];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push({ message: `\`${kind}\` takes ${what} (case "${caseName}").`, line });
    return ok;
  };
  switch (kind) {
    case 'contains':
    case 'notContains':
    case 'equals':
    case 'rubric':
      return need(typeof v === 'string' || typeof v === 'number', 'a text')
        ? { kind, value: String(v), line }
        : undefined;
    case 'regex': {
      if (!need(typeof v === 'string', 'a regular expression, e.g. `^(billing|bug)$`')) return undefined;
      const m = /^\/(.*)\/([a-z]*)$/s.exec(v as string);
      const [pattern, flags] = m ? [m[1], m[2]] : [v as string, ''];
      try {
        new RegExp(pattern, flags);
      } catch (err) {
        problems.push({ message: `Invalid regular expression in case "${caseName}": ${(err as Error).message}`, line });
        return undefined;
      }
      return { kind, pattern, flags, line };
    }
    case 'json':
    case 'schema':
      return need(v === true, '`true`') ? { kind, line } : undefined;
    case 'maxLatencyMs':
    case 'maxCostUsd':
    case 'maxOutputTokens':
      return need(typeof v === 'number' && v >= 0, 'a number ≥ 0') ? { kind, value: v as number, line } : undefined;
    default: {
      const close =
        ASSERTION_KINDS.find((k) => k.toLowerCase() === kind.toLowerCase().replace(/[_-]/g, '')) ??
        closest(kind, ASSERTION_KINDS);
      problems.push({
        message: `Unknown assertion \`${kind}\`${close ? `: did you mean \`${close}\`?` : ''} Known: ${ASSERTION_KINDS.join(', ')}.`,
        line,
      });
      return undefined;
    }
  }
}

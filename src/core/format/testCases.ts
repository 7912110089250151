// Prompt test cases. They live in a sibling file, `<name>.tests.yaml` next to `<name>.prompt`:
// the prompt stays a plain Dotprompt file that other Dotprompt tools accept (they reject unknown
// frontmatter keys), cases can grow long without burying the template, and a change to the cases does
// not show up as a change to the prompt. See docs/prompt-tests.md; the shape is published as JSON Schema
// (docs/prompt-tests.schema.json): the parser validates with it (Ajv) and words each finding with its line.
import TESTS_SCHEMA from '../../../docs/prompt-tests.schema.json';
import type { ErrorObject } from 'ajv';
import { validatorFor } from './assertions';
import { closest } from './schema';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
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
  | { kind: 'guardrail'; value: 'passes' | 'intervenes'; line: number }
  /** The prompt's knowledge base returned a passage from this source (`bedrock.knowledgeBase`). */
  | { kind: 'retrieved'; value: string; line: number }
  /** The answer cites a passage or document from this source. */
  | { kind: 'cites'; value: string; line: number }
  /** The answer called these tools in this order (others may come between). */
  | { kind: 'calls'; value: string[]; line: number }
  | { kind: 'rubric'; value: string; line: number }
  /** Graded by the judge against this reference answer (a data file's expected answer, or written in the file). */
  | { kind: 'reference'; value: string; line: number };

/** Whether the assertion is graded by the judge model. */
export function isJudged(a: Assertion): a is Extract<Assertion, { kind: 'rubric' | 'reference' }> {
  return a.kind === 'rubric' || a.kind === 'reference';
}

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
const FILE_KEYS = Object.keys(TESTS_SCHEMA.properties);
const CASE_KEYS = Object.keys(TESTS_SCHEMA.definitions.case.properties);
const list = (keys: string[]) =>
  keys
    .map((k) => `\`${k}\``)
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');

type Path = (string | number)[];

/**
 * Reads a tests file. The published JSON Schema decides what is valid (Ajv, the same validator as
 * everywhere else); this words each of its findings with the line and the fix, then adds what a schema
 * cannot say: duplicate names, regular expressions that do not compile, rubrics without a judge.
 */
export function parseTestFile(text: string): PromptTestFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const result: PromptTestFile = { cases: [], problems: [] };
  for (const e of doc.errors)
    result.problems.push({ message: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos ? e.linePos[0].line - 1 : 0 });
  if (doc.errors.length > 0) return result;
  const lineOf = (path: Path, key?: string) => {
    const node = nodeAt(doc, path, key);
    return node?.range ? lineCounter.linePos(node.range[0]).line - 1 : 0;
  };
  // Through the document, so that aliases (`*name`) give their anchor's value.
  const plain: unknown = doc.toJS({ maxAliasCount: 100 });
  const validate = validatorFor(TESTS_SCHEMA);
  const invalid = new Set<string>();
  if (!validate(plain)) {
    for (const error of validate.errors ?? []) {
      const path = pathOf(error.instancePath);
      const worded = wordError(error, path, plain);
      invalid.add(JSON.stringify(worded.drops));
      result.problems.push({ message: worded.message, line: lineOf(path, worded.key) });
    }
  }
  const dropped = (path: Path) => invalid.has(JSON.stringify(path));
  if (!isRecord(plain) || dropped([])) return result;
  if (typeof plain.model === 'string' && plain.model) result.model = plain.model;
  if (typeof plain.judge === 'string' && plain.judge) result.judge = plain.judge;
  const cases = Array.isArray(plain.cases) ? (plain.cases as unknown[]) : [];
  cases.forEach((raw, i) => {
    if (!isRecord(raw) || dropped(['cases', i])) return;
    const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : `case ${i + 1}`;
    const line = lineOf(['cases', i]);
    const assertions: Assertion[] = [];
    const items = Array.isArray(raw.assert) ? (raw.assert as unknown[]) : [];
    items.forEach((item, j) => {
      if (!dropped(['cases', i, 'assert', j]) && isRecord(item)) {
        const a = toAssertion(item, lineOf(['cases', i, 'assert', j]), name, result.problems);
        if (a) assertions.push(a);
      }
    });
    if (result.cases.some((o) => o.name === name))
      result.problems.push({ message: `Two cases are named "${name}": give each case its own name.`, line });
    else result.cases.push({ name, line, input: isRecord(raw.input) ? raw.input : {}, assertions });
  });
  const rubricCase = result.cases.find((c) => c.assertions.some(isJudged));
  if (rubricCase && !result.judge)
    result.problems.push({
      message:
        '`rubric` and `reference` assertions need a judge model: add `judge: <model id>` at the top of the file.',
      line: rubricCase.line,
    });
  result.problems.sort((a, b) => a.line - b.line);
  return result;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `/cases/0/assert/1` as a path into the document. */
function pathOf(instancePath: string): Path {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The node at a path (following aliases), or its key's node; the nearest ancestor when it is not there. */
function nodeAt(doc: Document, path: Path, key?: string): YamlNode | undefined {
  let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
  const steps = key === undefined ? path : [...path, key];
  for (let i = 0; i < steps.length; i++) {
    if (isAlias(node)) node = node.resolve(doc) as YamlNode | undefined;
    if (isMap(node)) {
      const pair: Pair<YamlNode, YamlNode> | undefined = (node.items as Pair<YamlNode, YamlNode>[]).find(
        (p) => isScalar(p.key) && String(p.key.value) === String(steps[i]),
      );
      if (!pair) return node;
      node = i === steps.length - 1 && key !== undefined ? pair.key : pair.value;
    } else if (isSeq(node) && typeof steps[i] === 'number') {
      const item = node.items[steps[i] as number] as YamlNode | undefined;
      if (!item) return node;
      node = item;
    } else return node ?? undefined;
  }
  return node ?? undefined;
}

/**
 * One schema finding in words. `drops` is the path of what the parser then leaves out (the file, a case
 * or an assertion); `key` points the line at an unknown key.
 */
function wordError(error: ErrorObject, path: Path, plain: unknown): { message: string; drops: Path; key?: string } {
  // By where in the file the finding is (Ajv's schemaPath differs for inlined and referenced definitions).
  const caseName = (i: number) => {
    const c = (plain as { cases?: unknown[] }).cases?.[i];
    return isRecord(c) && typeof c.name === 'string' && c.name.trim() ? c.name.trim() : `case ${i + 1}`;
  };
  const unknownKey = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : '';
  if (path[0] === 'cases' && path[2] === 'assert' && path.length >= 4) {
    const at = path.slice(0, 4);
    const name = caseName(path[1] as number);
    if (unknownKey) {
      const close =
        ASSERTION_KINDS.find((k) => k.toLowerCase() === unknownKey.toLowerCase().replace(/[_-]/g, '')) ??
        closest(unknownKey, ASSERTION_KINDS);
      return {
        message: `Unknown assertion \`${unknownKey}\`${close ? `: did you mean \`${close}\`?` : ''} Known: ${ASSERTION_KINDS.join(', ')}.`,
        drops: at,
      };
    }
    if (path.length === 4)
      return {
        message: `An assertion is one key and its value, e.g. \`- contains: refund\` (case "${name}").`,
        drops: at,
      };
    const kind = String(path[4]);
    // `type: ["string", "number"]` and `minimum` each report; say it once, in the kind's words.
    return { message: `\`${kind}\` takes ${TAKES[kind] ?? 'another value'} (case "${name}").`, drops: at };
  }
  if (path[0] === 'cases' && path.length >= 2) {
    const i = path[1] as number;
    const name = caseName(i);
    if (path.length === 2) {
      if (unknownKey)
        return {
          message: `Unknown key \`${unknownKey}\` in case "${name}": a case has ${list(CASE_KEYS)}.`,
          drops: ['cases', i, unknownKey],
          key: unknownKey,
        };
      if (error.keyword === 'required')
        return {
          message: `Case "${name}" has no assertions: add an \`assert:\` list (a case without one cannot fail).`,
          drops: ['cases', i, 'assert'],
        };
      return { message: `Case ${i + 1} must be a mapping with ${list(CASE_KEYS)}.`, drops: ['cases', i] };
    }
    const key = path[2];
    if (key === 'assert')
      return error.keyword === 'minItems'
        ? {
            message: `Case "${name}" has no assertions: add an \`assert:\` list (a case without one cannot fail).`,
            drops: ['cases', i, 'assert'],
          }
        : {
            message: `\`assert\` of case "${name}" must be a list, e.g. \`- contains: refund\`.`,
            drops: ['cases', i, 'assert'],
          };
    if (key === 'input')
      return { message: `\`input\` of case "${name}" must map variable names to values.`, drops: ['cases', i] };
    return { message: `\`${String(key)}\` of case ${i + 1} must be a text.`, drops: ['cases', i, String(key)] };
  }
  if (path.length === 0) {
    if (unknownKey)
      return {
        message: `Unknown key \`${unknownKey}\`: a tests file has ${list(FILE_KEYS)}.`,
        drops: [unknownKey],
        key: unknownKey,
      };
    if (error.keyword === 'required')
      return { message: 'A tests file needs `cases:`, a list of cases.', drops: ['cases'] };
    return { message: 'A tests file is a mapping with `cases:` (and optionally `model:` and `judge:`).', drops: [] };
  }
  if (path[0] === 'cases') return { message: '`cases` must be a list of cases.', drops: ['cases'] };
  return { message: `\`${String(path[0])}\` must be a model id.`, drops: [String(path[0])] };
}

/** What each assertion kind takes, in the words of a message (the schema holds the rule). */
const TAKES: Record<string, string> = {
  contains: 'a text',
  notContains: 'a text',
  equals: 'a text',
  rubric: 'a text',
  reference: 'a text',
  regex: 'a regular expression, e.g. `^(billing|bug)$`',
  json: '`true`',
  schema: '`true`',
  maxLatencyMs: 'a number ≥ 0',
  maxCostUsd: 'a number ≥ 0',
  maxOutputTokens: 'a number ≥ 0',
  guardrail: '`passes` or `intervenes`',
  retrieved: 'a source: a file name such as `refund-policy.md`, a path, or a URI',
  cites: 'a source: a file name such as `refund-policy.md`, a path, or a URI',
  calls: 'a tool name, or a list of tool names in the order they are called',
};

/** A valid assertion as the engine's value; the schema has checked its shape. */
function toAssertion(
  item: Record<string, unknown>,
  line: number,
  caseName: string,
  problems: TestProblem[],
): Assertion | undefined {
  const [kind, v] = Object.entries(item)[0] as [Assertion['kind'], unknown];
  switch (kind) {
    case 'contains':
    case 'notContains':
    case 'equals':
    case 'rubric':
    case 'reference':
    case 'retrieved':
    case 'cites':
      return { kind, value: String(v), line };
    case 'regex': {
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
    case 'calls':
      return { kind, value: (Array.isArray(v) ? v : [v]).map(String), line };
    case 'json':
    case 'schema':
      return { kind, line };
    case 'guardrail':
      return { kind, value: v === 'intervenes' ? 'intervenes' : 'passes', line };
    default:
      return { kind, value: v as number, line };
  }
}

// Evaluation cases from a data file (JSONL, CSV or a JSON array, read by the one rows reader): each row is
// a case whose fields are the prompt's inputs, and one field is the reference answer the model's answer is
// checked against: by the judge model (`reference`: agrees in substance), or exactly (`equals`), or as a
// part (`contains`). Rows are untrusted data: the reference only ever becomes an assertion's value.
import type { BatchRow } from '../core/io/rows';
import type { Assertion, PromptTestFile, TestCase } from '../core/format/testCases';
import { BedrockError } from '../core/shared/bedrockError';

/** Field names taken as the reference answer when none is named, in this order. */
export const REFERENCE_FIELDS = ['expected', 'reference', 'answer', 'ideal', 'output', 'completion'] as const;

export const REFERENCE_MATCHES = ['judge', 'equals', 'contains'] as const;
export type ReferenceMatch = (typeof REFERENCE_MATCHES)[number];

export interface DataCasesOptions {
  /** The file as the user reads it, for messages. */
  file: string;
  /** The field holding the reference answer; found among REFERENCE_FIELDS when not given. */
  referenceField?: string;
  match: ReferenceMatch;
  /** The model that grades `judge` matches. */
  judge?: string;
  /** Where the front end takes each option, for messages: `--reference <field>`, `--judge <model id>`. */
  flags: { reference: string; judge: string };
}

export interface DataCases extends PromptTestFile {
  referenceField: string;
}

const MAX_PROBLEMS_SHOWN = 5;

export function casesFromRows(rows: BatchRow[], opts: DataCasesOptions): DataCases {
  const readable = rows.filter((r) => !r.problem);
  if (rows.length === 0) throw new BedrockError('PromptInvalid', `${opts.file} has no rows: add cases to evaluate on.`);
  const field = opts.referenceField ?? REFERENCE_FIELDS.find((f) => readable.some((r) => Object.hasOwn(r.input, f)));
  if (!field)
    throw new BedrockError(
      'PromptInvalid',
      `${opts.file} has no reference answers: none of ${REFERENCE_FIELDS.join(', ')} is in its rows. Name the field that holds them (${opts.flags.reference}).`,
    );
  if (opts.match === 'judge' && !opts.judge)
    throw new BedrockError(
      'PromptInvalid',
      `Comparing answers with ${opts.file}'s reference answers needs a judge model (${opts.flags.judge}); or match them exactly (equals) or as a part (contains).`,
    );
  const problems = rows.flatMap((r) =>
    r.problem
      ? [{ line: r.line - 1, message: r.problem }]
      : !Object.hasOwn(r.input, field) || r.input[field] === null || r.input[field] === ''
        ? [{ line: r.line - 1, message: `line ${r.line} has no "${field}" (its reference answer)` }]
        : [],
  );
  if (problems.length > 0)
    throw new BedrockError(
      'PromptInvalid',
      `${opts.file}: ${problems.length} row${problems.length > 1 ? 's' : ''} cannot be a case:\n${problems
        .slice(0, MAX_PROBLEMS_SHOWN)
        .map((p) => `  ${p.message}`)
        .join(
          '\n',
        )}${problems.length > MAX_PROBLEMS_SHOWN ? `\n  …and ${problems.length - MAX_PROBLEMS_SHOWN} more` : ''}\nFix the rows, or remove them.`,
    );
  const names = new Set<string>();
  const cases: TestCase[] = readable.map((row) => {
    const value = row.input[field];
    const reference = typeof value === 'string' ? value : JSON.stringify(value);
    const own = row.input.name ?? row.input.id;
    let name = typeof own === 'string' && own.trim() ? own.trim() : `line ${row.line}`;
    if (names.has(name)) name = `${name} (line ${row.line})`;
    names.add(name);
    const line = row.line - 1;
    const assertion: Assertion =
      opts.match === 'judge'
        ? { kind: 'reference', value: reference, line }
        : { kind: opts.match, value: reference, line };
    // The inputs are the row without its answer (Object.fromEntries makes own properties: no prototype is touched).
    const input = Object.fromEntries(Object.entries(row.input).filter(([k]) => k !== field));
    return { name, line, input, assertions: [assertion] };
  });
  return { cases, problems: [], judge: opts.judge, referenceField: field };
}

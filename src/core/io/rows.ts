// The one rows reader: JSONL (one object per line), CSV with a header row, or a JSON array, for batch
// runs (streamed from the file) and for datasets (from text already decoded, src/core/dataset/sources.ts). A
// row that cannot be read becomes a row with a problem, so the output says which line and why instead of
// the whole file failing on one bad line.
import { promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { decodedPieces, decodeText, stripBom } from './readText';

export interface BatchRow {
  /** 0-based position in the input file (the output's `row`). */
  index: number;
  /** 1-based line of the row in the input file. */
  line: number;
  input: Record<string, unknown>;
  /** Why the row cannot be read, with its line: "line 3 is not valid JSON (…)". */
  problem?: string;
  /** The same without the line, for reports that show it apart: "Not valid JSON (…)". */
  reason?: string;
}

/** A row that cannot be read; `reason` says it after the line: "is not a JSON object", "has 3 cells…". */
function unreadable(index: number, line: number, reason: string): BatchRow {
  const alone = reason.replace(/^is /, '');
  return {
    index,
    line,
    input: {},
    problem: `line ${line} ${reason}`,
    reason: `${alone.charAt(0).toUpperCase()}${alone.slice(1)}`,
  };
}

/** JSON arrays above this are refused (JSONL is read a line at a time instead). */
const MAX_JSON_BYTES = 200_000_000;

/** All the rows of a file (for inputs that are small by nature: a batch inference job, a row picked to run). */
export async function readRows(filePath: string): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  for await (const row of streamRows(filePath)) rows.push(row);
  return rows;
}

/** Whether a file name is one the rows reader reads. */
export function isRowsFile(filePath: string): boolean {
  return /\.(jsonl|ndjson|csv|json)$/i.test(filePath);
}

/**
 * The rows of a file one at a time, as they are read: JSONL and CSV in bounded memory. The bytes are
 * decoded as the dataset reader decodes them (UTF-8, UTF-16 with a byte order mark; bytes that are not
 * text stop the read with the line, never a silent U+FFFD).
 */
export function streamRows(filePath: string): AsyncGenerator<BatchRow> {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(Readable.from(decodedPieces(filePath)), filePath);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson'))
    return readJsonl(createInterface({ input: Readable.from(decodedPieces(filePath)), crlfDelay: Infinity }));
  if (lower.endsWith('.json')) return readJsonFile(filePath);
  return (async function* () {
    throw new Error(`Batch input must be .jsonl, .csv or .json, not ${filePath}.`);
  })();
}

/** The rows of a file's text (read and decoded by the caller), by the same rules as streamRows. */
export function rowsOfText(text: string, filePath: string): AsyncGenerator<BatchRow> {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(Readable.from([text]), filePath);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return readJsonl(text.split(/\r?\n/));
  if (lower.endsWith('.json')) return readJsonText(text, filePath);
  return (async function* () {
    throw new Error(`Rows must be .jsonl, .csv or .json, not ${filePath}.`);
  })();
}

export interface RowSurvey {
  count: number;
  readable: number;
  /** Every key a readable row has (up to 10,000 names). */
  keys: Set<string>;
  /** Up to 50 readable rows spread over the file (reservoir sampling, seeded): for estimates. */
  sample: BatchRow[];
  first?: BatchRow;
}

/** One pass over the rows that keeps only what the checks before a run need (bounded memory). */
export async function surveyRows(filePath: string, sampleSize = 50): Promise<RowSurvey> {
  const survey: RowSurvey = { count: 0, readable: 0, keys: new Set(), sample: [] };
  let seed = 0x2545f491;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for await (const row of streamRows(filePath)) {
    survey.count++;
    if (row.problem) continue;
    survey.readable++;
    survey.first ??= row;
    if (survey.keys.size < 10_000) for (const k of Object.keys(row.input)) survey.keys.add(k);
    if (survey.sample.length < sampleSize) survey.sample.push(row);
    else {
      const j = Math.floor(random() * survey.readable);
      if (j < sampleSize) survey.sample[j] = row;
    }
  }
  return survey;
}

async function* readJsonFile(filePath: string): AsyncGenerator<BatchRow> {
  const size = (await fs.stat(filePath)).size;
  if (size > MAX_JSON_BYTES)
    throw new Error(
      `${filePath} is ${(size / 1e6).toFixed(0)} MB: a JSON array that large is not read whole. Write the rows as JSONL (one object per line), which is read a line at a time.`,
    );
  yield* readJsonText(decodeText(await fs.readFile(filePath)), filePath);
}

/** A JSON array of objects (one object alone is one row), each row at the line its element starts on. */
async function* readJsonText(text: string, filePath: string): AsyncGenerator<BatchRow> {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (err) {
    throw new Error(
      `${filePath} is not valid JSON (${(err as Error).message}). Hold an array of objects, or use JSONL (one object per line).`,
    );
  }
  if (!Array.isArray(data)) {
    if (data && typeof data === 'object') yield toRow(data, 0, 1);
    else throw new Error(`${filePath} must hold a JSON array of objects (or use JSONL, one object per line).`);
    return;
  }
  const lines = elementLines(text, data.length);
  for (let index = 0; index < data.length; index++) yield toRow(data[index], index, lines[index]);
}

/** The line each top-level element of a JSON array starts on, in one pass (for problem locations). */
export function elementLines(text: string, count: number): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let expecting = false;
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expecting && !/[\s,\]]/.test(c)) {
      lines.push(line);
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  while (lines.length < count) lines.push(lines[lines.length - 1] ?? 1);
  return lines;
}

function toRow(value: unknown, index: number, line: number): BatchRow {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return { index, line, input: value as Record<string, unknown> };
  return unreadable(index, line, 'is not a JSON object');
}

async function* readJsonl(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<BatchRow> {
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    try {
      yield toRow(JSON.parse(line === 1 ? stripBom(text) : text), index++, line);
    } catch (err) {
      yield unreadable(index++, line, `is not valid JSON (${(err as Error).message})`);
    }
  }
}

async function* readCsv(source: Readable, filePath: string): AsyncGenerator<BatchRow> {
  let index = 0;
  // Records as arrays, the header checked here: csv-parse's own `columns` keeps the last of two equal
  // names, drops cells past the header and assigns `__proto__` onto the prototype, all without a word.
  const parser = source.pipe(
    parseCsv({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true }),
  );
  let header: string[] | undefined;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    const body = rec.raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    const line = rec.info.lines - (body.match(/\n/g)?.length ?? 0);
    if (!header) {
      header = checkHeader(rec.record, filePath);
      continue;
    }
    const extra = rec.record.slice(header.length).filter((c) => c.trim() !== '');
    if (extra.length > 0) {
      yield unreadable(
        index++,
        line,
        `has ${rec.record.length} cells but the header has ${header.length}: quote a cell that holds a comma ("a, b"), or add the column to the header`,
      );
      continue;
    }
    const input: Record<string, unknown> = {};
    header.forEach((name, i) => {
      if (i < rec.record.length) input[name] = rec.record[i];
    });
    yield { index: index++, line, input };
  }
}

/** The header's names, each once, none empty, none that would reach a prototype; else a message that names the column. */
function checkHeader(names: string[], filePath: string): string[] {
  const seen = new Map<string, number>();
  names.forEach((raw, i) => {
    const name = raw.trim();
    const column = i + 1;
    if (name === '')
      throw new Error(
        `${filePath}: column ${column} of the header has no name: give every column a name (it becomes the input variable).`,
      );
    if (name === '__proto__' || name === 'constructor' || name === 'prototype')
      throw new Error(
        `${filePath}: the column name "${name}" (column ${column}) is refused: it cannot be an input name. Rename the column.`,
      );
    const before = seen.get(name);
    if (before !== undefined)
      throw new Error(
        `${filePath}: the header names "${name}" twice (columns ${before} and ${column}): rename one, or the second would hide the first.`,
      );
    seen.set(name, column);
  });
  return names.map((n) => n.trim());
}

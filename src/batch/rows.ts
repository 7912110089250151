// Input rows for a batch run: a JSONL file (one object per line) or a CSV file with a header row. A row
// that cannot be read becomes a row with a problem, so the output says which line and why instead of
// the whole run failing on one bad line.
import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { stripBom } from '../dataset/readText';

export interface BatchRow {
  /** 0-based position in the input file (the output's `row`). */
  index: number;
  /** 1-based line of the row in the input file. */
  line: number;
  input: Record<string, unknown>;
  problem?: string;
}

/** JSON arrays above this are refused (JSONL is read a line at a time instead). */
const MAX_JSON_BYTES = 200_000_000;

export async function readRows(filePath: string): Promise<BatchRow[]> {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(filePath);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return readJsonl(filePath);
  if (lower.endsWith('.json')) {
    const size = (await fs.stat(filePath)).size;
    if (size > MAX_JSON_BYTES) throw new Error(`${filePath} is ${(size / 1e6).toFixed(0)} MB: a JSON array that large is not read whole. Write the rows as JSONL (one object per line), which is read a line at a time.`);
    const data = JSON.parse(stripBom(await fs.readFile(filePath, 'utf8'))) as unknown;
    if (!Array.isArray(data)) throw new Error(`${filePath} must hold a JSON array of objects (or use JSONL, one object per line).`);
    return data.map((input, index) => toRow(input, index, index + 1));
  }
  throw new Error(`Batch input must be .jsonl, .csv or .json, not ${filePath}.`);
}

function toRow(value: unknown, index: number, line: number): BatchRow {
  if (value && typeof value === 'object' && !Array.isArray(value)) return { index, line, input: value as Record<string, unknown> };
  return { index, line, input: {}, problem: `line ${line} is not a JSON object` };
}

async function readJsonl(filePath: string): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(filePath, 'utf8'), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      rows.push(toRow(JSON.parse(line === 1 ? stripBom(text) : text), rows.length, line));
    } catch (err) {
      rows.push({ index: rows.length, line, input: {}, problem: `line ${line} is not valid JSON (${(err as Error).message})` });
    }
  }
  return rows;
}

async function readCsv(filePath: string): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  // Records as arrays, the header checked here: csv-parse's own `columns` keeps the last of two equal
  // names, drops cells past the header and assigns `__proto__` onto the prototype, all without a word.
  const parser = createReadStream(filePath).pipe(parseCsv({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true }));
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
      rows.push({ index: rows.length, line, input: {}, problem: `line ${line} has ${rec.record.length} cells but the header has ${header.length}: quote a cell that holds a comma ("a, b"), or add the column to the header` });
      continue;
    }
    const input: Record<string, unknown> = {};
    header.forEach((name, i) => {
      if (i < rec.record.length) input[name] = rec.record[i];
    });
    rows.push({ index: rows.length, line, input });
  }
  return rows;
}

/** The header's names, each once, none empty, none that would reach a prototype; else a message that names the column. */
export function checkHeader(names: string[], filePath: string): string[] {
  const seen = new Map<string, number>();
  names.forEach((raw, i) => {
    const name = raw.trim();
    const column = i + 1;
    if (name === '') throw new Error(`${filePath}: column ${column} of the header has no name: give every column a name (it becomes the input variable).`);
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') throw new Error(`${filePath}: the column name "${name}" (column ${column}) is refused: it cannot be an input name. Rename the column.`);
    const before = seen.get(name);
    if (before !== undefined) throw new Error(`${filePath}: the header names "${name}" twice (columns ${before} and ${column}): rename one, or the second would hide the first.`);
    seen.set(name, column);
  });
  return names.map((n) => n.trim());
}

// Input rows for a batch run: a JSONL file (one object per line) or a CSV file with a header row. A row
// that cannot be read becomes a row with a problem, so the output says which line and why instead of
// the whole run failing on one bad line.
import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';

export interface BatchRow {
  /** 0-based position in the input file (the output's `row`). */
  index: number;
  /** 1-based line of the row in the input file. */
  line: number;
  input: Record<string, unknown>;
  problem?: string;
}

export async function readRows(filePath: string): Promise<BatchRow[]> {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.csv')) return readCsv(filePath);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return readJsonl(filePath);
  if (lower.endsWith('.json')) {
    const data = JSON.parse(await fs.readFile(filePath, 'utf8')) as unknown;
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
      rows.push(toRow(JSON.parse(text), rows.length, line));
    } catch (err) {
      rows.push({ index: rows.length, line, input: {}, problem: `line ${line} is not valid JSON (${(err as Error).message})` });
    }
  }
  return rows;
}

async function readCsv(filePath: string): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  const parser = createReadStream(filePath).pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    rows.push({ index: rows.length, line: rec.info.lines, input: rec.record });
  }
  return rows;
}

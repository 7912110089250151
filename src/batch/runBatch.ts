// A batch run: every input row through a prompt, with bounded concurrency that backs off when Bedrock
// throttles (AdaptiveLimiter), into an output JSONL. Rows are appended to `<output>.partial` as they
// finish, so an interrupted run (cancel, crash, lost credentials) resumes where it stopped; only a run
// with every row done is sorted into input order and renamed to `<output>`.
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { AdaptiveLimiter, retryFor, type LimiterStats } from '../bedrock/adaptiveLimiter';
import type { ErrorCode } from '../bedrock/errors';
import type { Usage } from '../bedrock/stream';
import type { BatchRow } from './rows';

/** One line of the output JSONL. */
export interface BatchOutputLine {
  row: number;
  input: Record<string, unknown>;
  modelId: string;
  output?: string;
  stopReason?: string;
  usage?: Usage;
  latencyMs?: number;
  costUsd?: number;
  error?: { code: ErrorCode | 'InvalidRow'; message: string };
}

export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
  resumed: number;
  concurrency: number;
  throttled: number;
}

export interface BatchRunOptions {
  rows: BatchRow[];
  /** The model every row goes to; lines of an earlier run on another model are not resumed. */
  modelId: string;
  outputPath: string;
  concurrency: number;
  /** Renders the row and calls the model; never throws, failures are in `error`. */
  invoke(row: BatchRow, signal: AbortSignal): Promise<BatchOutputLine>;
  signal?: AbortSignal;
  onProgress?(p: BatchProgress): void;
  limiter?: AdaptiveLimiter;
}

export interface BatchRunResult {
  outputPath: string;
  /** Whether every row has a line and the output was renamed into place. */
  complete: boolean;
  total: number;
  written: number;
  failed: number;
  /** Rows found done in `<output>.partial` from an earlier run. */
  resumed: number;
  cancelled: boolean;
  /** The error that stopped the run for every row (credentials, access, unknown model). */
  fatal?: { code: string; message: string };
  stats: LimiterStats;
}

/** Errors that would fail every row the same way: stop instead of writing the same error N times. */
const FATAL: ReadonlySet<string> = new Set(['NoCredentials', 'ExpiredCredentials', 'SsoExpired', 'NoRegion', 'AccessDenied', 'ModelAccess', 'NeedsInferenceProfile', 'NotFound', 'Untrusted', 'EndpointUnreachable', 'Timeout']);
/** Errors worth another attempt when the run is resumed. */
const RETRY_ON_RESUME: ReadonlySet<string> = new Set(['Throttled', 'Network', 'ServiceUnavailable', 'ModelNotReady', 'ModelTimeout', 'Cancelled', ...FATAL]);

export function partialPathFor(outputPath: string): string {
  return `${outputPath}.partial`;
}

export async function runBatch(opts: BatchRunOptions): Promise<BatchRunResult> {
  const partial = partialPathFor(opts.outputPath);
  const kept = await linesToKeep(partial, opts.rows, opts.modelId);
  const done = new Set(kept.map((l) => l.row));
  // Rewrite the partial file with only the kept lines, so retried rows do not appear twice.
  await writeAtomically(partial, kept.map((l) => JSON.stringify(l)));
  const todo = opts.rows.filter((r) => !done.has(r.index));
  const limiter = opts.limiter ?? new AdaptiveLimiter({ maxConcurrency: opts.concurrency });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort);
  const out = createWriteStream(partial, { flags: 'a' });
  let fatal: BatchRunResult['fatal'];
  let failed = kept.filter((l) => l.error).length;
  let written = 0;
  const progress = () =>
    opts.onProgress?.({ done: done.size, total: opts.rows.length, failed, resumed: kept.length, concurrency: limiter.concurrency, throttled: limiter.stats.throttled });
  progress();
  try {
    let next = 0;
    const worker = async () => {
      while (!abort.signal.aborted) {
        const row = todo[next++];
        if (!row) return;
        const line = row.problem
          ? { row: row.index, input: row.input, modelId: opts.modelId, error: { code: 'InvalidRow' as const, message: row.problem } }
          : await limiter.run(() => opts.invoke(row, abort.signal), (l) => retryFor(l.error?.code), abort.signal);
        // An answer that arrived is kept even after a cancel (it was paid for); a cancelled call is not.
        if (line.error?.code === 'Cancelled') return;
        if (line.error && FATAL.has(line.error.code)) {
          fatal ??= line.error;
          abort.abort();
          return;
        }
        await append(out, JSON.stringify(line));
        done.add(row.index);
        written++;
        if (line.error) failed++;
        progress();
      }
    };
    // More workers than the limit: the limiter decides how many calls are in flight, and can grow back.
    await Promise.all(Array.from({ length: Math.min(todo.length, Math.max(1, opts.concurrency)) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  const complete = done.size === opts.rows.length && !fatal;
  if (complete) {
    const lines = await readLines(partial);
    lines.sort((a, b) => a.row - b.row);
    await writeAtomically(opts.outputPath, lines.map((l) => JSON.stringify(l)));
    await fs.rm(partial, { force: true });
  }
  return {
    outputPath: complete ? opts.outputPath : partial,
    complete,
    total: opts.rows.length,
    written,
    failed,
    resumed: kept.length,
    cancelled: !complete && !fatal,
    fatal,
    stats: limiter.stats,
  };
}

/** Lines of an earlier, interrupted run that still hold: same row input, same model, not a transient error. */
async function linesToKeep(partial: string, rows: BatchRow[], modelId: string): Promise<BatchOutputLine[]> {
  const lines = await readLines(partial);
  const byRow = new Map<number, BatchOutputLine>();
  for (const l of lines) {
    const row = rows[l.row];
    if (!row || JSON.stringify(row.input) !== JSON.stringify(l.input)) continue;
    if (l.error?.code !== 'InvalidRow' && l.modelId !== modelId) continue;
    if (!l.error || !RETRY_ON_RESUME.has(l.error.code)) byRow.set(l.row, l);
  }
  return [...byRow.values()];
}

async function readLines(file: string): Promise<BatchOutputLine[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: BatchOutputLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as BatchOutputLine;
      if (typeof parsed.row === 'number') out.push(parsed);
    } catch {
      // A line cut short by a crash mid-write: that row is simply run again.
      continue;
    }
  }
  return out;
}

function append(out: WriteStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(`${line}\n`, (err) => (err ? reject(err) : resolve())));
}

/** Writes to a temporary name, then renames: a reader never sees half a file. */
export async function writeAtomically(file: string, lines: string[]): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  await fs.rename(tmp, file);
}

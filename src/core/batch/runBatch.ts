// A batch run: every input row through a prompt, with bounded concurrency that backs off when Bedrock
// throttles (AdaptiveLimiter), into an output JSONL. Rows are read as a stream and appended to
// `<output>.partial` as they finish, so an interrupted run (cancel, crash, lost credentials) resumes where
// it stopped; only a run with every row done is written in input order and renamed to `<output>`.
// Memory stays bounded by the number of rows in flight plus a small index entry per row (where its line
// sits in the partial file), never the rows or the answers themselves.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { writeFileAtomically } from '../shared/atomicWrite';
import { createInterface } from 'node:readline';
import { AdaptiveLimiter, retryFor, type LimiterStats } from '../bedrock/adaptiveLimiter';
import type { ErrorCode } from '../shared/bedrockError';
import type { Usage } from '../bedrock/stream';
import type { BatchRow } from '../io/rows';
import { forEachBounded } from '../shared/pool';

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
  /** What the rows answered in this run cost so far (US dollars; resumed rows were paid before). */
  costUsd: number;
}

export interface BatchRunOptions {
  /** The rows: a list, or a function that streams them (read from the file as the run goes). */
  rows: BatchRow[] | (() => AsyncIterable<BatchRow>);
  /** How many rows there are (known from a first pass over the file); defaults to the list's length. */
  total?: number;
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
const FATAL: ReadonlySet<string> = new Set([
  'NoCredentials',
  'ExpiredCredentials',
  'SsoExpired',
  'NoRegion',
  'AccessDenied',
  'ModelAccess',
  'NeedsInferenceProfile',
  'NotFound',
  'Untrusted',
  'EndpointUnreachable',
  'Timeout',
]);
/** Errors worth another attempt when the run is resumed. */
const RETRY_ON_RESUME: ReadonlySet<string> = new Set([
  'Throttled',
  'Network',
  'ServiceUnavailable',
  'ModelNotReady',
  'ModelTimeout',
  'Cancelled',
  ...FATAL,
]);

export function partialPathFor(outputPath: string): string {
  return `${outputPath}.partial`;
}

interface LineAt {
  offset: number;
  length: number;
  failed: boolean;
  /** Hash of the row input the line answered (a changed row is run again). */
  inputHash?: string;
}

const hashOf = (input: unknown) => createHash('sha1').update(JSON.stringify(input)).digest('base64');

export async function runBatch(opts: BatchRunOptions): Promise<BatchRunResult> {
  const partial = partialPathFor(opts.outputPath);
  const total = opts.total ?? (Array.isArray(opts.rows) ? opts.rows.length : 0);
  const rows = Array.isArray(opts.rows) ? fromList(opts.rows) : opts.rows;
  // Where each row's line is in the partial file: the earlier run's lines that still hold, then ours.
  const { index: earlier, size } = await indexPartial(partial, opts.modelId);
  const lines = new Map<number, LineAt>();
  const limiter = opts.limiter ?? new AdaptiveLimiter({ maxConcurrency: opts.concurrency });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort);
  // A crash can leave the last line cut short: start on a new line.
  let offset = size;
  const out = createWriteStream(partial, { flags: 'a', highWaterMark: 1024 * 1024 });
  let writeError: Error | undefined;
  out.on('error', (err) => {
    writeError ??= err;
    abort.abort();
  });
  if (size > 0 && !(await endsWithNewline(partial, size))) {
    offset += 1;
    await append(out, '');
  }
  let fatal: BatchRunResult['fatal'];
  let failed = 0;
  let written = 0;
  let resumed = 0;
  let seen = 0;
  let costUsd = 0;
  const progress = () =>
    opts.onProgress?.({
      done: lines.size,
      total,
      failed,
      resumed,
      concurrency: limiter.concurrency,
      throttled: limiter.stats.throttled,
      costUsd,
    });
  const record = async (row: BatchRow, line: BatchOutputLine) => {
    const text = JSON.stringify(line);
    // Writes go out in the order they are made: the offset is taken before any other task can write.
    const at = offset;
    offset += Buffer.byteLength(text) + 1;
    // Not every line waits for its own write: only back-pressure (a full buffer) makes the run wait.
    if (!out.write(`${text}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    lines.set(row.index, { offset: at, length: Buffer.byteLength(text), failed: line.error !== undefined });
    written++;
    costUsd += line.costUsd ?? 0;
    if (line.error) failed++;
    progress();
  };
  const run = async (row: BatchRow) => {
    const line = row.problem
      ? {
          row: row.index,
          input: row.input,
          modelId: opts.modelId,
          error: { code: 'InvalidRow' as const, message: row.problem },
        }
      : await limiter.run(
          () => opts.invoke(row, abort.signal),
          (l) => retryFor(l.error?.code),
          abort.signal,
        );
    // An answer that arrived is kept even after a cancel (it was paid for); a cancelled call is not.
    if (line.error?.code === 'Cancelled') return;
    if (line.error && FATAL.has(line.error.code)) {
      fatal ??= line.error;
      abort.abort();
      return;
    }
    await record(row, line);
  };
  progress();
  try {
    // Rows answered by an earlier run are taken over as they stream past; the others are sent.
    async function* toSend(): AsyncIterable<BatchRow> {
      for await (const row of rows()) {
        seen++;
        const before = earlier.get(row.index);
        if (before && before.inputHash === hashOf(row.input)) {
          lines.set(row.index, before);
          resumed++;
          if (before.failed) failed++;
          continue;
        }
        yield row;
      }
    }
    // More calls in flight than the limit allows: the limiter decides how many run, and can grow back.
    await forEachBounded(toSend(), Math.max(1, opts.concurrency) * 2, run, { stop: () => abort.signal.aborted });
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (writeError) throw writeError;
  const count = Math.max(total, seen);
  const complete = lines.size === count && !fatal && !abort.signal.aborted;
  if (complete) {
    await writeInOrder(partial, opts.outputPath, lines, count);
    await fs.rm(partial, { force: true });
  }
  return {
    outputPath: complete ? opts.outputPath : partial,
    complete,
    total: count,
    written,
    failed,
    resumed,
    cancelled: !complete && !fatal,
    fatal,
    stats: limiter.stats,
  };
}

function fromList(list: BatchRow[]): () => AsyncIterable<BatchRow> {
  return async function* () {
    yield* list;
  };
}

/**
 * One pass over an earlier run's partial file: for each row, the last line that still holds (same model,
 * not a passing error) with its place in the file. Lines cut short by a crash are skipped.
 */
async function indexPartial(file: string, modelId: string): Promise<{ index: Map<number, LineAt>; size: number }> {
  const index = new Map<number, LineAt>();
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch {
    return { index, size: 0 };
  }
  let offset = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    const length = Buffer.byteLength(text);
    const at = offset;
    offset += length + 1;
    if (!text.trim()) continue;
    let l: BatchOutputLine;
    try {
      l = JSON.parse(text) as BatchOutputLine;
    } catch {
      continue; // a line cut short by a crash mid-write: that row is simply run again
    }
    if (typeof l.row !== 'number') continue;
    const holds =
      (l.error?.code === 'InvalidRow' || l.modelId === modelId) && (!l.error || !RETRY_ON_RESUME.has(l.error.code));
    if (holds) index.set(l.row, { offset: at, length, failed: l.error !== undefined, inputHash: hashOf(l.input) });
    else index.delete(l.row);
  }
  return { index, size };
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const fd = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await fd.read(b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    await fd.close();
  }
}

/** The output in row order, read line by line from the partial file, through a temporary name. */
async function writeInOrder(partial: string, output: string, lines: Map<number, LineAt>, count: number): Promise<void> {
  const tmp = `${output}.${process.pid}.tmp`;
  const fd = await fs.open(partial, 'r');
  const out = createWriteStream(tmp, { flags: 'w', highWaterMark: 1024 * 1024 });
  // Lines that sit one after another in the partial file (the usual case) are read and written as one
  // block of up to 1 MB: a read per line was most of the run's time on large files.
  let runStart = -1;
  let runEnd = -1;
  const flush = async () => {
    if (runStart < 0) return;
    const buf = Buffer.alloc(runEnd - runStart);
    await fd.read(buf, 0, buf.length, runStart);
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
    runStart = -1;
  };
  try {
    for (let row = 0; row < count; row++) {
      const at = lines.get(row);
      if (!at) continue;
      const end = at.offset + at.length + 1; // with its newline
      if (runStart >= 0 && at.offset === runEnd && end - runStart <= 1 << 20) {
        runEnd = end;
        continue;
      }
      await flush();
      runStart = at.offset;
      runEnd = end;
    }
    await flush();
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    await fs.rm(tmp, { force: true });
    throw err;
  } finally {
    await fd.close();
  }
  await fs.rename(tmp, output);
}

function append(out: WriteStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(`${line}\n`, (err) => (err ? reject(err) : resolve())));
}

/** JSONL lines written through a temporary name (see writeFileAtomically). */
export async function writeAtomically(file: string, lines: string[]): Promise<void> {
  await writeFileAtomically(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

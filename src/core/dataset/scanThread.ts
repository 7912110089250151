// The dataset build's second thread: it reads and decodes source files and runs the secret scan, while
// the main thread chunks, formats, hashes and writes. On a machine with two cores this is what lets a
// continued pre-training build keep up with reading its files: the scan alone costs about as much as
// the rest of the build. The worker runs scanThreadMain.ts; when it cannot start or stops, the requests
// it had (and all later ones) are answered in this thread, by the same function.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeText, EncodingError } from '../io/readText';
import { secretRanges } from '../safety/secretScan';
import type { SecretMatch } from '../shared/secretRules';

type Request = { op: 'read'; file: string } | { op: 'scan'; text: string };
export type ScanRequest = Request & { id: number };
type Failure = { name: string; message: string; code?: string; line?: number };
export type ScanReply = { id: number } & ({ text: string } | { ranges: SecretMatch[] } | { error: Failure });

/** Reads files and scans text for secrets, on a worker thread when one runs. */
export interface ScanThread {
  readTextFile(file: string): Promise<string>;
  secretRanges(text: string): Promise<SecretMatch[]>;
  close(): Promise<void>;
}

/** The worker's script sits beside this module: out/src/core/dataset in tests, dist/ in the bundle. */
export const SCAN_THREAD_SCRIPT = path.join(__dirname, 'scanThreadMain.js');

/** One request answered: what the worker runs, and what this thread runs without it. */
export async function answer(request: ScanRequest): Promise<ScanReply> {
  try {
    // A synchronous read: the worker does nothing else, and one read of a small file beats four round
    // trips through libuv's pool.
    if (request.op === 'read') return { id: request.id, text: decodeText(readFileSync(request.file)) };
    return { id: request.id, ranges: await secretRanges(request.text) };
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: unknown };
    return {
      id: request.id,
      error: {
        name: e?.name ?? 'Error',
        message: e?.message ?? String(err),
        code: typeof e?.code === 'string' ? e.code : undefined,
        line: err instanceof EncodingError ? err.line : undefined,
      },
    };
  }
}

export function startScanThread(script = SCAN_THREAD_SCRIPT): ScanThread {
  let worker: Worker | undefined;
  const waiting = new Map<number, { request: ScanRequest; resolve: (reply: ScanReply) => void }>();
  const stopped = () => {
    // Whatever the worker had not answered is answered here; so is everything after.
    worker = undefined;
    for (const { request, resolve } of waiting.values()) void answer(request).then(resolve);
    waiting.clear();
  };
  try {
    worker = new Worker(script);
    worker.on('message', (reply: ScanReply) => {
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (waiting.size === 0) worker?.unref();
      w?.resolve(reply);
    });
    worker.on('error', stopped);
    worker.on('exit', stopped);
    // An idle worker must not keep the process (a CLI run) alive; one with requests open must.
    worker.unref();
  } catch {
    worker = undefined;
  }
  let nextId = 0;
  const ask = (request: Request): Promise<ScanReply> => {
    const withId = { ...request, id: nextId++ };
    if (!worker) return answer(withId);
    const w = worker;
    return new Promise((resolve) => {
      if (waiting.size === 0) w.ref();
      waiting.set(withId.id, { request: withId, resolve });
      w.postMessage(withId);
    });
  };
  return {
    async readTextFile(file) {
      const reply = await ask({ op: 'read', file });
      if ('error' in reply) throw errorFrom(reply.error);
      return (reply as { text: string }).text;
    },
    async secretRanges(text) {
      const reply = await ask({ op: 'scan', text });
      if ('error' in reply) throw errorFrom(reply.error);
      return (reply as { ranges: SecretMatch[] }).ranges;
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}

/** The error as the same call would have thrown it in this thread (fileErrorMessage reads its code and line). */
function errorFrom(e: Failure): Error {
  if (e.name === 'EncodingError') return new EncodingError(e.message, e.line ?? 1);
  return Object.assign(new Error(e.message), { name: e.name, code: e.code });
}

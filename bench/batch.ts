// A 1,000-row batch run against the local server: rows per second through the extension's batch path
// (the prompt compiled once and rendered per row, Converse through the SDK adapter, adaptive limiter, output
// JSONL appended and renamed) beside a plain SDK loop making the same calls with the same concurrency.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { createClients } from '../src/core/bedrock/awsSdk';
import { converseOnce } from '../src/core/bedrock/invoke';
import { runBatch, type BatchOutputLine } from '../src/core/batch/runBatch';
import type { BatchRow } from '../src/core/io/rows';
import { compilePrompt } from '../src/core/format/render';
import { startEmulator } from '../test/emulator';
import { median, report } from './report';

const ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 1000);
const CONCURRENCY = 8;
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const PROMPT = `---\nmodel: ${MODEL}\nconfig:\n  maxOutputTokens: 200\ninput:\n  schema:\n    ticket: string\n---\n{{role "system"}}\nRoute the ticket.\n{{role "user"}}\nTicket: {{ticket}}\n`;
const files = { readBytes: async () => new Uint8Array(), readPartial: async () => undefined };

export async function benchBatch(): Promise<void> {
  const emulator = await startEmulator();
  const env = { ...process.env };
  Object.assign(process.env, emulator.env());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-bench-batch-'));
  const rows: BatchRow[] = Array.from({ length: ROWS }, (_, i) => ({
    index: i,
    line: i + 1,
    input: { ticket: `ticket number ${i}: my order ${i % 17} is late` },
  }));
  try {
    const sdk = new BedrockRuntimeClient({});
    const plain = async () => {
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < ROWS; i = next++) {
            await sdk.send(
              new ConverseCommand({
                modelId: MODEL,
                system: [{ text: 'Route the ticket.' }],
                messages: [{ role: 'user', content: [{ text: `Ticket: ${String(rows[i].input.ticket)}` }] }],
                inferenceConfig: { maxTokens: 200 },
              }),
            );
          }
        }),
      );
      return performance.now() - started;
    };
    const clients = createClients({}, 'bench');
    const ours = async (n: number) => {
      const started = performance.now();
      const render = await compilePrompt(PROMPT, files);
      const result = await runBatch({
        rows,
        modelId: MODEL,
        outputPath: path.join(dir, `out-${n}.jsonl`),
        concurrency: CONCURRENCY,
        invoke: async (row, signal): Promise<BatchOutputLine> => {
          const { request } = await render(row.input);
          const o = await converseOnce(clients.runtime, request, { operation: 'bench' }, { signal, retries: false });
          return {
            row: row.index,
            input: row.input,
            modelId: MODEL,
            output: o.text,
            usage: o.usage,
            latencyMs: o.latencyMs,
            error: o.error && { code: o.error.code, message: o.error.message },
          };
        },
      });
      if (!result.complete || result.failed > 0) throw new Error(`batch run incomplete: ${JSON.stringify(result)}`);
      return performance.now() - started;
    };
    await plain(); // warm both paths: connections, JIT
    await ours(0);
    const plainMs: number[] = [];
    const oursMs: number[] = [];
    for (let i = 1; i <= 3; i++) {
      plainMs.push(await plain());
      oursMs.push(await ours(i));
    }
    sdk.destroy();
    clients.dispose();
    const p = median(plainMs);
    const o = median(oursMs);
    report(
      `batch run, ${ROWS} rows at concurrency ${CONCURRENCY}`,
      `${((ROWS / o) * 1000).toFixed(0)} rows/s`,
      `plain SDK loop ${((ROWS / p) * 1000).toFixed(0)} rows/s`,
      o / p,
      'time ratio; render + limiter + JSONL per row',
    );
  } finally {
    process.env = env;
    rmSync(dir, { recursive: true, force: true });
    await emulator.stop();
  }
}

/** A batch run over a large JSONL streams its rows: peak memory beside reading the same rows whole. */
export function benchBatchMemory(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-bench-batchmem-'));
  const file = path.join(dir, 'rows.jsonl');
  const rowCount = Number(process.env.BENCH_BATCH_MEMORY_ROWS ?? 300_000);
  const pad = 'x'.repeat(280);
  writeFileSync(
    file,
    Array.from({ length: rowCount }, (_, i) => JSON.stringify({ ticket: `ticket ${i}: ${pad}` })).join('\n'),
  );
  const mb = statSync(file).size / 1024 / 1024;
  try {
    const measure = (args: string[]) => {
      const run = spawnSync(process.execPath, [path.join(__dirname, 'batchMemoryWorker.js'), ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (run.status !== 0) throw new Error(run.stderr);
      return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; rows: number; maxRssKiB: number };
    };
    const streamed = measure(['stream', file, path.join(dir, 'out.jsonl')]);
    const whole = measure(['whole', file]);
    report(
      `batch run over ${mb.toFixed(0)} MB of JSONL (${streamed.rows} rows), peak RSS`,
      `${(streamed.maxRssKiB / 1024).toFixed(0)} MB`,
      `reading the rows whole ${(whole.maxRssKiB / 1024).toFixed(0)} MB`,
      streamed.maxRssKiB / whole.maxRssKiB,
      `${(mb / (streamed.ms / 1000)).toFixed(1)} MB/s with instant answers`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

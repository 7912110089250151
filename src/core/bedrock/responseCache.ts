// Converse answers kept on disk, keyed by the exact request: a test run that asks what it asked before is
// answered from the file and sends nothing. `record` and `replay` make fixtures, so CI for a fork (no
// credentials) replays what a maintainer recorded. Only Converse (prompt tests, their judge) goes through
// it; streams and token counts are not cached.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { Runtime } from './clients';
import { BedrockError } from '../shared/bedrockError';

/** rw: read, and write what was missing; ro: read, never write; replay: read only, a miss is an error; record: always ask, and write. */
export type CacheMode = 'rw' | 'ro' | 'replay' | 'record';

/** JSON with object keys sorted and bytes as base64: the same request always gives the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64') };
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    return v;
  });
}

export function cacheKey(request: ConverseCommandInput): string {
  return createHash('sha256').update(stableJson(request)).digest('hex');
}

export interface CacheStats {
  hits: number;
  misses: number;
  written: number;
}

/** A Runtime whose Converse answers come from `dir` when they are there (see CacheMode). */
export function cachedRuntime(inner: () => Runtime, dir: string, mode: CacheMode, stats: CacheStats): Runtime {
  const file = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);
  const read = async (key: string): Promise<ConverseCommandOutput | undefined> => {
    try {
      const stored = JSON.parse(await fs.readFile(file(key), 'utf8')) as { response: ConverseCommandOutput };
      return stored.response;
    } catch {
      return undefined;
    }
  };
  const write = async (key: string, request: ConverseCommandInput, response: ConverseCommandOutput) => {
    const target = file(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    // The model id beside the answer, for whoever reads the fixtures; the request itself is the key.
    // $metadata (request id, attempts) belongs to that call, not to the answer.
    const kept: Partial<ConverseCommandOutput> = { ...response };
    delete kept.$metadata;
    await fs.writeFile(tmp, `${JSON.stringify({ modelId: request.modelId, response: kept }, null, 2)}\n`);
    await fs.rename(tmp, target);
    stats.written++;
  };
  return {
    async converse(request, signal, options) {
      const key = cacheKey(request);
      if (mode !== 'record') {
        const hit = await read(key);
        if (hit) {
          stats.hits++;
          return hit;
        }
        stats.misses++;
        if (mode === 'replay')
          throw new BedrockError(
            'Validation',
            `No recorded answer for this ${request.modelId} request in ${dir}: record it first (with credentials), or run without replay.`,
          );
      }
      const response = await inner().converse(request, signal, options);
      if (mode !== 'ro') await write(key, request, response);
      return response;
    },
    converseStream: (request, signal) => inner().converseStream(request, signal),
    countTokens: (request, signal) => inner().countTokens(request, signal),
    applyGuardrail: (request, signal) => inner().applyGuardrail(request, signal),
    invokeGuardrailChecks: (request, signal) => inner().invokeGuardrailChecks(request, signal),
    region: () => inner().region(),
  };
}

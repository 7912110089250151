// The CLI's side of the use cases' Host port (src/app/host.ts): clients from flags and the environment
// (the SDK's own chain: AWS_PROFILE, SSO, AWS_REGION, AWS_ENDPOINT_URL*), prices from the repo's table,
// and a log on stderr that only --verbose shows.
import type { Host } from '../app/host';
import type { BedrockClients } from '../core/bedrock/clients';
import { loadClientFactory } from '../core/bedrock/loadAwsSdk';
import { cachedRuntime, type CacheMode, type CacheStats } from '../core/bedrock/responseCache';
import path from 'node:path';
import { estimateCost, estimateRun } from '../core/bedrock/pricing';
import { PRICES } from '../core/bedrock/priceTable';
import { normalizeSettings, type AwsSettings } from '../core/bedrock/settings';
import { redact, type Logger } from '../core/shared/logger';

export interface NodeHostOptions extends AwsSettings {
  verbose?: boolean;
  /** Converse answers kept on disk (prompt tests and their judge). */
  cache?: { dir: string; mode: CacheMode };
  stallTimeoutSeconds?: number;
  userAgent: string;
}

function stderrLogger(verbose: boolean): Logger {
  const line = (level: string, message: string | Error, args: unknown[]) => {
    const text = [message instanceof Error ? message.message : message, ...args.map(String)].join(' ');
    process.stderr.write(`[${level}] ${redact(text)}\n`);
  };
  const quiet = () => undefined;
  return {
    trace: verbose ? (m, ...a) => line('trace', m, a) : quiet,
    debug: verbose ? (m, ...a) => line('debug', m, a) : quiet,
    info: verbose ? (m, ...a) => line('info', m, a) : quiet,
    warn: (m, ...a) => line('warn', m, a),
    error: verbose ? (m, ...a) => line('error', m, a) : quiet,
  };
}

export function nodeHost(opts: NodeHostOptions): Host & { dispose(): void; cacheStats: CacheStats } {
  let clients: BedrockClients | undefined;
  let cached: BedrockClients | undefined;
  const settings = normalizeSettings({ profile: opts.profile, region: opts.region, endpoint: opts.endpoint });
  const sdkClients = () => (clients ??= loadClientFactory(opts.userAgent)(settings));
  const cacheStats: CacheStats = { hits: 0, misses: 0, written: 0 };
  const cache = opts.cache;
  return {
    // With a cache, the SDK is loaded only when an answer is not on disk (a replay never loads it).
    clients: () =>
      cache
        ? (cached ??= withRuntime(
            sdkClients,
            cachedRuntime(() => sdkClients().runtime, cache.dir, cache.mode, cacheStats),
          ))
        : sdkClients(),
    cacheStats,
    costOf: (modelId, usage) => estimateCost(modelId, usage, PRICES),
    estimateRun: (modelId, calls, chars, maxTokens) => estimateRun(modelId, calls, chars, maxTokens, PRICES),
    displayPath: (fsPath) => {
      const rel = path.relative(process.cwd(), fsPath);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : fsPath;
    },
    stallTimeoutMs: () => Math.max(1, opts.stallTimeoutSeconds ?? 60) * 1000,
    log: stderrLogger(opts.verbose === true),
    profile: () => settings.profile ?? process.env.AWS_PROFILE,
    dispose: () => clients?.dispose(),
  };
}

/** Clients with this runtime; the others are made only if used. */
function withRuntime(make: () => BedrockClients, runtime: BedrockClients['runtime']): BedrockClients {
  return {
    runtime,
    get control() {
      return make().control;
    },
    get storage() {
      return make().storage;
    },
    get customization() {
      return make().customization;
    },
    get batch() {
      return make().batch;
    },
    dispose: () => undefined,
  };
}

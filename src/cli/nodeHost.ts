// The CLI's side of the use cases' Host port (src/app/host.ts): clients from flags and the environment
// (the SDK's own chain: AWS_PROFILE, SSO, AWS_REGION, AWS_ENDPOINT_URL*), prices from the repo's table,
// and a log on stderr that only --verbose shows.
import type { Host } from '../app/host';
import type { BedrockClients } from '../core/bedrock/clients';
import { loadClientFactory } from '../core/bedrock/loadAwsSdk';
import { cachedRuntime, type CacheMode, type CacheStats } from '../core/bedrock/responseCache';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { estimateCost, estimateRun, type ModelPrice } from '../core/bedrock/pricing';
import { BedrockError } from '../core/shared/bedrockError';
import { refuseForbiddenKeys } from '../core/shared/inertData';
import { PRICES } from '../core/bedrock/priceTable';
import { normalizeSettings, type AwsSettings } from '../core/bedrock/settings';
import { redact, type Logger } from '../core/shared/logger';

export interface NodeHostOptions extends AwsSettings {
  verbose?: boolean;
  /** Converse answers kept on disk (prompt tests and their judge). */
  cache?: { dir: string; mode: CacheMode };
  stallTimeoutSeconds?: number;
  userAgent: string;
  /** Prices per 1,000 tokens that override the table (--prices: the shape of bedrockPromptLab.pricing). */
  priceOverrides?: { prices: Record<string, Partial<ModelPrice>>; file: string };
}

/** Reads a --prices file: `{"<model id>": {"input": <usd per 1k>, "output": <usd per 1k>}}`, as the setting. */
export async function readPriceOverrides(file: string): Promise<Record<string, Partial<ModelPrice>>> {
  const fix = `Give a JSON object such as {"amazon.nova-pro-v1:0": {"input": 0.0008, "output": 0.0032}} (US dollars per 1,000 tokens).`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new BedrockError('PromptInvalid', `--prices ${file}: ${(err as Error).message}. ${fix}`);
  }
  const ok = (p: unknown) =>
    !!p &&
    typeof p === 'object' &&
    typeof (p as ModelPrice).input === 'number' &&
    typeof (p as ModelPrice).output === 'number' &&
    (p as ModelPrice).input >= 0 &&
    (p as ModelPrice).output >= 0;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BedrockError('PromptInvalid', `--prices ${file} must hold a JSON object. ${fix}`);
  const bad = Object.entries(parsed).find(([, p]) => !ok(p));
  if (bad)
    throw new BedrockError(
      'PromptInvalid',
      `--prices ${file}: the price of ${bad[0]} needs input and output numbers. ${fix}`,
    );
  refuseForbiddenKeys(parsed, `--prices ${file}`);
  return parsed as Record<string, Partial<ModelPrice>>;
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
  const settings = normalizeSettings({
    profile: opts.profile,
    region: opts.region,
    endpoint: opts.endpoint,
    project: opts.project,
    firstByteTimeoutMs: opts.firstByteTimeoutMs,
    converseTimeoutMs: opts.converseTimeoutMs,
  });
  const sdkClients = () => (clients ??= loadClientFactory(opts.userAgent)(settings));
  const cacheStats: CacheStats = { hits: 0, misses: 0, written: 0 };
  const cache = opts.cache;
  const overrides = opts.priceOverrides && {
    prices: opts.priceOverrides.prices,
    source: `your prices (--prices ${opts.priceOverrides.file})`,
  };
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
    costOf: (modelId, usage) => estimateCost(modelId, usage, PRICES, overrides?.prices, overrides?.source),
    estimateRun: (modelId, calls, chars, maxTokens, tokensPerChar) =>
      estimateRun(modelId, calls, chars, maxTokens, PRICES, overrides?.prices, overrides?.source, tokensPerChar),
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
    get evaluation() {
      return make().evaluation;
    },
    get knowledgeBases() {
      return make().knowledgeBases;
    },
    get agents() {
      return make().agents;
    },
    get prompts() {
      return make().prompts;
    },
    get optimizationJobs() {
      return make().optimizationJobs;
    },
    get managedPrompts() {
      return make().managedPrompts;
    },
    dispose: () => undefined,
  };
}

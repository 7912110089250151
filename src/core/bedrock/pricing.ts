// Estimated cost of a run from the pricing table kept in the repo (pricing/bedrock-on-demand.json,
// with its source and date) and the user's overrides (bedrockPromptLab.pricing).
import type { Usage } from './stream';
import { normalizeModelRef } from '../models/modelRef';
import { formatUsd } from '../shared/money';
import { remedies } from '../shared/remedies';

export { formatUsd };

export interface ModelPrice {
  input: number;
  output: number;
}

export interface PriceTable {
  source: string;
  sourceDate: string;
  models: Record<string, ModelPrice>;
  /** Each service tier's price against the standard on-demand price (priority 1.75: 75% more). */
  serviceTiers?: { source: string; factors: Record<string, number> };
}

export interface CostEstimate {
  usd: number;
  source: string;
}

export function priceFor(
  modelRef: string,
  table: PriceTable,
  overrides: Record<string, Partial<ModelPrice>> = {},
  overrideSource = remedies().pricingSource,
): { price: ModelPrice; source: string } | undefined {
  const ref = normalizeModelRef(modelRef);
  for (const key of [ref.modelId, ref.baseModelId].filter((k): k is string => !!k)) {
    const o = overrides[key];
    if (o && typeof o.input === 'number' && typeof o.output === 'number')
      return { price: { input: o.input, output: o.output }, source: overrideSource };
  }
  // Context-length variants (`…-v1:0:300k`, `…-v1:0:8k`) cost what their base model costs.
  const id = ref.baseModelId ?? '';
  const candidates = [id, id.replace(/:\d+k$/, ''), id.replace(/:\d+:\d+k$/, '')];
  const found = candidates.map((c) => table.models[c]).find((x) => x !== undefined);
  return found ? { price: found, source: `${table.source}, ${table.sourceDate}` } : undefined;
}

/** Input tokens at the input price, output tokens at the output price; cache reads at 10% (the usual discount). */
export function estimateCost(
  modelRef: string,
  usage: Usage | undefined,
  table: PriceTable,
  overrides?: Record<string, Partial<ModelPrice>>,
  overrideSource?: string,
): CostEstimate | undefined {
  if (!usage) return undefined;
  const p = priceFor(modelRef, table, overrides, overrideSource);
  if (!p) return undefined;
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const usd =
    (usage.inputTokens / 1000) * p.price.input +
    (usage.outputTokens / 1000) * p.price.output +
    (cacheRead / 1000) * p.price.input * 0.1 +
    (cacheWrite / 1000) * p.price.input * 1.25;
  return { usd, source: p.source };
}

export interface RunEstimate {
  inputTokens: number;
  /** Output tokens if every answer used maxTokens; undefined when the prompt sets no maxOutputTokens. */
  maxOutputTokens?: number;
  /** Cost of the input alone (the least the run can cost). */
  inputUsd: number;
  /** Cost with every answer at maxTokens; undefined without maxOutputTokens. */
  maxUsd?: number;
  source: string;
  /** How the input tokens were found: counted by CountTokens (one request, the rest scaled by their length), or four characters a token. */
  basis: 'counted' | 'characters';
}

/** What an estimate says about its input tokens: exact or the guess. */
export function estimateBasis(e: Pick<RunEstimate, 'basis'>): string {
  return e.basis === 'counted' ? 'input tokens counted by CountTokens' : 'input tokens guessed at 4 characters a token';
}

/** Characters of text a Converse request sends (messages, system, tool specs): the basis of an estimate. */
export function requestChars(request: {
  messages?: { content?: unknown[] }[];
  system?: unknown[];
  toolConfig?: unknown;
}): number {
  let chars = 0;
  const count = (blocks: unknown[] | undefined) => {
    for (const b of blocks ?? []) {
      const text = (b as { text?: unknown }).text;
      chars += typeof text === 'string' ? text.length : 0;
    }
  };
  count(request.system);
  for (const m of request.messages ?? []) count(m.content);
  if (request.toolConfig) chars += JSON.stringify(request.toolConfig).length;
  return chars;
}

/** Input tokens from characters, when the service has not counted them: four characters a token (close for English with most tokenizers). */
export function estimateInputTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * What a run of `calls` requests is likely to cost before it is sent: input tokens estimated at four
 * characters a token (close for English with most tokenizers), output bounded by maxTokens per call.
 */
export function estimateRun(
  modelRef: string,
  calls: number,
  avgInputChars: number,
  maxTokensPerCall: number | undefined,
  table: PriceTable,
  overrides?: Record<string, Partial<ModelPrice>>,
  overrideSource?: string,
  tokensPerChar?: number,
): RunEstimate | undefined {
  const p = priceFor(modelRef, table, overrides, overrideSource);
  if (!p) return undefined;
  const inputTokens =
    tokensPerChar === undefined
      ? estimateInputTokens(avgInputChars * calls)
      : Math.ceil(avgInputChars * calls * tokensPerChar);
  const maxOutputTokens = maxTokensPerCall === undefined ? undefined : maxTokensPerCall * calls;
  const inputUsd = (inputTokens / 1000) * p.price.input;
  return {
    inputTokens,
    maxOutputTokens,
    inputUsd,
    maxUsd: maxOutputTokens === undefined ? undefined : inputUsd + (maxOutputTokens / 1000) * p.price.output,
    source: p.source,
    basis: tokensPerChar === undefined ? 'characters' : 'counted',
  };
}

/** "≈ $0.02 to $0.31" (or "at least $0.02" when the output is unbounded). */
export function formatEstimate(e: RunEstimate, factor = 1): string {
  const usd = formatUsd;
  const low = usd(e.inputUsd * factor);
  return e.maxUsd === undefined
    ? `at least ${low} (no maxOutputTokens: the output is unbounded)`
    : `≈ ${low} to ${usd(e.maxUsd * factor)}`;
}

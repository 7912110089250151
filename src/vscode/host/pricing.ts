import {
  estimateCost,
  estimateRun,
  priceFor,
  type CostEstimate,
  type ModelPrice,
  type RunEstimate,
} from '../../core/bedrock/pricing';
import { PRICES } from '../../core/bedrock/priceTable';
import type { Usage } from '../../core/bedrock/stream';
import { config } from './config';

export { PRICES };

/** Estimated cost from the repo's price table and the user's `bedrockPromptLab.pricing` overrides. */
export function costOf(modelId: string, usage: Usage | undefined): CostEstimate | undefined {
  const overrides = config.pricingOverrides();
  return estimateCost(modelId, usage, PRICES, overrides);
}

/** A run's likely cost before it is sent (see estimateRun), with the user's price overrides. */
export function estimateRunCost(
  modelId: string,
  calls: number,
  avgInputChars: number,
  maxTokensPerCall: number | undefined,
  tokensPerChar?: number,
): RunEstimate | undefined {
  const overrides = config.pricingOverrides();
  return estimateRun(modelId, calls, avgInputChars, maxTokensPerCall, PRICES, overrides, undefined, tokensPerChar);
}

/** A model's price per 1,000 tokens as runs use it: the user's override first, else the table. */
export function modelPrice(modelId: string): { price: ModelPrice; source: string } | undefined {
  return priceFor(modelId, PRICES, config.pricingOverrides());
}

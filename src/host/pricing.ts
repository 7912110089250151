import vscode = require('vscode');
import priceTable from '../../pricing/bedrock-on-demand.json';
import { estimateCost, estimateRun, type CostEstimate, type ModelPrice, type PriceTable, type RunEstimate } from '../bedrock/pricing';
import type { Usage } from '../bedrock/stream';

export const PRICES = priceTable as PriceTable;

/** Estimated cost from the repo's price table and the user's `bedrockPromptLab.pricing` overrides. */
export function costOf(modelId: string, usage: Usage | undefined): CostEstimate | undefined {
  const overrides = vscode.workspace.getConfiguration('bedrockPromptLab').get<Record<string, Partial<ModelPrice>>>('pricing', {});
  return estimateCost(modelId, usage, PRICES, overrides);
}

/** A run's likely cost before it is sent (see estimateRun), with the user's price overrides. */
export function estimateRunCost(modelId: string, calls: number, avgInputChars: number, maxTokensPerCall: number | undefined): RunEstimate | undefined {
  const overrides = vscode.workspace.getConfiguration('bedrockPromptLab').get<Record<string, Partial<ModelPrice>>>('pricing', {});
  return estimateRun(modelId, calls, avgInputChars, maxTokensPerCall, PRICES, overrides);
}

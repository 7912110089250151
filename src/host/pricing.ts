import vscode = require('vscode');
import priceTable from '../../pricing/bedrock-on-demand.json';
import { estimateCost, type CostEstimate, type ModelPrice, type PriceTable } from '../bedrock/pricing';
import type { Usage } from '../bedrock/stream';

export const PRICES = priceTable as PriceTable;

/** Estimated cost from the repo's price table and the user's `bedrockPromptLab.pricing` overrides. */
export function costOf(modelId: string, usage: Usage | undefined): CostEstimate | undefined {
  const overrides = vscode.workspace.getConfiguration('bedrockPromptLab').get<Record<string, Partial<ModelPrice>>>('pricing', {});
  return estimateCost(modelId, usage, PRICES, overrides);
}

// Choosing a service tier and a latency for one run or for Compare's columns, without editing the file.
// The pickers say what each tier means and that the tiers share one on-demand quota.
import vscode = require('vscode');
import {
  SERVICE_TIERS,
  TIER_DESCRIPTIONS,
  TIERS_SHARE_QUOTA,
  type LatencyName,
  type ServiceTierName,
  type TierChoice,
} from '../../core/bedrock/serviceTiers';
import { PRICES } from '../../core/bedrock/priceTable';

function tierItems(): (vscode.QuickPickItem & { tier: ServiceTierName })[] {
  return SERVICE_TIERS.map((tier) => {
    const factor = PRICES.serviceTiers?.factors[tier];
    const price =
      tier === 'reserved'
        ? 'only with reserved capacity arranged with AWS'
        : factor === undefined || factor === 1
          ? 'on-demand price'
          : `${factor}× the on-demand price`;
    return { label: tier, description: price, detail: TIER_DESCRIPTIONS[tier], tier };
  });
}

/** One tier and a latency, asked in turn; undefined when either is dismissed. */
export async function pickTierChoice(given?: TierChoice): Promise<TierChoice | undefined> {
  if (given) return given;
  const tier = await vscode.window.showQuickPick(tierItems(), {
    title: 'Run with which service tier?',
    placeHolder: TIERS_SHARE_QUOTA,
  });
  if (!tier) return undefined;
  const latency = await vscode.window.showQuickPick(
    [
      { label: 'standard', detail: 'the usual latency', latency: 'standard' as LatencyName },
      {
        label: 'optimized',
        detail: 'latency-optimized inference: some models in some Regions; others refuse it',
        latency: 'optimized' as LatencyName,
      },
    ],
    { title: `Run on the ${tier.tier} tier with which latency?` },
  );
  if (!latency) return undefined;
  return { serviceTier: tier.tier, latency: latency.latency };
}

/** Two or more tiers for Compare's columns (the same model on each). */
export async function pickTiers(given?: ServiceTierName[]): Promise<ServiceTierName[] | undefined> {
  if (given) return given;
  const picks = await vscode.window.showQuickPick(
    tierItems().map((i) => ({ ...i, picked: i.tier === 'default' || i.tier === 'priority' })),
    { title: 'Compare the prompt on which service tiers?', placeHolder: TIERS_SHARE_QUOTA, canPickMany: true },
  );
  return picks && picks.length > 0 ? picks.map((p) => p.tier) : undefined;
}

// `prompt-lab estimate <file.prompt>`: the tokens and cost of one run before it is sent. Nothing is
// generated: CountTokens is free (and --offline sends nothing at all).
import { estimatePrompt, type PromptEstimate } from '../app/estimatePrompt';
import type { Host } from '../app/host';
import { retrieverFor } from '../app/retrieval';
import { formatUsd } from '../core/bedrock/pricing';
import { EXIT } from './exitCodes';
import { prepareRun, type RunCommandOptions } from './runCommand';

export function estimateText(e: PromptEstimate): string {
  const counted = e.exact ? 'counted by CountTokens' : `estimated at 4 characters a token (${e.estimateReason})`;
  const lines = [`${e.modelId}: ${e.inputTokens} input tokens, ${counted}`];
  lines.push(
    e.maxOutputTokens === undefined
      ? 'output: up to the model’s own limit (set config.maxOutputTokens to bound it)'
      : `output: up to ${e.maxOutputTokens} tokens (config.maxOutputTokens)`,
  );
  if (e.inputUsd === undefined) lines.push('cost: no price for this model (see pricing/bedrock-on-demand.json)');
  else
    lines.push(
      `cost: ~${formatUsd(e.inputUsd)} input${e.maxUsd === undefined ? '' : `, at most ~${formatUsd(e.maxUsd)} with the longest answer`} (prices: ${e.priceSource})`,
    );
  return `${lines.join('\n')}\n`;
}

export async function estimateCommand(
  host: Host,
  file: string,
  opts: RunCommandOptions & { offline?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const { request } = await prepareRun(file, opts, retrieverFor(host));
  const estimate = await estimatePrompt(host, request, signal, { offline: opts.offline });
  process.stdout.write(opts.json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate));
  return EXIT.ok;
}

// What one request will cost before it is sent: its input tokens (exact through CountTokens where the
// model and Region offer it, else four characters a token) and the most its output can cost (maxTokens).
import { normalizeModelRef } from '../core/models/modelRef';
import { estimateInputTokens, requestChars } from '../core/bedrock/pricing';
import type { ConverseRequest } from '../core/format/render';
import type { Host } from './host';
import { costAtTier } from '../core/bedrock/serviceTiers';

export interface PromptEstimate {
  modelId: string;
  inputTokens: number;
  /** true: counted by the service (CountTokens); false: estimated from the characters. */
  exact: boolean;
  /** Why the count is an estimate, when it is. */
  estimateReason?: string;
  /** The request's maxTokens, the most the answer can be (undefined: the model's own limit). */
  maxOutputTokens?: number;
  inputUsd?: number;
  /** Input and the longest answer (undefined when maxTokens is not set). */
  maxUsd?: number;
  priceSource?: string;
}

export async function estimatePrompt(
  host: Host,
  request: ConverseRequest,
  signal: AbortSignal,
  opts: { offline?: boolean } = {},
): Promise<PromptEstimate> {
  let inputTokens: number | undefined;
  let estimateReason = opts.offline ? 'offline' : undefined;
  if (!opts.offline) {
    try {
      const base = normalizeModelRef(request.modelId).baseModelId ?? request.modelId;
      const out = await host.clients().runtime.countTokens(
        {
          modelId: base,
          input: { converse: { messages: request.messages, system: request.system, toolConfig: request.toolConfig } },
        },
        signal,
      );
      inputTokens = out.inputTokens;
    } catch (err) {
      // CountTokens is not offered for every model or Region: an estimate is better than no number.
      estimateReason = `CountTokens: ${(err as Error).message}`;
      host.log.debug(`count tokens for ${request.modelId}: ${(err as Error).message}; estimated`);
    }
  }
  const exact = inputTokens !== undefined;
  const tokens = inputTokens ?? estimateInputTokens(requestChars(request));
  const maxOutputTokens = request.inferenceConfig?.maxTokens;
  const price = (outputTokens: number) =>
    costAtTier(
      host.costOf(request.modelId, { inputTokens: tokens, outputTokens, totalTokens: tokens + outputTokens }),
      request.serviceTier?.type,
    );
  const input = price(0);
  return {
    modelId: request.modelId,
    inputTokens: tokens,
    exact,
    estimateReason: exact ? undefined : estimateReason,
    maxOutputTokens,
    inputUsd: input?.usd,
    maxUsd: maxOutputTokens === undefined ? undefined : price(maxOutputTokens)?.usd,
    priceSource: input?.source,
  };
}

/**
 * Tokens per character of a request as the service counts them (CountTokens), to scale a many-request
 * estimate (rows, a batch job) by: undefined when the model or Region has no CountTokens, and the
 * estimate stays at four characters a token.
 */
export async function measuredTokensPerChar(
  host: Host,
  request: ConverseRequest,
  signal: AbortSignal,
): Promise<number | undefined> {
  const counted = await estimatePrompt(host, request, signal);
  return counted.exact ? counted.inputTokens / Math.max(1, requestChars(request)) : undefined;
}

// One request, one answer, no streaming: what prompt tests, batch runs and the LLM judge need. Pure: it
// takes the Runtime interface, so unit tests pass a fake and the extension passes the SDK adapter.
import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { Runtime } from './clients';
import { toBedrockError, type BedrockError, type ErrorContext } from './errors';
import { usageFrom, type ToolCall, type Usage } from './stream';

export interface InvokeOutcome {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  /** Latency the service reports (metrics.latencyMs). */
  serverLatencyMs?: number;
  stopReason?: string;
  usage?: Usage;
  latencyMs: number;
  error?: BedrockError;
}

export interface InvokeOptions {
  signal?: AbortSignal;
  /** false: one attempt, no SDK retries (the caller's AdaptiveLimiter retries, and sees every throttle). */
  retries?: boolean;
  now?: () => number;
}

export async function converseOnce(
  runtime: Runtime,
  request: ConverseCommandInput,
  ctx: ErrorContext,
  opts: InvokeOptions = {},
): Promise<InvokeOutcome> {
  const now = opts.now ?? (() => performance.now());
  const startedAt = now();
  try {
    const out = await runtime.converse(request, opts.signal, { retries: opts.retries });
    return outcomeOf(out, now() - startedAt);
  } catch (err) {
    return { text: '', reasoning: '', toolCalls: [], latencyMs: now() - startedAt, error: toBedrockError(err, ctx) };
  }
}

/** The one reading of a Converse response: text, reasoning, tool calls, stop reason, usage. */
export function outcomeOf(
  out: Pick<ConverseCommandOutput, 'output' | 'stopReason' | 'usage' | 'metrics'>,
  latencyMs: number,
): InvokeOutcome {
  const blocks = out.output?.message?.content ?? [];
  return {
    text: blocks.map((b) => b.text ?? '').join(''),
    reasoning: blocks.map((b) => b.reasoningContent?.reasoningText?.text ?? '').join(''),
    toolCalls: blocks
      .filter((b) => b.toolUse)
      .map((b) => ({ toolUseId: b.toolUse?.toolUseId ?? '', name: b.toolUse?.name ?? '', input: b.toolUse?.input })),
    stopReason: out.stopReason,
    usage: usageFrom(out.usage),
    serverLatencyMs: out.metrics?.latencyMs,
    latencyMs,
  };
}

// Calling a model: one answer without streaming (`converseOnce`: prompt tests, batch rows, the judge), one
// answer streamed where the model can (`streamAnswer`: runs, Compare, VS Code chat; `converseStreamOnce`:
// evaluations, for the time to the first token), and the one reading of
// a Converse response (`outcomeOf`). Pure: it takes the Runtime interface, so unit tests pass a fake and
// the extension passes the SDK adapter.
import { arnOf } from '../shared/arn';
import { readCitation, type Citation } from './citations';
import type { CostEstimate } from './pricing';
import { costAtTier } from './serviceTiers';
import type {
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamCommandInput,
  ConverseStreamOutput,
  GuardrailTraceAssessment,
} from '@aws-sdk/client-bedrock-runtime';
import type { Runtime } from './clients';
import { toBedrockError, type ErrorContext } from './errors';
import { BedrockError } from '../shared/bedrockError';
import {
  consumeStream,
  usageFrom,
  type StreamCallbacks,
  type StreamOptions,
  type StreamOutcome,
  type ToolCall,
  type Usage,
} from './stream';

export interface InvokeOutcome {
  /** Only for a streamed call: ms from the request to the first text. */
  timeToFirstTokenMs?: number;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  /** Latency the service reports (metrics.latencyMs). */
  serverLatencyMs?: number;
  stopReason?: string;
  usage?: Usage;
  latencyMs: number;
  error?: BedrockError;
  /** The model a prompt router chose (`trace.promptRouter.invokedModelId`, an ARN). */
  invokedModelId?: string;
  /** The service tier that served the call. */
  serviceTier?: string;
  /** What the answer cites from the attached documents. */
  citations?: Citation[];
  /** What the guardrails did (`trace.guardrail`, when the trace is on or a guardrail is enforced). */
  guardrailTrace?: GuardrailTraceAssessment;
}

/** A call's listed cost at the tier that served it (the model a router chose, priced at its tier). */
export function callCost(
  costOf: (modelId: string, usage: Usage | undefined) => CostEstimate | undefined,
  modelId: string,
  outcome: { invokedModelId?: string; serviceTier?: string; usage?: Usage },
): CostEstimate | undefined {
  return costAtTier(costOf(answeredBy(modelId, outcome), outcome.usage), outcome.serviceTier);
}

/**
 * The model that answered: the one a prompt router chose (its inference profile or model id, which
 * prices and messages use), else the model sent.
 */
export function answeredBy(modelId: string, outcome: { invokedModelId?: string }): string {
  if (!outcome.invokedModelId) return modelId;
  const arn = arnOf(outcome.invokedModelId);
  return arn?.resourceId ?? outcome.invokedModelId;
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

/**
 * One answer through ConverseStream, read whole: what an evaluation sends, so that the time to the first
 * token is measured. A model that cannot stream answers through Converse (its first token is its whole
 * answer). Failures are the outcome's `error`, as with converseOnce.
 */
export async function converseStreamOnce(
  runtime: Runtime,
  request: ConverseCommandInput,
  ctx: ErrorContext,
  opts: { signal?: AbortSignal; stallTimeoutMs: number; now?: () => number },
): Promise<InvokeOutcome> {
  const now = opts.now ?? (() => performance.now());
  const startedAt = now();
  const controller = new AbortController();
  const stop = () => controller.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    const out = await streamAnswer(
      runtime,
      request,
      {},
      {
        signal: controller.signal,
        stallTimeoutMs: opts.stallTimeoutMs,
        startedAt,
        now,
        errorContext: ctx,
        abort: stop,
      },
    );
    const error =
      out.error ??
      (out.status === 'stopped' ? new BedrockError('Cancelled', 'Stopped before the answer finished.') : undefined);
    return { ...out, error };
  } catch (err) {
    return { text: '', reasoning: '', toolCalls: [], latencyMs: now() - startedAt, error: toBedrockError(err, ctx) };
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}

/** The one reading of a Converse response: text, reasoning, tool calls, stop reason, usage. */
export function outcomeOf(
  out: Pick<ConverseCommandOutput, 'output' | 'stopReason' | 'usage' | 'metrics' | 'trace' | 'serviceTier'>,
  latencyMs: number,
): InvokeOutcome {
  const blocks = out.output?.message?.content ?? [];
  // A cited answer comes as citationsContent blocks: their text is the answer's, their citations its sources.
  const citations = blocks.flatMap((b) => (b.citationsContent?.citations ?? []).map((c) => readCitation(c)));
  return {
    text: blocks.map((b) => b.text ?? (b.citationsContent?.content ?? []).map((c) => c.text ?? '').join('')).join(''),
    ...(citations.length > 0 ? { citations } : {}),
    reasoning: blocks.map((b) => b.reasoningContent?.reasoningText?.text ?? '').join(''),
    toolCalls: blocks
      .filter((b) => b.toolUse)
      .map((b) => ({ toolUseId: b.toolUse?.toolUseId ?? '', name: b.toolUse?.name ?? '', input: b.toolUse?.input })),
    stopReason: out.stopReason,
    usage: usageFrom(out.usage),
    serverLatencyMs: out.metrics?.latencyMs,
    latencyMs,
    invokedModelId: out.trace?.promptRouter?.invokedModelId,
    serviceTier: out.serviceTier?.type,
    guardrailTrace: out.trace?.guardrail,
  };
}

export interface StreamAnswerOptions extends StreamOptions {
  /** false: the model is known not to stream, so Converse is called at once. */
  stream?: boolean;
  /** Called once the service has accepted the request, before any text is reported (an editor writes nothing before). */
  onAccepted?(): Promise<void> | void;
}

/**
 * One answer through ConverseStream, or through Converse for a model (or deployment) that cannot stream:
 * the service's `StreamingUnsupported` refusal falls back, by its code. A failure before the service
 * accepted the request is thrown; after, it is the outcome's `error` with what arrived kept.
 */
export async function streamAnswer(
  runtime: Runtime,
  request: ConverseStreamCommandInput,
  cb: StreamCallbacks,
  opts: StreamAnswerOptions,
): Promise<StreamOutcome & { streamed: boolean }> {
  let stream: AsyncIterable<ConverseStreamOutput> | undefined;
  if (opts.stream !== false) {
    try {
      stream = (await runtime.converseStream(request, opts.signal)).stream;
    } catch (err) {
      if (toBedrockError(err, opts.errorContext).code !== 'StreamingUnsupported') throw err;
    }
  }
  if (stream) {
    await opts.onAccepted?.();
    return { ...(await consumeStream(stream, cb, opts)), streamed: true };
  }
  const now = opts.now ?? (() => performance.now());
  const answer = outcomeOf(await runtime.converse(request, opts.signal), now() - opts.startedAt);
  await opts.onAccepted?.();
  if (answer.reasoning) cb.onReasoning?.(answer.reasoning);
  cb.onText?.(answer.text);
  return { ...answer, timeToFirstTokenMs: answer.latencyMs, status: 'complete', streamed: false };
}

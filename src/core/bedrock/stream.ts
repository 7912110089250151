// Consumes a Converse stream into text, reasoning, tool calls, usage and timings. Pure: it takes the
// SDK's event iterable and reports through callbacks, so the editor side only decides where text goes.
//
// Facts it relies on (test/emulator/README.md): a cut or aborted HTTP/2 stream ends the iterator without
// an error, so a stream without `messageStop` is an interrupted stream; exceptions inside the stream are
// thrown from the loop after the events already delivered.
import { readCitation, type Citation } from './citations';
import type {
  ContentBlockDelta,
  ConverseStreamOutput,
  GuardrailTraceAssessment,
  TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import { toBedrockError, type ErrorContext } from './errors';
import { remedies } from '../shared/remedies';

export interface ToolCall {
  toolUseId: string;
  name: string;
  input: unknown;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface StreamOutcome {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  stopReason?: string;
  usage?: Usage;
  /** Latency the service reports (metadata.metrics.latencyMs). */
  serverLatencyMs?: number;
  /** ms from the request to the first text (or reasoning) delta. */
  timeToFirstTokenMs?: number;
  /** ms from the request to the end of the stream. */
  latencyMs: number;
  status: 'complete' | 'stopped' | 'failed';
  error?: BedrockError;
  /** What the guardrails did (`trace.guardrail` of the metadata event). */
  guardrailTrace?: GuardrailTraceAssessment;
  /** The model a prompt router chose (`trace.promptRouter.invokedModelId`, an ARN). */
  invokedModelId?: string;
  /** The service tier that served the call (`serviceTier.type` in the metadata event). */
  serviceTier?: string;
  /** What the answer cites from the attached documents (`bedrock.citations`). */
  citations?: Citation[];
}

export interface StreamCallbacks {
  onText?(text: string): void;
  onReasoning?(text: string): void;
}

export interface StreamOptions {
  /** Aborts the request (the user pressed Stop). */
  signal: AbortSignal;
  /** Abort when no event arrives for this long. */
  stallTimeoutMs: number;
  /** When the request was sent (performance.now() clock), for the timings. */
  startedAt: number;
  now?: () => number;
  errorContext: ErrorContext;
  /** Aborts the underlying request; called on a stall. */
  abort(): void;
}

export function usageFrom(u: TokenUsage | undefined): Usage | undefined {
  if (!u) return undefined;
  return {
    inputTokens: u.inputTokens ?? 0,
    outputTokens: u.outputTokens ?? 0,
    totalTokens: u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0),
    ...(u.cacheReadInputTokens ? { cacheReadInputTokens: u.cacheReadInputTokens } : {}),
    ...(u.cacheWriteInputTokens ? { cacheWriteInputTokens: u.cacheWriteInputTokens } : {}),
  };
}

export async function consumeStream(
  events: AsyncIterable<ConverseStreamOutput>,
  cb: StreamCallbacks,
  opts: StreamOptions,
): Promise<StreamOutcome> {
  const now = opts.now ?? (() => performance.now());
  const out: StreamOutcome = { text: '', reasoning: '', toolCalls: [], latencyMs: 0, status: 'complete' };
  const toolInputs = new Map<number, { toolUseId: string; name: string; json: string }>();
  let sawStop = false;
  let stalled = false;
  // One watchdog per stream, not a timer per event: the per-event work stays a timestamp.
  let lastEventAt = Date.now();
  const watchdog = setInterval(
    () => {
      if (Date.now() - lastEventAt < opts.stallTimeoutMs) return;
      stalled = true;
      clearInterval(watchdog);
      opts.abort();
    },
    Math.min(1000, Math.max(10, opts.stallTimeoutMs / 4)),
  );
  const firstToken = () => {
    if (out.timeToFirstTokenMs === undefined) out.timeToFirstTokenMs = now() - opts.startedAt;
  };
  try {
    for await (const ev of events) {
      lastEventAt = Date.now();
      if (ev.contentBlockStart?.start?.toolUse) {
        const t = ev.contentBlockStart.start.toolUse;
        toolInputs.set(ev.contentBlockStart.contentBlockIndex ?? 0, {
          toolUseId: t.toolUseId ?? '',
          name: t.name ?? '',
          json: '',
        });
      } else if (ev.contentBlockDelta?.delta) {
        const delta: ContentBlockDelta = ev.contentBlockDelta.delta;
        if (delta.text !== undefined) {
          firstToken();
          out.text += delta.text;
          cb.onText?.(delta.text);
        } else if (delta.reasoningContent?.text !== undefined) {
          firstToken();
          out.reasoning += delta.reasoningContent.text;
          cb.onReasoning?.(delta.reasoningContent.text);
        } else if (delta.citation) {
          (out.citations ??= []).push(readCitation(delta.citation));
        } else if (delta.toolUse?.input !== undefined) {
          const t = toolInputs.get(ev.contentBlockDelta.contentBlockIndex ?? 0);
          if (t) t.json += delta.toolUse.input;
        }
      } else if (ev.contentBlockStop) {
        const t = toolInputs.get(ev.contentBlockStop.contentBlockIndex ?? 0);
        if (t) {
          out.toolCalls.push({ toolUseId: t.toolUseId, name: t.name, input: parseToolInput(t.json) });
          toolInputs.delete(ev.contentBlockStop.contentBlockIndex ?? 0);
        }
      } else if (ev.messageStop) {
        sawStop = true;
        out.stopReason = ev.messageStop.stopReason;
      } else if (ev.metadata) {
        out.usage = usageFrom(ev.metadata.usage);
        out.serverLatencyMs = ev.metadata.metrics?.latencyMs;
        out.guardrailTrace = ev.metadata.trace?.guardrail;
        out.invokedModelId = ev.metadata.trace?.promptRouter?.invokedModelId;
        out.serviceTier = ev.metadata.serviceTier?.type;
      }
    }
    if (opts.signal.aborted && !stalled) {
      out.status = 'stopped';
    } else if (stalled) {
      out.status = 'failed';
      out.error = new BedrockError(
        'StreamStalled',
        `The stream stalled: nothing arrived for ${Math.round(opts.stallTimeoutMs / 1000)} s, so it was stopped. What arrived is kept. Retry, or raise ${remedies().stallTimeout}.`,
        ['retry'],
      );
    } else if (!sawStop) {
      out.status = 'failed';
      out.error = new BedrockError(
        'StreamInterrupted',
        'The connection to Bedrock was cut before the answer finished. What arrived is kept. Retry.',
        ['retry'],
      );
    }
  } catch (err) {
    if (opts.signal.aborted && !stalled) out.status = 'stopped';
    else if (stalled) {
      out.status = 'failed';
      out.error = new BedrockError(
        'StreamStalled',
        `The stream stalled: nothing arrived for ${Math.round(opts.stallTimeoutMs / 1000)} s, so it was stopped. What arrived is kept. Retry, or raise ${remedies().stallTimeout}.`,
        ['retry'],
        err,
      );
    } else {
      out.status = 'failed';
      const e = toBedrockError(err, opts.errorContext);
      if (e.code === 'Unknown' || e.code === 'Network') {
        // Not a modelled Bedrock exception: the transport broke (reset, HTTP/2 stream error, …).
        out.error = new BedrockError(
          'StreamInterrupted',
          `The connection to Bedrock was cut before the answer finished (${(err as Error)?.message ?? String(err)}). What arrived is kept. Retry.`,
          ['retry'],
          err,
        );
      } else {
        // An exception inside the stream is never retried by the SDK: say so, and that the text stays.
        out.error = new BedrockError(
          e.code,
          `${e.message} (The stream broke after ${out.text.length} characters; what arrived is kept.)`,
          e.actions,
          err,
          e.data,
        );
      }
    }
  } finally {
    clearInterval(watchdog);
    out.latencyMs = now() - opts.startedAt;
  }
  return out;
}

function parseToolInput(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

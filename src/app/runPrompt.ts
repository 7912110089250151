// Running one prompt, the engine's part, shared by the editor (RunController) and the CLI
// (`prompt-lab run`): the file compiled and rendered (media and partials through the front end's confined
// reader), the request for the chosen model, the answer streamed to callbacks (Converse for a model that
// cannot stream), and the result both show: metrics, cost and the output-schema check.
import { stopReasonNote } from '../core/bedrock/stopReasons';
import { performance } from 'node:perf_hooks';
import { BedrockError } from '../core/shared/bedrockError';
import { toBedrockError, type ErrorContext } from '../core/bedrock/errors';
import { answeredBy, callCost, streamAnswer } from '../core/bedrock/invoke';
import { arnOf } from '../core/shared/arn';
import type { Citation } from '../core/bedrock/citations';
import { guardrailVerdict, type GuardrailReport } from '../core/bedrock/guardrails';
import { formatUsd } from '../core/bedrock/pricing';
import type { StreamOutcome, ToolCall, Usage } from '../core/bedrock/stream';
import { promptEngine } from '../core/format/loadEngine';
import type { ConverseRequest, PromptFiles, RenderError, RenderResult } from '../core/format/render';
import type { Retrieval } from '../core/format/knowledgeBase';
import type { AgentRun } from '../core/format/agent';
import type { Host } from './host';
import { withRetrieval, type Retriever } from './retrieval';
import { answeringRuntime } from './answering';

/** How a run ended: what `bedrockPromptLab.run` resolves to and what `prompt-lab run --json` prints. */
export interface RunResult {
  status: 'complete' | 'stopped' | 'failed';
  /** The model id sent (after `bedrock/` prefixes are removed). */
  modelId: string;
  /** The model a prompt router chose to answer (its inference profile or model id), when modelId is a router. */
  routedTo?: string;
  /** The service tier that served the run, as the service reported it. */
  serviceTier?: string;
  /** What the answer cites from the attached documents (`bedrock.citations`) or passages (`bedrock.knowledgeBase.attach`). */
  citations?: Citation[];
  /** What the prompt's knowledge base returned for this run (`bedrock.knowledgeBase`). */
  retrieval?: Retrieval;
  /** What the prompt's agent did (`bedrock.agent`): its harness session, its own steps, every tool it called. */
  agent?: AgentRun;
  /** What the guardrails did (`guardrailVerdict`: the trace, or the stop reason with the trace off). */
  guardrail?: GuardrailReport;
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  stopReason?: string;
  usage?: Usage;
  metrics: {
    /** ms from sending the request to the first token. */
    timeToFirstTokenMs?: number;
    /** ms from sending the request to the end. */
    latencyMs: number;
    /** Latency the service reported. */
    serverLatencyMs?: number;
  };
  /** Estimated cost in USD, when the model's price is known. */
  costUsd?: number;
  costSource?: string;
  /** Whether ConverseStream was used (false: the model cannot stream, Converse was used). */
  streamed: boolean;
  /** Number of document edits used to show the answer (the editor; 0 elsewhere). */
  edits: number;
  /** Worst delay from a token's arrival to its appearance in the document, per edit (ms). */
  editDelaysMs?: number[];
  error?: { code: string; message: string };
  /** Where the run was recorded. */
  historyFile?: string;
  /** The request asked Converse for native structured output (outputConfig). */
  structuredOutput?: boolean;
  /** Why a JSON answer does not match output.schema (checked after every JSON run). */
  schemaProblem?: string;
}

/** A render failure as a PromptInvalid error that names the line (matched by name: the engine is a separate bundle). */
function asPromptError(err: unknown): unknown {
  if ((err as Error).name !== 'RenderError') return err;
  const e = err as RenderError;
  return new BedrockError('PromptInvalid', `${e.message}${e.line ? ` (line ${e.line})` : ''}`);
}

/**
 * Compiles a prompt file's text once for many renders (batch runs, test cases); failures name the line.
 * An answer a run appended at the end, with nothing written after it, is not part of the prompt (Run
 * again replaces it). A prompt with a knowledge base retrieves before each render (src/app/retrieval.ts).
 */
export async function compilePromptText(
  text: string,
  files: PromptFiles,
  retrieve: Retriever,
): Promise<(input: Record<string, unknown>) => Promise<RenderResult>> {
  const compiled = await promptEngine()
    .compilePrompt(promptEngine().promptTextForRun(text), files)
    .catch((err: unknown) => {
      throw asPromptError(err);
    });
  const render = withRetrieval(
    (input, passages) =>
      compiled(input, passages).catch((err: unknown) => {
        throw asPromptError(err);
      }),
    retrieve,
  );
  return render;
}

/** The rendered request for another model than the file names (JSON output asked for the way that model takes it). */
export function requestFor(rendered: RenderResult, modelRef: string | undefined): ConverseRequest {
  return modelRef ? promptEngine().requestForModel(rendered, modelRef).request : rendered.request;
}

export interface StreamPromptOptions {
  signal: AbortSignal;
  abort: () => void;
  /** false: the model is known not to stream, so Converse is called at once. */
  streamed: boolean;
  /** Called once the service has accepted the request, before any text (an editor writes nothing before). */
  onAccepted?: () => Promise<void> | void;
  onText?: (text: string) => void;
  onReasoning?: (text: string) => void;
  errorContext: ErrorContext;
  /** The prompt file (a URI string), for settings scoped to it. */
  resource?: string;
  /** The prompt as the log names it (a workspace-relative path). */
  label?: string;
  /** The render's knowledge base and agent: with `mode: generate` or `bedrock.agent`, another API answers (answeringRuntime). */
  target?: Pick<RenderResult, 'knowledgeBase' | 'agent'>;
}

/**
 * Sends the request and streams the answer to the callbacks. A failure before the service accepted the
 * request is thrown as a BedrockError (nothing was written anywhere); after, it is the outcome's error,
 * with what arrived kept.
 */
export async function streamPrompt(
  host: Host,
  request: ConverseRequest,
  opts: StreamPromptOptions,
): Promise<AnsweredOutcome & { streamed: boolean }> {
  const answering = answeringRuntime(host.clients(), opts.target);
  const api = answering.api;
  host.log.info(
    `run ${opts.label ? `${opts.label} ` : ''}with ${request.modelId} (${api ?? (opts.streamed ? 'ConverseStream' : 'Converse')})`,
  );
  host.log.trace(
    'request',
    JSON.stringify(request, (k, v) => (k === 'bytes' ? '<bytes>' : v)),
  );
  try {
    const outcome = await streamAnswer(
      answering.runtime,
      request,
      { onText: opts.onText, onReasoning: opts.onReasoning },
      {
        stream: opts.streamed,
        onAccepted: opts.onAccepted,
        signal: opts.signal,
        stallTimeoutMs: host.stallTimeoutMs(opts.resource),
        startedAt: performance.now(),
        errorContext: opts.errorContext,
        abort: opts.abort,
      },
    );
    const retrieval = answering.retrieval();
    const agentRun = answering.agentRun();
    return { ...outcome, ...(retrieval ? { retrieval } : {}), ...(agentRun ? { agentRun } : {}) };
  } catch (err) {
    if (opts.signal.aborted) throw new BedrockError('Cancelled', 'Stopped before the answer started.');
    throw toBedrockError(err, opts.errorContext);
  }
}

/**
 * An answer with what came with it from the API that answered: what a knowledge base in generate mode
 * cited (over what the render retrieved), what an agent did.
 */
export type AnsweredOutcome = StreamOutcome & { retrieval?: Retrieval; agentRun?: AgentRun };

/** The result of a run that ended (complete, stopped, or failed with what arrived kept). */
export function runResult(
  host: Host,
  request: ConverseRequest,
  outcome: AnsweredOutcome,
  streamed: boolean,
  rendered?: RenderResult,
): RunResult {
  const agent = outcome.agentRun;
  const answered = answeredBy(request.modelId, outcome);
  const cost = callCost((m, u) => host.costOf(m, u), request.modelId, outcome);
  const result: RunResult = {
    status: outcome.status,
    modelId: request.modelId,
    routedTo: outcome.invokedModelId ? answered : undefined,
    serviceTier: outcome.serviceTier,
    citations: outcome.citations,
    retrieval: outcome.retrieval ?? rendered?.retrieval,
    ...(agent ? { agent } : {}),
    guardrail: guardrailVerdict(outcome),
    text: outcome.text,
    reasoning: outcome.reasoning || undefined,
    toolCalls: outcome.toolCalls,
    stopReason: outcome.stopReason,
    usage: outcome.usage,
    metrics: {
      timeToFirstTokenMs: outcome.timeToFirstTokenMs,
      latencyMs: outcome.latencyMs,
      serverLatencyMs: outcome.serverLatencyMs,
    },
    costUsd: cost?.usd,
    costSource: cost?.source,
    streamed,
    edits: 0,
    error: outcome.error ? { code: outcome.error.code, message: outcome.error.message } : undefined,
    structuredOutput: request.outputConfig !== undefined,
  };
  // JSON output is checked against output.schema whether the model was held to it or only asked.
  if (
    rendered?.outputFormat === 'json' &&
    rendered.outputSchema !== undefined &&
    outcome.status === 'complete' &&
    outcome.toolCalls.length === 0
  ) {
    result.schemaProblem = promptEngine().outputSchemaProblem(outcome.text, rendered.outputSchema);
  }
  return result;
}

/** A router ARN as the metrics line names it: its resource (`default-prompt-router/amazon.nova:1`). */
function routerName(arn: string): string {
  const parsed = arnOf(arn);
  return parsed ? `${parsed.resourceType}/${parsed.resourceId}` : arn;
}

/** The metrics as one line: the comment a run writes after its answer, the CLI's stderr, the status bar's tooltip. */
export function metricsLine(r: RunResult): string {
  const agentName = r.agent?.agent.slice(r.agent.agent.lastIndexOf('/') + 1);
  const parts = [
    r.agent?.kind === 'runtime'
      ? `bedrock: agent runtime ${agentName} (its own model)`
      : r.agent?.kind === 'classic'
        ? `bedrock: Bedrock agent (classic) ${r.agent.agent} (its own model)`
        : r.agent
          ? `bedrock: harness ${agentName} with ${r.modelId}`
          : r.routedTo
            ? `bedrock: ${r.routedTo} (chosen by prompt router ${routerName(r.modelId)})`
            : `bedrock: ${r.modelId}`,
  ];
  if (r.metrics.timeToFirstTokenMs !== undefined)
    parts.push(`first token ${Math.round(r.metrics.timeToFirstTokenMs)} ms`);
  parts.push(`total ${(r.metrics.latencyMs / 1000).toFixed(2)} s`);
  if (r.usage) {
    let tokens = `${r.usage.inputTokens} in / ${r.usage.outputTokens} out tokens`;
    if (r.usage.cacheReadInputTokens || r.usage.cacheWriteInputTokens)
      tokens += ` (cache read ${r.usage.cacheReadInputTokens ?? 0}, write ${r.usage.cacheWriteInputTokens ?? 0})`;
    parts.push(tokens);
  }
  if (r.serviceTier && r.serviceTier !== 'default') parts.push(`${r.serviceTier} tier`);
  if (r.costUsd !== undefined) parts.push(`~${formatUsd(r.costUsd)}`);
  else if (r.serviceTier === 'reserved') parts.push('billed by the reservation');
  if (r.stopReason) {
    const note = stopReasonNote(r.stopReason);
    parts.push(`stop: ${r.stopReason}${note ? ` (${note})` : ''}`);
  }
  if (r.structuredOutput) parts.push('structured output');
  if (r.schemaProblem) parts.push(`does not match output.schema: ${r.schemaProblem}`);
  return parts.join(' · ');
}

import type { ToolCall, Usage } from '../../core/bedrock/stream';

/** What `bedrockPromptLab.run` resolves to when a run ends. */
export interface RunResult {
  status: 'complete' | 'stopped' | 'failed';
  /** The model id sent (after `bedrock/` prefixes are removed). */
  modelId: string;
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
  /** Number of document edits used to show the answer. */
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

export type RunMode = 'inline' | 'document';

export interface RunOptions {
  uri?: string | import('vscode').Uri;
  /** Keep the last answer and send the next message (asked for, or `message`), instead of Run again. */
  continue?: boolean;
  /** The next user message, for Continue (tests and callers that have it). */
  message?: string;
  /** Values for input variables; missing ones are asked for (and remembered per file). */
  inputs?: Record<string, unknown>;
  mode?: RunMode;
  /** Run against another model than the file names (the explorer's "Run with this model"). */
  modelId?: string;
}

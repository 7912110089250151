export type { RunResult } from '../../app/runPrompt';

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
  /** The service tier and latency to ask for, over the file's ("Run with Service Tier…"). */
  tier?: import('../../core/bedrock/serviceTiers').TierChoice;
}

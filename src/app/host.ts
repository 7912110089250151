// The port the use cases in src/app run over: what a front end (the extension, the CLI) provides.
// Use cases never import vscode or a front end; they take a Host.
import type { BedrockClients } from '../core/bedrock/clients';
import type { CostEstimate, RunEstimate } from '../core/bedrock/pricing';
import type { Usage } from '../core/bedrock/stream';
import type { PromptAnalysis } from '../core/format/analyze';
import type { PromptFiles } from '../core/format/render';
import type { Logger } from '../core/shared/logger';

/** A prompt as a front end hands it to a use case: its text, its analysis, and its files (confined). */
export interface PromptSource {
  text: string;
  analysis: PromptAnalysis;
  files: PromptFiles;
}

export interface Host {
  /** Bedrock clients for the front end's profile, region and endpoint. */
  clients(): BedrockClients;
  /** A usage's estimated cost from the price table and the user's overrides. */
  costOf(modelId: string, usage: Usage | undefined): CostEstimate | undefined;
  /** A run's likely cost before it is sent (estimateRun in core/bedrock/pricing.ts), with the same prices. */
  estimateRun(
    modelId: string,
    calls: number,
    avgInputChars: number,
    maxTokensPerCall: number | undefined,
    /** Tokens per character measured on one request (CountTokens); undefined: four characters a token. */
    tokensPerChar?: number,
  ): RunEstimate | undefined;
  /** A file's path as the user reads it in messages (relative to the workspace or the working folder). */
  displayPath(fsPath: string): string;
  /** How long a stream may stay silent before it is stopped (ms), for a file (a URI string) or in general. */
  stallTimeoutMs(resource?: string): number;
  log: Logger;
  /** The AWS profile in use, for messages (undefined: the default chain). */
  profile(): string | undefined;
}

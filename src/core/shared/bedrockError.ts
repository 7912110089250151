// The error every failure that reaches the user becomes: a code, a message that says what happened and
// what to do, suggested actions, the original error kept for the log. Pure, so every layer can throw it;
// core/bedrock/errors.ts turns SDK and Node errors into one.
export type ErrorCode =
  | 'NoCredentials'
  | 'ExpiredCredentials'
  | 'SsoExpired'
  | 'NoRegion'
  | 'AccessDenied'
  | 'ModelAccess'
  | 'NeedsInferenceProfile'
  | 'StreamingUnsupported'
  | 'Throttled'
  | 'Validation'
  | 'ModelNotReady'
  | 'ModelTimeout'
  | 'ModelError'
  | 'StreamError'
  | 'StreamInterrupted'
  | 'StreamStalled'
  | 'NotFound'
  | 'ServiceUnavailable'
  | 'Network'
  | 'EndpointUnreachable'
  | 'Timeout'
  | 'Cancelled'
  | 'Untrusted'
  | 'PromptInvalid'
  | 'Unknown';

/** Actions the VS Code side knows how to offer as buttons. */
export type ErrorAction =
  'openSettings' | 'selectProfile' | 'selectRegion' | 'retry' | 'showLog' | 'openModelAccess' | 'useInferenceProfile';

/**
 * Marks a BedrockError across bundles: the engine bundles (dist/datasetEngine.js, dist/promptEngine.js)
 * carry their own copy of this class, and an error one of them throws must still be one to the front end
 * (its code decides the exit code, its actions the buttons).
 */
const BEDROCK_ERROR = Symbol.for('bedrock-prompt-lab.BedrockError');

export class BedrockError extends Error {
  readonly [BEDROCK_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' && value !== null && (value as { [BEDROCK_ERROR]?: unknown })[BEDROCK_ERROR] === true
    );
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly actions: ErrorAction[] = [],
    readonly cause?: unknown,
    /** Extra data for an action, e.g. the inference profile to switch to. */
    readonly data: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'BedrockError';
  }

  get cancelled(): boolean {
    return this.code === 'Cancelled';
  }
}

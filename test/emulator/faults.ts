// Fault injection: a test queues faults that apply to the next matching requests.

/** HTTP errors the service models for the runtime and control plane. */
export const HTTP_ERRORS = {
  throttling: {
    status: 429,
    type: 'ThrottlingException',
    message: 'Too many requests, please wait before trying again.',
  },
  accessDenied: {
    status: 403,
    type: 'AccessDeniedException',
    message: "You don't have access to the model with the specified model ID.",
  },
  validation: {
    status: 400,
    type: 'ValidationException',
    message: 'Malformed input request, please reformat your input and try again.',
  },
  resourceNotFound: { status: 404, type: 'ResourceNotFoundException', message: 'Model not found.' },
  // How Bedrock answers before a model is open to the account [observed: users' reports, 2025-2026].
  useCaseFormMissing: {
    status: 404,
    type: 'ResourceNotFoundException',
    message:
      'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.',
  },
  legacyNotInUse: {
    status: 404,
    type: 'ResourceNotFoundException',
    message:
      'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock',
  },
  marketplaceSubscription: {
    status: 403,
    type: 'AccessDeniedException',
    message:
      'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 15 minutes.',
  },
  modelNotReady: {
    status: 429,
    type: 'ModelNotReadyException',
    message: 'Model is not ready to serve inference requests. The model is being loaded.',
  },
  modelTimeout: {
    status: 408,
    type: 'ModelTimeoutException',
    message: 'Model has timed out in processing the request. Try your request again.',
  },
  modelError: { status: 424, type: 'ModelErrorException', message: 'The model returned an error.' },
  internal: { status: 500, type: 'InternalServerException', message: 'The server encountered an internal error.' },
  serviceUnavailable: {
    status: 503,
    type: 'ServiceUnavailableException',
    message: 'Bedrock is unable to process your request.',
  },
  unrecognizedClient: {
    status: 403,
    type: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  },
  expiredToken: {
    status: 403,
    type: 'ExpiredTokenException',
    message: 'The security token included in the request is expired',
  },
} as const;
export type HttpErrorKind = keyof typeof HTTP_ERRORS;

/** Exceptions the service sends inside a ConverseStream (camelCase union member names). */
export const STREAM_EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
  'modelTimeoutException',
] as const;
export type StreamExceptionType = (typeof STREAM_EXCEPTIONS)[number];

export type Fault =
  | { kind: 'http'; error: HttpErrorKind; message?: string }
  /** Send an exception frame after `afterTokens` text tokens. */
  | { kind: 'streamException'; exception: StreamExceptionType; afterTokens: number; message?: string }
  /** Destroy the connection after `afterTokens` text tokens. */
  | { kind: 'cut'; afterTokens: number }
  /** Stop sending (without closing) after `afterTokens` text tokens, to exercise client stall timeouts. */
  | { kind: 'stall'; afterTokens: number }
  /** Wait before answering (any operation), e.g. a slow ListFoundationModels. */
  | { kind: 'delay'; ms: number }
  /** Pace the stream: wait before the first token, and between tokens. */
  | { kind: 'pace'; firstTokenDelayMs?: number; tokenDelayMs?: number }
  /** End the answer with this stop reason (Converse and ConverseStream): the service's rarer endings. */
  | { kind: 'stopReason'; stopReason: string };

export interface FaultRule {
  /** Operation name as the SDK calls it, e.g. 'ConverseStream', 'ListFoundationModels'. Any when absent. */
  operation?: string;
  /** Model id as sent (after decoding). Any when absent. */
  modelId?: string;
  fault: Fault;
  /** How many matching requests this rule applies to; Infinity when absent. */
  times?: number;
}

export class FaultQueue {
  private rules: { rule: FaultRule; left: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** All faults that apply to this request, consuming one use of each. */
  take(operation: string, modelId: string | undefined): Fault[] {
    const hits: Fault[] = [];
    for (const entry of this.rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (rule.operation && rule.operation !== operation) continue;
      if (rule.modelId && rule.modelId !== modelId) continue;
      entry.left -= 1;
      hits.push(rule.fault);
    }
    this.rules = this.rules.filter((e) => e.left > 0);
    return hits;
  }
}

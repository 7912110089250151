// Structured errors: every failure that reaches the user is a BedrockError with a code, a message that
// says what happened and what to do, suggested actions, and the original error kept for the log.
// Exceptions Bedrock names are mapped by name; for the rest, the SDK's own classification
// (`@smithy/core/retry`: throttling by name, status 429 or retry trait; 5xx as server errors) decides.
import { classifySdkError } from './loadAwsSdk';

import { BedrockError } from '../shared/bedrockError';
import { remedies } from '../shared/remedies';
import { API_KEY_NOT_FOR_S3 } from './settings';

interface SdkLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export interface ErrorContext {
  /** What was being done, e.g. "list models" or "run anthropic.claude-3-haiku…". */
  operation: string;
  profile?: string;
  region?: string;
  modelId?: string;
}

/** Turns anything the SDK (or Node) throws into a BedrockError with a message a user can act on. */
export function toBedrockError(err: unknown, ctx: ErrorContext): BedrockError {
  if (err instanceof BedrockError) return err;
  const e = (err ?? {}) as SdkLikeError;
  // An exception the SDK does not model for the stream (`modelTimeoutException` inside ConverseStream)
  // arrives with the event's camelCase name and its JSON payload as the message: read it as the service meant.
  const unmodeled = /^[a-z]\w*Exception$/.test(e.name ?? '');
  const name = unmodeled ? `${(e.name ?? '').charAt(0).toUpperCase()}${(e.name ?? '').slice(1)}` : (e.name ?? '');
  const message = unmodeled ? payloadMessage(e.message) : (e.message ?? String(err));
  const profile = ctx.profile ?? 'default';
  const attempts = e.$metadata?.attempts;

  if (name === 'AbortError' || message === 'Request aborted' || /aborted/i.test(name)) {
    return new BedrockError('Cancelled', `Cancelled: ${ctx.operation}.`, [], err);
  }
  // The SDK words this several ways (legacy profiles, sso-session tokens with or without refresh data, a
  // missing token file); all end by asking for `aws sso login` (test/emulator/sso.test.ts checks each).
  if (
    /SSO session .*(expired|invalid)|Token is expired|The SSO session associated with this profile has expired|refresh failed|To refresh this SSO session run/i.test(
      message,
    ) ||
    name === 'SSOTokenProviderFailure'
  ) {
    return new BedrockError(
      'SsoExpired',
      `The AWS SSO session for profile "${profile}" has expired. Run \`aws sso login --profile ${profile}\` in a terminal, then retry.`,
      ['retry', 'selectProfile'],
      err,
    );
  }
  // Only Bedrock and Bedrock Runtime take an API key; S3 needs credentials to sign with.
  if (name === API_KEY_NOT_FOR_S3) {
    return new BedrockError(
      'NoCredentials',
      `${ctx.operation} needs AWS credentials: ${(err as { refusedBy?: string }).refusedBy ?? 'S3 does'} not accept a Bedrock API key (only Bedrock and Bedrock Runtime do). ${remedies().credentialsForS3}`,
      ['selectProfile'],
      err,
    );
  }
  if (
    name === 'CredentialsProviderError' ||
    /Could not load credentials|Unable to find (a )?credential|credentials? (is|are) missing|Profile .* (could not be found|not found)/i.test(
      message,
    )
  ) {
    return new BedrockError(
      'NoCredentials',
      `No AWS credentials found for profile "${profile}". Run \`aws configure\` or \`aws sso login --profile ${profile}\`, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or ${remedies().otherProfile}.`,
      ['selectProfile', 'openSettings'],
      err,
    );
  }
  if (
    name === 'ExpiredTokenException' ||
    name === 'ExpiredToken' ||
    /security token included in the request is expired/i.test(message)
  ) {
    return new BedrockError(
      'ExpiredCredentials',
      `The AWS credentials for profile "${profile}" have expired. Refresh them (for SSO: \`aws sso login --profile ${profile}\`), then retry.`,
      ['retry', 'selectProfile'],
      err,
    );
  }
  // What Bedrock answers a wrong, expired or revoked API key (403, "Please make sure your API Key is valid").
  if (/API Key is (not )?valid|Invalid API Key/i.test(message)) {
    return new BedrockError(
      'ExpiredCredentials',
      `Bedrock refused the API key: it is expired, revoked, or was made in another Region. ${remedies().renewApiKey}`,
      ['selectProfile'],
      err,
    );
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'InvalidSignatureException' ||
    /security token included in the request is invalid/i.test(message)
  ) {
    return new BedrockError(
      'NoCredentials',
      `AWS rejected the credentials of profile "${profile}" as invalid. Check the access key, or sign in again.`,
      ['selectProfile'],
      err,
    );
  }
  // The SDK refuses a region that cannot be part of a host name, an empty AWS_REGION included.
  const refusedRegion = /Region not accepted: region="([^"]*)"/.exec(message);
  if (refusedRegion) {
    return new BedrockError(
      'NoRegion',
      refusedRegion[1]
        ? `"${refusedRegion[1]}" is not an AWS region name (such as us-east-1). ${remedies().chooseRegion}, or set AWS_REGION.`
        : `No AWS region is set (AWS_REGION is empty). ${remedies().chooseRegion}, or set AWS_REGION.`,
      ['selectRegion', 'openSettings'],
      err,
    );
  }
  if (/Region is missing|region.*not.*(set|configured)/i.test(message)) {
    return new BedrockError(
      'NoRegion',
      `No AWS region is set. ${remedies().chooseRegion}, or set AWS_REGION.`,
      ['selectRegion', 'openSettings'],
      err,
    );
  }
  const gate = modelGate(name, message, ctx, profile, err);
  if (gate) return gate;
  // A call in a project that is not there or not active (projectIdentifier).
  if ((name === 'ResourceNotFoundException' || name === 'ValidationException') && /\bproject\b/i.test(message))
    return new BedrockError(
      name === 'ResourceNotFoundException' ? 'NotFound' : 'Validation',
      `${message} Use ${remedies().chooseProject}.`,
      [],
      err,
    );
  switch (name) {
    case 'AccessDeniedException':
      if (ctx.modelId) {
        return new BedrockError(
          'ModelAccess',
          `You don't have access to ${ctx.modelId} in ${ctx.region ?? 'this region'}: ${message} Check the IAM permissions of profile "${profile}" (bedrock:InvokeModel on the model), and the model's page in the Bedrock console's Model catalog.`,
          ['openModelAccess', 'selectProfile'],
          err,
        );
      }
      return new BedrockError(
        'AccessDenied',
        `Access denied (${ctx.operation}): ${message} Check the IAM permissions of profile "${profile}".`,
        ['selectProfile'],
        err,
      );
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'ServiceQuotaExceededException':
      return throttled(attempts, err);
    case 'ModelNotReadyException':
      return new BedrockError(
        'ModelNotReady',
        `The model${ctx.modelId ? ` ${ctx.modelId}` : ''} is not ready yet (it is being loaded). Retry in a minute.`,
        ['retry'],
        err,
      );
    case 'ModelTimeoutException':
      return new BedrockError(
        'ModelTimeout',
        'The model timed out while processing the request. Retry, or shorten the prompt or maxOutputTokens.',
        ['retry'],
        err,
      );
    case 'ModelErrorException':
      return new BedrockError('ModelError', `The model returned an error: ${message}`, ['retry'], err);
    case 'ModelStreamErrorException':
      return new BedrockError('StreamError', `The model's stream failed: ${message}`, ['retry'], err);
    case 'ResourceNotFoundException':
      return new BedrockError('NotFound', `Not found (${ctx.operation}): ${message}`, [], err);
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return unavailable(message, err);
    case 'ValidationException': {
      const profileMatch = /on-demand throughput isn.t supported/i.test(message);
      if (profileMatch && ctx.modelId) {
        return new BedrockError(
          'NeedsInferenceProfile',
          `${ctx.modelId} can't be called on demand: it runs only through an inference profile (for example "us.${ctx.modelId}").`,
          ['useInferenceProfile'],
          err,
          { modelId: ctx.modelId },
        );
      }
      // The model (or its deployment) cannot stream: the caller falls back to Converse on this code.
      if (/unsupported for streaming|does not support streaming/i.test(message)) {
        return new BedrockError(
          'StreamingUnsupported',
          `${ctx.modelId ?? 'This model'} cannot stream its answer: ${message}`,
          [],
          err,
        );
      }
      return new BedrockError('Validation', `Bedrock rejected the request: ${message}`, [], err);
    }
  }
  // Only an error the SDK threw has $metadata, so its bundle is loaded already when this asks it.
  const kind = e.$metadata ? classifySdkError(err) : undefined;
  if (kind === 'throttling') return throttled(attempts, err);
  if (kind === 'server') return unavailable(message, err);
  if (name === 'ResponseTimeout') {
    return new BedrockError(
      'Timeout',
      `${message}: the endpoint or the network may be down. Retry; if the model is slow, raise ${remedies().firstByteTimeout} (streaming) or ${remedies().requestTimeout}.`,
      ['retry', 'openSettings'],
      err,
    );
  }
  // The HTTP/2 handler reports a refused connection as a cancelled stream caused by ECONNREFUSED.
  const code = networkCode(err);
  if (code === 'ECONNREFUSED') {
    const address = /ECONNREFUSED\s+([^\s)|]+)/.exec(causeMessages(err))?.[1];
    return new BedrockError(
      'EndpointUnreachable',
      `Nothing answers at the Bedrock endpoint${address ? ` ${address}` : ''} (connection refused). Check ${remedies().endpoint} and the AWS_ENDPOINT_URL* variables, or start the server it names.`,
      ['openSettings', 'retry'],
      err,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // The endpoint's host name does not resolve: most often a region where Bedrock is not offered.
    return new BedrockError(
      'Network',
      `Could not find the Bedrock endpoint${ctx.region ? ` for ${ctx.region}` : ''} (${code}): Amazon Bedrock may not be offered in this region, or the network is down. Pick a region where Bedrock runs.`,
      ['selectRegion', 'retry'],
      err,
    );
  }
  if (
    ['ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code) ||
    name === 'TimeoutError'
  ) {
    return new BedrockError(
      'Network',
      `Could not reach Bedrock${ctx.region ? ` in ${ctx.region}` : ''} (${code || message}). Check the network, the region, and ${remedies().endpoint}.`,
      ['retry', 'openSettings'],
      err,
    );
  }
  return new BedrockError('Unknown', `${ctx.operation} failed: ${message}`, ['showLog'], err);
}

function throttled(attempts: number | undefined, err: unknown): BedrockError {
  return new BedrockError(
    'Throttled',
    `Bedrock is throttling requests${attempts ? ` (still throttled after ${attempts} attempts)` : ''}. Wait a moment and retry, or use a cross-region inference profile for more throughput.`,
    ['retry'],
    err,
  );
}

function unavailable(message: string, err: unknown): BedrockError {
  return new BedrockError(
    'ServiceUnavailable',
    `Bedrock is unavailable right now (${message}). Retry in a moment.`,
    ['retry'],
    err,
  );
}

/** The Node network code of an error or of what caused it (the SDK wraps socket errors). */
function networkCode(err: unknown): string {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code) && !e.code.startsWith('ERR_')) return e.code;
  }
  return (err as { code?: string })?.code ?? '';
}

function causeMessages(err: unknown): string {
  const parts: string[] = [];
  for (
    let e = err as { message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  )
    parts.push(String(e.message ?? ''));
  return parts.join(' | ');
}

/** `{"message":"…"}` → `…`; anything else as it is. */
function payloadMessage(text: string | undefined): string {
  try {
    const parsed = JSON.parse(text ?? '') as { message?: unknown; Message?: unknown };
    const m = parsed.message ?? parsed.Message;
    return typeof m === 'string' ? m : (text ?? '');
  } catch {
    return text ?? '';
  }
}

/**
 * The answers Bedrock gives before a model is open to the account, which do not say what they mean: a
 * ResourceNotFoundException until Anthropic's use-case form is filed, or for a legacy model the account
 * stopped using, and an AccessDeniedException when the first call cannot subscribe to the model through
 * AWS Marketplace. Their wording is what users report (test/emulator/README.md: how sure).
 */
function modelGate(
  name: string,
  message: string,
  ctx: ErrorContext,
  profile: string,
  err: unknown,
): BedrockError | undefined {
  const model = ctx.modelId ?? 'this model';
  if (/use case details have not been submitted/i.test(message))
    return new BedrockError(
      'ModelAccess',
      `Bedrock answers "not found" for ${model} because this account has not filed Anthropic's use-case details yet. In the Bedrock console, open the Model catalog, pick an Anthropic model and submit the use case details (once per account, or once for an AWS Organization), then retry in about 15 minutes.`,
      ['openModelAccess', 'retry'],
      err,
    );
  if (name === 'ResourceNotFoundException' && /marked by provider as Legacy/i.test(message))
    return new BedrockError(
      'ModelAccess',
      `${model} is a legacy model and this account has not used it in the last 15 days, so Bedrock no longer serves it here (it answers "not found"). Pick an active model: the Models view marks legacy ones.`,
      [],
      err,
    );
  if (/AWS Marketplace actions|aws-marketplace:(Subscribe|ViewSubscriptions)/i.test(message))
    return new BedrockError(
      'ModelAccess',
      `${model} is enabled by subscribing to it through AWS Marketplace on its first call, and profile "${profile}" may not: allow aws-marketplace:Subscribe, aws-marketplace:Unsubscribe and aws-marketplace:ViewSubscriptions for it (or have an administrator call the model once), then retry.`,
      ['openModelAccess', 'selectProfile'],
      err,
    );
  return undefined;
}

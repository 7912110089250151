import assert from 'node:assert/strict';
import { BedrockError } from '../../../../src/core/shared/bedrockError';
import { toBedrockError } from '../../../../src/core/bedrock/errors';

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('toBedrockError: every failure gets a message that says what to do', () => {
  const ctx = {
    operation: 'run',
    profile: 'dev',
    region: 'us-east-1',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  };

  it('missing credentials name the profile and the commands to run', () => {
    const e = toBedrockError(
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      ctx,
    );
    assert.equal(e.code, 'NoCredentials');
    assert.match(e.message, /profile "dev"/);
    assert.match(e.message, /aws sso login --profile dev/);
    assert.ok(e.actions.includes('selectProfile'));
  });

  it('an expired SSO session says to sign in again', () => {
    const e = toBedrockError(
      sdkError(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login',
      ),
      ctx,
    );
    assert.equal(e.code, 'SsoExpired');
    assert.match(e.message, /aws sso login --profile dev/);
  });

  it('expired tokens and a missing region', () => {
    assert.equal(
      toBedrockError(sdkError('ExpiredTokenException', 'The security token included in the request is expired'), ctx)
        .code,
      'ExpiredCredentials',
    );
    const region = toBedrockError(new Error('Region is missing'), ctx);
    assert.equal(region.code, 'NoRegion');
    assert.ok(region.actions.includes('selectRegion'));
    const empty = toBedrockError(new Error('Region not accepted: region="" is not a valid hostname component.'), ctx);
    assert.equal(empty.code, 'NoRegion');
    assert.match(empty.message, /^No AWS region is set \(AWS_REGION is empty\)\. Choose a region \(status bar/);
    const spaced = toBedrockError(
      new Error('Region not accepted: region="us east" is not a valid hostname component.'),
      ctx,
    );
    assert.match(spaced.message, /^"us east" is not an AWS region name \(such as us-east-1\)\./);
  });

  it('access denied to a model names the IAM permission and the Model catalog', () => {
    const e = toBedrockError(
      sdkError('AccessDeniedException', "You don't have access to the model with the specified model ID."),
      ctx,
    );
    assert.equal(e.code, 'ModelAccess');
    assert.match(
      e.message,
      /bedrock:InvokeModel on the model\), and the model's page in the Bedrock console's Model catalog/,
    );
  });

  it("Bedrock's misleading answers before a model is open to the account say what they mean and the fix", () => {
    const form = toBedrockError(
      sdkError(
        'ResourceNotFoundException',
        'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model.',
      ),
      ctx,
    );
    assert.equal(form.code, 'ModelAccess');
    assert.match(form.message, /has not filed Anthropic's use-case details yet/);
    assert.match(form.message, /submit the use case details .*retry in about 15 minutes/);
    const legacy = toBedrockError(
      sdkError(
        'ResourceNotFoundException',
        'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days.',
      ),
      ctx,
    );
    assert.match(legacy.message, /is a legacy model and this account has not used it in the last 15 days/);
    const marketplace = toBedrockError(
      sdkError(
        'AccessDeniedException',
        'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.',
      ),
      ctx,
    );
    assert.match(marketplace.message, /allow aws-marketplace:Subscribe/);
    const plain = toBedrockError(sdkError('ResourceNotFoundException', 'Model not found.'), ctx);
    assert.equal(plain.code, 'NotFound', 'an ordinary not-found stays one');
  });

  it('a model that needs an inference profile offers the profile', () => {
    const e = toBedrockError(
      sdkError(
        'ValidationException',
        'Invocation of model ID x with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
      ),
      { ...ctx, modelId: 'anthropic.claude-sonnet-4-20250514-v1:0' },
    );
    assert.equal(e.code, 'NeedsInferenceProfile');
    assert.match(e.message, /us\.anthropic\.claude-sonnet-4-20250514-v1:0/);
    assert.deepEqual(e.actions, ['useInferenceProfile']);
  });

  it('throttling mentions the attempts already made', () => {
    const e = toBedrockError(sdkError('ThrottlingException', 'Too many requests', { $metadata: { attempts: 3 } }), ctx);
    assert.equal(e.code, 'Throttled');
    assert.match(e.message, /after 3 attempts/);
    assert.ok(e.actions.includes('retry'));
  });

  it('network failures and cancellations', () => {
    const refused = toBedrockError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      ctx,
    );
    assert.equal(refused.code, 'EndpointUnreachable');
    assert.match(refused.message, /endpoint 127\.0\.0\.1:1 \(connection refused\)/);
    // As the HTTP/2 handler reports it: a cancelled stream caused by the refused connection.
    const wrapped = Object.assign(
      new Error('The pending stream has been canceled (caused by: connect ECONNREFUSED 127.0.0.1:9)'),
      {
        code: 'ERR_HTTP2_STREAM_CANCEL',
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      },
    );
    assert.equal(toBedrockError(wrapped, ctx).code, 'EndpointUnreachable');
    assert.equal(
      toBedrockError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), ctx).code,
      'Network',
    );
    const cancelled = toBedrockError(sdkError('AbortError', 'Request aborted'), ctx);
    assert.equal(cancelled.code, 'Cancelled');
    assert.ok(cancelled.cancelled);
  });

  it('an endpoint that does not resolve points at the region', () => {
    const e = toBedrockError(
      Object.assign(new Error('getaddrinfo ENOTFOUND bedrock.xx-none-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      { ...ctx, region: 'xx-none-1' },
    );
    assert.equal(e.code, 'Network');
    assert.match(e.message, /Bedrock may not be offered in this region/);
    assert.deepEqual(e.actions, ['selectRegion', 'retry']);
  });

  it('keeps the service message of a validation error', () => {
    const e = toBedrockError(sdkError('ValidationException', 'A conversation must start with a user message.'), ctx);
    assert.equal(e.code, 'Validation');
    assert.match(e.message, /must start with a user message/);
  });

  it('a model that cannot stream is its own code (Run falls back to Converse on it), not a validation error', () => {
    const e = toBedrockError(sdkError('ValidationException', 'The model is unsupported for streaming.'), ctx);
    assert.equal(e.code, 'StreamingUnsupported');
    assert.match(e.message, /anthropic\.claude-3-haiku-20240307-v1:0 cannot stream/);
  });

  it("errors Bedrock does not name are classified the SDK's way: 429 or a throttling trait is throttling, 5xx unavailable", () => {
    const tooMany = toBedrockError(
      sdkError('SlowDown', 'Please reduce your request rate.', { $metadata: { httpStatusCode: 429, attempts: 2 } }),
      ctx,
    );
    assert.equal(tooMany.code, 'Throttled');
    assert.match(tooMany.message, /after 2 attempts/);
    assert.equal(
      toBedrockError(sdkError('SomethingNew', 'slow', { $metadata: {}, $retryable: { throttling: true } }), ctx).code,
      'Throttled',
    );
    const bad = toBedrockError(
      sdkError('BadGatewayException', 'upstream failed', { $metadata: { httpStatusCode: 502 } }),
      ctx,
    );
    assert.equal(bad.code, 'ServiceUnavailable');
    assert.match(bad.message, /upstream failed/);
    // A 4xx the SDK does not know stays unknown, with the log offered.
    const odd = toBedrockError(
      sdkError('TeapotException', 'short and stout', { $metadata: { httpStatusCode: 418 } }),
      ctx,
    );
    assert.deepEqual([odd.code, odd.actions], ['Unknown', ['showLog']]);
  });

  it("an error from another bundle's copy of the class is still a BedrockError, with its code kept", () => {
    // The engine bundles carry their own copy of errors.ts: load a second copy the way they do.
    const modulePath = require.resolve('../../../../src/core/shared/bedrockError');
    const cached = require.cache[modulePath];
    delete require.cache[modulePath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require(modulePath) as typeof import('../../../../src/core/shared/bedrockError');
    require.cache[modulePath] = cached;
    assert.notEqual(other.BedrockError, BedrockError, 'a second copy of the class');
    const fromEngine = new other.BedrockError('Validation', 'Not uploaded: a secret was found in row 8.');
    assert.ok(fromEngine instanceof BedrockError);
    const seen = toBedrockError(fromEngine, ctx);
    assert.equal(seen, fromEngine);
    assert.equal(seen.code, 'Validation');
    assert.ok(!(new Error('plain') instanceof BedrockError));
    assert.ok(!(Object.assign(new Error('x'), { code: 'Validation' }) instanceof BedrockError));
  });
});

import assert from 'node:assert/strict';
import { arnOf, lambdaArnProblem, roleArnProblem } from '../../../../src/core/shared/arn';
import { normalizeModelRef } from '../../../../src/core/models/modelRef';

describe('ARNs (the SDK parser, one place)', () => {
  it('reads the parts, keeping ids with colons and slashes whole', () => {
    assert.deepEqual(arnOf('arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-lite-v1:0:300k/abc123'), {
      partition: 'aws',
      service: 'bedrock',
      region: 'us-east-1',
      accountId: '123456789012',
      resourceType: 'custom-model',
      resourceId: 'amazon.nova-lite-v1:0:300k/abc123',
    });
    assert.equal(arnOf('amazon.nova-lite-v1:0'), undefined);
    assert.equal(arnOf(''), undefined);
  });

  it('a role for Bedrock: an IAM role ARN with a 12-digit account, in any partition', () => {
    assert.equal(roleArnProblem('arn:aws:iam::123456789012:role/BedrockBatch'), undefined);
    assert.equal(roleArnProblem('arn:aws-us-gov:iam::123456789012:role/path/BedrockBatch'), undefined);
    for (const bad of [
      'BedrockBatch',
      'arn:aws:iam::123456789012:user/me',
      'arn:aws:s3:::bucket',
      'arn:aws:iam::12:role/x',
      'arn:aws:iam::123456789012:role/',
    ])
      assert.equal(roleArnProblem(bad), 'arn:aws:iam::<account>:role/<name>', bad);
  });

  it('a reinforcement fine-tuning grader: a Lambda function ARN, with a version or alias at most', () => {
    for (const good of [
      'arn:aws:lambda:us-east-1:123456789012:function:grade-answers',
      'arn:aws:lambda:us-west-2:123456789012:function:grader:live',
    ])
      assert.equal(lambdaArnProblem(good), undefined, good);
    for (const bad of [
      'grade-answers',
      'arn:aws:lambda:us-east-1:123456789012:layer:x',
      'arn:aws:lambda::123456789012:function:x',
      'arn:aws:iam::123456789012:role/grader',
      'arn:aws:lambda:us-east-1:1234:function:x',
    ])
      assert.equal(lambdaArnProblem(bad), 'arn:aws:lambda:<region>:<account>:function:<name>', bad);
  });

  it('model references: Bedrock ARNs by kind, other services’ ARNs are not taken for model ids', () => {
    assert.deepEqual(
      normalizeModelRef('arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0'),
      {
        modelId: 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0',
        kind: 'inference-profile',
        baseModelId: 'amazon.nova-lite-v1:0',
        geo: 'eu',
      },
    );
    assert.equal(normalizeModelRef('arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-model').kind, 'other-arn');
    assert.equal(
      normalizeModelRef('arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-model').baseModelId,
      undefined,
    );
  });
});

import assert from 'node:assert/strict';
import { customizationJobInput, stageNote, type CustomizationChoice } from '../../../src/app/customizationJob';

const base: CustomizationChoice = {
  baseModelId: 'amazon.nova-micro-v1:0:128k',
  customization: 'FINE_TUNING',
  jobName: 'job-1',
  customModelName: 'model-1',
  roleArn: 'arn:aws:iam::123456789012:role/R',
  outputS3Uri: 's3://bucket/out/',
  trainingS3Uri: 's3://bucket/train.jsonl',
};

describe('a customization job from what the user chose', () => {
  it("fine-tuning: the model's hyperparameter defaults, the validation file", () => {
    const input = customizationJobInput({ ...base, validationS3Uri: 's3://bucket/validation.jsonl' });
    assert.deepEqual(input.hyperParameters, {
      epochCount: '2',
      learningRate: '0.00001',
      learningRateWarmupSteps: '10',
    });
    assert.equal(input.validationS3Uri, 's3://bucket/validation.jsonl');
    assert.equal(input.distillation, undefined);
  });

  it('distillation: the teacher, prompts or invocation logs, no hyperparameters', () => {
    const input = customizationJobInput({
      ...base,
      customization: 'DISTILLATION',
      trainingS3Uri: undefined,
      invocationLogs: { s3Uri: 's3://bucket/logs/', usePromptResponse: true },
      teacherModelId: 'amazon.nova-pro-v1:0',
      maxResponseLengthForInference: 800,
    });
    assert.deepEqual(input.distillation, {
      teacherModelIdentifier: 'amazon.nova-pro-v1:0',
      maxResponseLengthForInference: 800,
    });
    assert.deepEqual(input.invocationLogs, { s3Uri: 's3://bucket/logs/', usePromptResponse: true });
    assert.equal(input.trainingS3Uri, undefined);
    assert.equal(input.hyperParameters, undefined);
  });

  it('reinforcement fine-tuning: the Lambda grader and its typed hyperparameters', () => {
    const input = customizationJobInput({
      ...base,
      baseModelId: 'amazon.nova-2-lite-v1:0',
      customization: 'REINFORCEMENT_FINE_TUNING',
      lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade',
      rftHyperParameters: 'epochCount=3',
    });
    assert.deepEqual(input.reinforcement, {
      lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade',
      hyperParameters: { epochCount: 3 },
    });
  });

  it('says every problem at once, each with the value and the fix, before anything is sent', () => {
    assert.throws(
      () =>
        customizationJobInput({
          ...base,
          customization: 'DISTILLATION',
          jobName: 'bad name',
          roleArn: 'me',
          validationS3Uri: 's3://bucket/v.jsonl',
          hyperParameters: { epochCount: '2' },
          lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade',
        }),
      (e: Error) =>
        e.message ===
        'The distillation job was not started. The job name "bad name" is not valid (Letters, digits, + - . (at most 63)). The role "me" is not valid (arn:aws:iam::<account>:role/<name>). Distillation takes no validation file: leave it out. Distillation takes no hyperparameters. Distillation needs a teacher model. A grader is for reinforcement fine-tuning only.',
    );
    assert.throws(
      () => customizationJobInput({ ...base, customization: 'REINFORCEMENT_FINE_TUNING' }),
      /Reinforcement fine-tuning needs a grader: the ARN of a Lambda function \(the API takes no other kind of grader\)\./,
    );
  });

  it('says where a running job is from its stages', () => {
    const stages = [
      { name: 'validation' as const, status: 'Completed' },
      { name: 'data processing' as const, status: 'Completed' },
      { name: 'training' as const, status: 'InProgress' },
    ];
    assert.equal(stageNote({ status: 'InProgress', stages }), 'training, stage 3 of 3');
    assert.equal(stageNote({ status: 'Completed', stages }), undefined);
    assert.equal(
      stageNote({ status: 'InProgress', stages: [{ name: 'validation', status: 'NotStarted' }] }),
      'validation not started, stage 1 of 1',
    );
  });
});

// S3 uploads and the customization loop through the real S3 and Bedrock clients.
import assert from 'node:assert/strict';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  CreateModelCustomizationJobCommand,
  CreateProvisionedModelThroughputCommand,
  GetModelCustomizationJobCommand,
  ListCustomModelsCommand,
  ListModelCustomizationJobsCommand,
  StopModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { BUCKET, useSdkClients } from './sdkClients';
import { waitFor } from '../support/waitFor';
import { lossCurveFiles, readLossCsv } from '../../src/core/bedrock/trainingMetrics';

describe('emulator: S3 and customization through the real SDK clients', () => {
  const c = useSdkClients({ jobDurationMs: 300 });

  it('puts, heads, gets and lists objects (path-style)', async () => {
    await c.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'ds/train.jsonl', Body: '{"prompt":"a","completion":"b"}\n' }),
    );
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ds/train.jsonl' }));
    assert.equal(head.ContentLength, 32);
    const got = await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ds/train.jsonl' }));
    assert.equal(await got.Body?.transformToString(), '{"prompt":"a","completion":"b"}\n');
    const list = await c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ds/' }));
    assert.deepEqual(
      list.Contents?.map((c) => c.Key),
      ['ds/train.jsonl'],
    );
    await assert.rejects(
      c.s3.send(new HeadObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' })),
      (e: Error) => e.name === 'NotFound' || e.name === 'NoSuchBucket',
    );
  });

  it('takes a multipart upload (lib-storage) byte for byte', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024, 'x');
    big.write('start', 0);
    big.write('end', big.length - 3);
    await new Upload({
      client: c.s3,
      params: { Bucket: BUCKET, Key: 'ds/big.jsonl', Body: big },
      partSize: 5 * 1024 * 1024,
    }).done();
    const stored = c.emu.s3.object(BUCKET, 'ds/big.jsonl');
    assert.equal(stored?.body.length, big.length);
    assert.ok(stored?.body.equals(big));
    assert.match(stored?.etag ?? '', /-3"$/, 'three parts');
  });

  it('runs a customization job to completion, creating the custom model; and stops one', async () => {
    const { jobArn } = await c.bedrock.send(
      new CreateModelCustomizationJobCommand({
        jobName: 'tone-1',
        customModelName: 'tone-model',
        roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
        baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
        customizationType: 'FINE_TUNING',
        trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        outputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
        hyperParameters: { epochCount: '2' },
      }),
    );
    assert.match(jobArn ?? '', /:model-customization-job\/amazon.nova-micro-v1:0:128k\/[0-9a-f]{12}$/);
    const running = await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    assert.equal(running.status, 'InProgress');
    const done = await waitFor('the job to end', async () => {
      const job = await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      return job.status === 'InProgress' ? undefined : job;
    });
    assert.equal(done.status, 'Completed');
    assert.equal(done.trainingMetrics?.trainingLoss, 0.42);
    // The metrics file a completed job leaves in its output, ending at the loss the job reports.
    const files = lossCurveFiles(done.outputDataConfig!.s3Uri!, jobArn!);
    const csv = await (
      await c.s3.send(new GetObjectCommand({ Bucket: files.training.bucket, Key: files.training.key }))
    ).Body!.transformToString();
    const points = await readLossCsv(csv, 'training_loss', 'training');
    assert.equal(points.length, 20, 'ten steps an epoch, two epochs');
    assert.equal(points.at(-1)?.loss, 0.42);
    assert.ok(points[0].loss > points.at(-1)!.loss, 'the loss falls');
    const custom = await c.bedrock.send(new ListCustomModelsCommand({}));
    assert.ok(custom.modelSummaries?.some((m) => m.modelName === 'tone-model' && m.modelArn === done.outputModelArn));
    const pt = await c.bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'tone-pt',
        modelId: done.outputModelArn,
        modelUnits: 1,
      }),
    );
    assert.match(pt.provisionedModelArn ?? '', /:provisioned-model\//);

    const second = await c.bedrock.send(
      new CreateModelCustomizationJobCommand({
        jobName: 'tone-2',
        customModelName: 'tone-model-2',
        roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
        baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
        trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        outputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
      }),
    );
    await c.bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: second.jobArn }));
    const list = await c.bedrock.send(new ListModelCustomizationJobsCommand({}));
    assert.deepEqual(
      list.modelCustomizationJobSummaries?.map((j) => [j.jobName, j.status]),
      [
        ['tone-2', 'Stopped'],
        ['tone-1', 'Completed'],
      ],
    );
  });

  it('refuses a job whose training data was not uploaded, or a model that cannot be customized', async () => {
    const base = {
      jobName: 'x',
      customModelName: 'x',
      roleArn: 'arn:aws:iam::123456789012:role/R',
      outputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
    };
    await assert.rejects(
      c.bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...base,
          baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
          trainingDataConfig: { s3Uri: `s3://${BUCKET}/missing.jsonl` },
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /was not found/.test(e.message),
    );
    await assert.rejects(
      c.bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...base,
          jobName: 'y',
          baseModelIdentifier: 'anthropic.claude-sonnet-4-20250514-v1:0',
          trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /does not support/.test(e.message),
    );
  });

  const job = (name: string) => ({
    jobName: name,
    customModelName: `${name}-model`,
    roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
    outputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
  });

  it('distillation: a teacher paired with the student, from prompts or invocation logs; its stages advance', async () => {
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/AWSLogs/x.json.gz', Body: 'log' }));
    const { jobArn } = await c.bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...job('distil-1'),
        baseModelIdentifier: 'amazon.nova-lite-v1:0:300k',
        customizationType: 'DISTILLATION',
        trainingDataConfig: {
          invocationLogsConfig: { usePromptResponse: false, invocationLogSource: { s3Uri: `s3://${BUCKET}/logs/` } },
        },
        customizationConfig: {
          distillationConfig: {
            teacherModelConfig: {
              teacherModelIdentifier: 'us.amazon.nova-premier-v1:0',
              maxResponseLengthForInference: 1000,
            },
          },
        },
      }),
    );
    const first = await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    assert.equal(first.customizationType, 'DISTILLATION');
    assert.deepEqual(first.customizationConfig, {
      distillationConfig: {
        teacherModelConfig: {
          teacherModelIdentifier: 'us.amazon.nova-premier-v1:0',
          maxResponseLengthForInference: 1000,
        },
      },
    });
    assert.equal(first.statusDetails?.validationDetails?.status, 'InProgress');
    assert.equal(first.statusDetails?.trainingDetails?.status, 'NotStarted');
    const training = await waitFor('training to start', async () => {
      const j = await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      return j.statusDetails?.trainingDetails?.status === 'InProgress' ? j : undefined;
    });
    assert.equal(training.statusDetails?.dataProcessingDetails?.status, 'Completed');

    await assert.rejects(
      c.bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...job('distil-2'),
          baseModelIdentifier: 'amazon.nova-lite-v1:0:300k',
          customizationType: 'DISTILLATION',
          trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
          customizationConfig: {
            distillationConfig: { teacherModelConfig: { teacherModelIdentifier: 'amazon.nova-micro-v1:0' } },
          },
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /cannot teach amazon.nova-lite/.test(e.message),
    );
    await assert.rejects(
      c.bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...job('distil-3'),
          baseModelIdentifier: 'amazon.nova-lite-v1:0:300k',
          customizationType: 'DISTILLATION',
          trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /teacherModelIdentifier/.test(e.message),
    );
  });

  it('reinforcement fine-tuning: a Lambda grader and typed hyperparameters; no grader, no job', async () => {
    const { jobArn } = await c.bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...job('rft-1'),
        baseModelIdentifier: 'amazon.nova-2-lite-v1:0',
        customizationType: 'REINFORCEMENT_FINE_TUNING',
        trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        customizationConfig: {
          rftConfig: {
            graderConfig: { lambdaGrader: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade' } },
            hyperParameters: { epochCount: 2, reasoningEffort: 'low' },
          },
        },
      }),
    );
    const got = await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    assert.deepEqual(got.customizationConfig, {
      rftConfig: {
        graderConfig: { lambdaGrader: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade' } },
        hyperParameters: { epochCount: 2, reasoningEffort: 'low' },
      },
    });
    await assert.rejects(
      c.bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...job('rft-2'),
          baseModelIdentifier: 'amazon.nova-2-lite-v1:0',
          customizationType: 'REINFORCEMENT_FINE_TUNING',
          trainingDataConfig: { s3Uri: `s3://${BUCKET}/ds/train.jsonl` },
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /lambdaGrader.lambdaArn/.test(e.message),
    );
  });
});

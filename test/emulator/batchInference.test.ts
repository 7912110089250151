// Batch inference (CreateModelInvocationJob …) through the real Bedrock and S3 clients, with the
// extension's own record writer and result reader on either side.
import assert from 'node:assert/strict';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { outputLinesFromJob, toBatchRecord } from '../../src/core/batch/batchInference';
import type { BatchRow } from '../../src/core/io/rows';
import { BUCKET, useSdkClients } from './sdkClients';
import { waitFor } from '../support/waitFor';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatch';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('emulator: batch inference through the real SDK clients', () => {
  const c = useSdkClients({ jobDurationMs: 200, batchMinRecords: 5 });

  const jobUntil = (jobArn: string, done: (s: string) => boolean) =>
    waitFor(`job ${jobArn}`, async () => {
      const job = await c.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      return done(job.status ?? '') ? job : undefined;
    });

  it('runs a job through its phases and writes one .out line per record, in the Converse format', async () => {
    const rows: BatchRow[] = Array.from({ length: 6 }, (_, i) => ({ index: i, line: i + 1, input: { q: `q${i}` } }));
    const body = rows
      .map((r) =>
        toBatchRecord(r.index, {
          modelId: MODEL,
          messages: [{ role: r.index === 5 ? 'assistant' : 'user', content: [{ text: `question ${r.index}` }] }],
          inferenceConfig: { maxTokens: 50 },
        }),
      )
      .join('\n');
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'batch/in/records.jsonl', Body: body }));
    const { jobArn } = await c.bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: 'summaries-1',
        roleArn: ROLE,
        modelId: MODEL,
        modelInvocationType: 'Converse',
        inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${BUCKET}/batch/in/`, s3InputFormat: 'JSONL' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${BUCKET}/batch/out/` } },
      }),
    );
    assert.match(jobArn ?? '', /^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
    const seen = new Set<string>();
    const job = await jobUntil(
      jobArn!,
      (s) => (seen.add(s), !['Submitted', 'Validating', 'Scheduled', 'InProgress'].includes(s)),
    );
    assert.ok(seen.has('Submitted') || seen.has('Validating') || seen.has('InProgress'), [...seen].join());
    assert.equal(job.status, 'PartiallyCompleted');
    assert.equal(job.totalRecordCount, 6);
    assert.equal(job.successRecordCount, 5);
    assert.ok(job.submitTime instanceof Date);
    const jobId = jobArn!.split('/').pop();
    const keys = (
      await c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `batch/out/${jobId}/` }))
    ).Contents?.map((c) => c.Key);
    assert.deepEqual(keys?.sort(), [`batch/out/${jobId}/manifest.json.out`, `batch/out/${jobId}/records.jsonl.out`]);
    const out = await (
      await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `batch/out/${jobId}/records.jsonl.out` }))
    ).Body!.transformToString();
    const lines = outputLinesFromJob(out, rows, MODEL, () => undefined, job.status!);
    assert.equal(lines.length, 6);
    assert.match(lines[2].output ?? '', /You wrote: "question 2"/);
    assert.equal(lines[2].usage?.outputTokens !== undefined, true);
    assert.match(lines[5].error?.message ?? '', /must start with a user message/);
    const list = await c.bedrock.send(new ListModelInvocationJobsCommand({ nameContains: 'summaries' }));
    assert.deepEqual(
      list.invocationJobSummaries?.map((j) => j.jobName),
      ['summaries-1'],
    );
  });

  it('fails a job under the minimum record count, and stops a running one', async () => {
    await c.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'small/in.jsonl',
        Body: toBatchRecord(0, { modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      }),
    );
    const input = { s3InputDataConfig: { s3Uri: `s3://${BUCKET}/small/in.jsonl` } };
    const output = { s3OutputDataConfig: { s3Uri: `s3://${BUCKET}/small/out/` } };
    const small = await c.bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: 'small',
        roleArn: ROLE,
        modelId: MODEL,
        modelInvocationType: 'Converse',
        inputDataConfig: input,
        outputDataConfig: output,
      }),
    );
    const failed = await jobUntil(small.jobArn!, (s) => s === 'Failed');
    assert.match(failed.message ?? '', /less than the minimum of 5 records/);
    const other = await c.bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: 'to-stop',
        roleArn: ROLE,
        modelId: MODEL,
        modelInvocationType: 'Converse',
        inputDataConfig: input,
        outputDataConfig: output,
      }),
    );
    await c.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: other.jobArn }));
    assert.equal((await jobUntil(other.jobArn!, (s) => s === 'Stopped')).status, 'Stopped');
  });

  it('rejects what the service rejects: an unknown model, a bad role, missing input', async () => {
    const base = {
      roleArn: ROLE,
      modelId: MODEL,
      modelInvocationType: 'Converse' as const,
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://${BUCKET}/nothing/` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: `s3://${BUCKET}/o/` } },
    };
    await assert.rejects(
      c.bedrock.send(new CreateModelInvocationJobCommand({ ...base, jobName: 'a', modelId: 'nope.model-v1' })),
      /model identifier is invalid/,
    );
    await assert.rejects(
      c.bedrock.send(new CreateModelInvocationJobCommand({ ...base, jobName: 'b', roleArn: 'role' })),
      (e: Error) => e.name === 'ValidationException',
    );
    await assert.rejects(
      c.bedrock.send(new CreateModelInvocationJobCommand({ ...base, jobName: 'c' })),
      /No .jsonl input was found/,
    );
  });
});

import assert from 'node:assert/strict';
import { buildJobRecords, sampleRequests } from '../../../../src/core/batch/jobRecords';
import { isResultKey, jobLayout, jobNameFor, resultsLocation } from '../../../../src/core/batch/jobLayout';
import { BatchJobStore, MAX_REMEMBERED_JOBS, type BatchJobRecord } from '../../../../src/core/batch/jobStore';
import type { BatchRow, RowSurvey } from '../../../../src/core/io/rows';
import { prepareCase, runCase, type CaseSteps } from '../../../../src/core/batch/runCase';
import type { InvokeOutcome } from '../../../../src/core/bedrock/invoke';
import { asPrefix, parseS3Uri, s3UriProblem } from '../../../../src/core/bedrock/s3Uri';
import type { RenderResult } from '../../../../src/core/format/render';

/** Steps over a toy prompt: `Say {{word}}`, refusing rows without `word`, failing to render `word: "!"`. */
function steps(modelId = 'amazon.nova-micro-v1:0'): CaseSteps {
  return {
    problem: (input) => (typeof input.word === 'string' ? undefined : 'the prompt needs {{word}}'),
    render: async (input) => {
      if (input.word === '!') throw new Error('line 3: unknown helper "shout"');
      const request = {
        modelId: 'x',
        messages: [{ role: 'user' as const, content: [{ text: `Say ${String(input.word)}` }] }],
        inferenceConfig: { maxTokens: 64 },
      };
      return { request, baseRequest: request, input } as RenderResult;
    },
    requestFor: (rendered) => ({ ...rendered.request, modelId }),
  };
}

const row = (index: number, input: Record<string, unknown>): BatchRow => ({ index, line: index + 2, input });

describe('the per-case runner (prompt tests and batch rows)', () => {
  it('refuses an incomplete input and a render failure with their reasons; nothing is sent', async () => {
    let calls = 0;
    const call = async (): Promise<InvokeOutcome> => (
      calls++,
      { text: '', reasoning: '', toolCalls: [], latencyMs: 1 }
    );
    assert.deepEqual(await runCase({}, steps(), call), {
      ok: false,
      code: 'InvalidRow',
      message: 'the prompt needs {{word}}',
    });
    assert.deepEqual(await runCase({ word: '!' }, steps(), call), {
      ok: false,
      code: 'PromptInvalid',
      message: 'line 3: unknown helper "shout"',
    });
    assert.equal(calls, 0);
  });

  it("sends the request for the case's model and returns what came back", async () => {
    const sent: string[] = [];
    const ran = await runCase({ word: 'hi' }, steps('meta.llama3-8b-instruct-v1:0'), async (request) => {
      sent.push(`${request.modelId}: ${JSON.stringify(request.messages)}`);
      return { text: 'hi!', reasoning: '', toolCalls: [], latencyMs: 5 };
    });
    assert.equal(ran.ok && ran.outcome.text, 'hi!');
    assert.deepEqual(sent, ['meta.llama3-8b-instruct-v1:0: [{"role":"user","content":[{"text":"Say hi"}]}]']);
    const prepared = await prepareCase({ word: 'yo' }, steps());
    assert.equal(prepared.ok && prepared.request.modelId, 'amazon.nova-micro-v1:0');
  });
});

describe('batch inference jobs: records, cost sample, S3 layout, remembered jobs', () => {
  it('renders each row into a record without the model id; a bad row stops the build with its row and line', async () => {
    const built = await buildJobRecords([row(0, { word: 'a' }), row(1, { word: 'b' })], steps(), 'rows.jsonl');
    assert.deepEqual(
      built.lines.map((l) => JSON.parse(l) as unknown),
      [
        {
          recordId: 'ROW00000001',
          modelInput: {
            messages: [{ role: 'user', content: [{ text: 'Say a' }] }],
            inferenceConfig: { maxTokens: 64 },
          },
        },
        {
          recordId: 'ROW00000002',
          modelInput: {
            messages: [{ role: 'user', content: [{ text: 'Say b' }] }],
            inferenceConfig: { maxTokens: 64 },
          },
        },
      ],
    );
    assert.equal(built.maxTokens, 64);
    await assert.rejects(
      buildJobRecords([row(0, { word: 'a' }), row(1, {})], steps(), 'rows.jsonl'),
      /Row 2 \(line 3\) cannot be sent: the prompt needs \{\{word\}\}/,
    );
    await assert.rejects(
      buildJobRecords([row(0, { word: '!' })], steps(), 'rows.jsonl'),
      /Row 1 \(line 2\) does not render: line 3: unknown helper/,
    );
  });

  it('a secret in a row is found before upload, and named by row and line', async () => {
    const leaked = row(4, { word: 'my key is AKIAQWERTYUIOPASDFGH and wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY' });
    await assert.rejects(buildJobRecords([leaked], steps(), 'rows.jsonl'), (err: Error) =>
      /Not uploaded: a .*AWS.* was found in row 5 \(rows\.jsonl:6\)/i.test(err.message),
    );
  });

  it('the cost sample stands for the readable rows, less the share that would be refused', async () => {
    const survey: RowSurvey = {
      count: 12,
      readable: 10,
      keys: new Set(['word']),
      sample: [row(0, { word: 'a' }), row(1, {}), row(2, { word: 'bb' }), row(3, { word: 'ccc' })],
    };
    const sample = await sampleRequests(survey, steps());
    assert.deepEqual(sample && { calls: sample.calls, maxTokens: sample.maxTokens }, { calls: 8, maxTokens: 64 });
    assert.ok(sample && sample.averageChars > 0);
    assert.equal(await sampleRequests({ ...survey, sample: [row(0, {})] }, steps()), undefined);
  });

  it('lays a job out under its prefix and finds its results under the job id', () => {
    assert.deepEqual(jobLayout('s3://my-bucket/batch', 'triage-20261201'), {
      bucket: 'my-bucket',
      prefix: 'batch/triage-20261201/',
      inputKey: 'batch/triage-20261201/input/records.jsonl',
      inputUri: 's3://my-bucket/batch/triage-20261201/input/',
      outputUri: 's3://my-bucket/batch/triage-20261201/output/',
    });
    assert.equal(jobLayout('s3://my-bucket', 'j')?.inputKey, 'j/input/records.jsonl');
    assert.equal(jobLayout('https://my-bucket/x', 'j'), undefined);
    assert.deepEqual(
      resultsLocation('s3://my-bucket/batch/j/output/', 'arn:aws:bedrock:us-east-1:1:model-invocation-job/abc123'),
      { bucket: 'my-bucket', prefix: 'batch/j/output/abc123/' },
    );
    assert.equal(resultsLocation(undefined, 'arn'), undefined);
    assert.ok(isResultKey('p/abc/records.jsonl.out'));
    assert.ok(!isResultKey('p/abc/manifest.json.out'));
    assert.equal(
      jobNameFor('ticket classifier.prompt', new Date('2026-12-01T10:20:30.456Z')),
      'ticket-classifier-20261201102030456',
    );
  });

  it('remembers the jobs it started, newest first, bounded, and ignores what it cannot read', async () => {
    const data = new Map<string, unknown>();
    const store = new BatchJobStore({
      get: <T>(k: string, d: T) => (data.has(k) ? (data.get(k) as T) : d),
      update: async (k, v) => void data.set(k, v),
    });
    const rec = (n: number): BatchJobRecord => ({
      jobArn: `arn:job/${n}`,
      promptUri: 'file:///p.prompt',
      dataPath: '/d.jsonl',
      outputPath: `/o${n}.jsonl`,
      modelId: 'm',
    });
    for (let n = 0; n < MAX_REMEMBERED_JOBS + 5; n++) await store.remember(rec(n));
    assert.equal(store.recordFor('arn:job/0'), undefined, 'the oldest are forgotten');
    assert.equal(
      store.recordFor(`arn:job/${MAX_REMEMBERED_JOBS + 4}`)?.outputPath,
      `/o${MAX_REMEMBERED_JOBS + 4}.jsonl`,
    );
    await store.remember({ ...rec(100), outputPath: '/again.jsonl' });
    assert.equal(store.recordFor('arn:job/100')?.outputPath, '/again.jsonl', 'one record per job, the latest');
    assert.equal((data.get('batchJobs') as unknown[]).length, MAX_REMEMBERED_JOBS);
    data.set('batchJobs', 'garbage');
    assert.equal(store.recordFor('arn:job/100'), undefined);
  });
});

describe('S3 URIs (one parser)', () => {
  it('parses bucket and key, refuses what is not an S3 location with the reason', () => {
    assert.deepEqual(parseS3Uri('s3://my-bucket/a/b.jsonl'), { bucket: 'my-bucket', key: 'a/b.jsonl' });
    assert.deepEqual(parseS3Uri('s3://my-bucket'), { bucket: 'my-bucket', key: '' });
    assert.equal(parseS3Uri('s3://My_Bucket/x'), undefined);
    assert.equal(parseS3Uri('s3://a..b/x'), undefined);
    assert.equal(parseS3Uri('http://my-bucket/x'), undefined);
    assert.equal(s3UriProblem('s3://my-bucket/x/'), undefined);
    assert.match(s3UriProblem('bucket/x') ?? '', /An S3 URI: s3:\/\/bucket\/prefix\//);
    assert.match(s3UriProblem('s3://UPPER/x') ?? '', /"UPPER" is not a bucket name/);
    assert.equal(asPrefix('/a/b'), 'a/b/');
    assert.equal(asPrefix('a/'), 'a/');
    assert.equal(asPrefix(''), '');
  });
});

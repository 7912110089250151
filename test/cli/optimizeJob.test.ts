// `prompt-lab optimize-job start|status|collect` with the real binary against the local server's S3 and
// Advanced Prompt Optimization jobs: the input file holds the documented version, the plain template, one
// evaluation method and a sample per case with a reference answer; what the service would refuse (no
// reference, too many models, a secret) is refused before anything is uploaded; a finished job's results
// come back as a variant per model beside the prompt and an evaluation record; a model that failed is said.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const BUCKET = 'bedrock-prompt-lab-data';
const S3 = `s3://${BUCKET}/advpo/`;

const PROMPT = `---
model: amazon.nova-lite-v1:0
# kept in the variants
input:
  schema:
    customer: string
    message: string
  default:
    customer: Ana
---
{{role "system"}}
You draft replies.

{{role "user"}}
Reply to {{customer}}: {{message}}
`;

const TESTS = `judge: amazon.nova-lite-v1:0
cases:
  - name: late parcel
    input: {message: My parcel is late.}
    assert:
      - reference: Sorry, your parcel is on its way.
      - rubric: The reply apologises.
  - name: damaged lamp
    input: {customer: Ben, message: The lamp is cracked.}
    assert:
      - reference: Apologies, a new lamp ships today.
  - name: no reference
    input: {customer: Eve, message: Thanks!}
    assert:
      - contains: Eve
`;

describe('prompt-lab optimize-job (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const run = (...args: string[]) => promptLab(args, { cwd: dir, env: emulator.env() });
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  const created = () => emulator.requests.filter((r) => r.operation === 'CreateAdvancedPromptOptimizationJob');
  const inputOf = (body: unknown) => {
    const uri = (body as { inputConfig: { s3Uri: string } }).inputConfig.s3Uri;
    const key = uri.replace(`s3://${BUCKET}/`, '');
    return emulator.s3
      .object(BUCKET, key)!
      .body.toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
  };

  before(async () => {
    emulator = await startEmulator({ jobDurationMs: 600 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-advpo-'));
  });
  after(async () => emulator.stop());
  beforeEach(() => {
    write('reply.prompt', PROMPT);
    write('reply.tests.yaml', TESTS);
    emulator.requests.length = 0;
  });

  it('start: the documented input (plain template, samples with reference answers, steering from the rubrics, shortening), then status, then collect', async () => {
    const started = await run(
      'optimize-job',
      'start',
      'reply.prompt',
      '--s3',
      S3,
      '-m',
      'amazon.nova-pro-v1:0',
      '-m',
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      '--method',
      'steering',
      '--shorten',
      '--job-name',
      'reply-advpo-1',
    );
    assert.equal(started.code, 0, started.stderr);
    const arn = started.stdout.trim();
    assert.match(arn, /^arn:aws:bedrock:us-east-1:\d+:advanced-prompt-optimization-job\/\w+$/);
    assert.match(started.stderr, /note: reply\.prompt: The system and user turns are one text here, in their order/);
    assert.match(
      started.stderr,
      /note: reply\.prompt: 1 case\(s\) have no reference answer and are not samples: no reference\./,
    );
    const body = created()[0].body as Record<string, any>;
    assert.deepEqual(body.modelConfigurations, [
      { modelId: 'amazon.nova-pro-v1:0' },
      { modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0' },
    ]);
    assert.equal(body.outputConfig.s3Uri, `${S3}reply-advpo-1/output/`);
    assert.deepEqual(inputOf(body), [
      {
        version: 'bedrock-2026-05-14',
        templateId: 'reply',
        promptTemplate: 'You draft replies.\n\nReply to {{customer}}: {{message}}',
        steeringCriteria: ['The reply apologises.'],
        evaluationSamples: [
          {
            inputVariables: [{ customer: 'Ana', message: 'My parcel is late.' }],
            referenceResponse: 'Sorry, your parcel is on its way.',
          },
          {
            inputVariables: [{ customer: 'Ben', message: 'The lamp is cracked.' }],
            referenceResponse: 'Apologies, a new lamp ships today.',
          },
        ],
        optimizationConfig: { shortenPrompt: true },
      },
    ]);

    const status = await run('optimize-job', 'status', '--wait', '--interval', '0.2');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^reply-advpo-1\tCompleted\tarn:/m);

    const collected = await run('optimize-job', 'collect', arn);
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(
      collected.stdout,
      /^reply\.prompt on amazon\.nova-pro-v1:0: score 0\.50 → 0\.75, \$[\d.]+ → \$[\d.]+ a call · reply\.nova-pro\.prompt$/m,
    );
    assert.match(
      collected.stdout,
      /^reply\.prompt on us\.anthropic\.claude-3-5-haiku-20241022-v1:0: score 0\.50 → 0\.75, .* · reply\.claude-3-5-haiku\.prompt$/m,
    );
    assert.match(
      collected.stderr,
      /^warning: reply\.nova-pro\.prompt: it drops \{\{customer\}\}, \{\{message\}\}$/m,
      'the shortened template lost the variables, and that is said',
    );
    const variant = readFileSync(path.join(dir, 'reply.nova-pro.prompt'), 'utf8');
    assert.equal(
      variant,
      PROMPT.replace('model: amazon.nova-lite-v1:0', 'model: amazon.nova-pro-v1:0').replace(
        /\{\{role "system"\}\}[\s\S]*$/,
        `{{!-- Optimized by Advanced Prompt Optimization (job reply-advpo-1) for amazon.nova-pro-v1:0: average score 0.5 → 0.75. --}}\nYou draft replies.\nAnswer in one precise, complete sentence.\n`,
      ),
      'the frontmatter and its comment kept, the model set, the optimized (shortened) template',
    );
    const evals = readdirSync(path.join(dir, '.prompt-lab', 'evals')).filter((f) => f.endsWith('.json'));
    assert.equal(evals.length, 1);
    const record = JSON.parse(readFileSync(path.join(dir, '.prompt-lab', 'evals', evals[0]), 'utf8'));
    assert.deepEqual(
      record.configs.map((c: { id: string }) => c.id),
      [
        'original@amazon.nova-pro-v1:0',
        'optimized for amazon.nova-pro-v1:0@amazon.nova-pro-v1:0',
        'original@us.anthropic.claude-3-5-haiku-20241022-v1:0',
        'optimized for us.anthropic.claude-3-5-haiku-20241022-v1:0@us.anthropic.claude-3-5-haiku-20241022-v1:0',
      ],
    );
    assert.deepEqual(
      record.samples
        .filter((s: { config: string }) => s.config === 'original@amazon.nova-pro-v1:0')
        .map((s: { caseId: string; state: string }) => [s.caseId, s.state]),
      [
        ['reply.tests.yaml#late parcel', 'passed'],
        ['reply.tests.yaml#damaged lamp', 'passed'],
      ],
    );
    assert.equal(record.name, 'reply', "in the prompt's evaluation history");
    assert.equal(record.complete, true);
  });

  it('a model that failed leaves the job PartiallyCompleted: the other variants come back, and the failure is said', async () => {
    const started = await run(
      'optimize-job',
      'start',
      'reply.prompt',
      '--s3',
      S3,
      '-m',
      'amazon.nova-pro-v1:0',
      '-m',
      'meta.llama3-1-8b-instruct-v1:0',
      '--job-name',
      'reply-advpo-2',
    );
    assert.equal(started.code, 0, started.stderr);
    const arn = started.stdout.trim();
    await run('optimize-job', 'status', arn, '--wait', '--interval', '0.2');
    const collected = await run('optimize-job', 'collect', arn);
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(
      collected.stdout,
      /^reply\.prompt on meta\.llama3-1-8b-instruct-v1:0: FAILED \(no optimized prompt\)$/m,
    );
    assert.match(collected.stderr, /reply-advpo-2 \(PartiallyCompleted\): 1 variant\(s\) written/);
    assert.ok(!existsSync(path.join(dir, 'reply.llama3-1-8b-instruct.prompt')));
  });

  it('refuses before uploading: no reference answers, too many models, a secret in a case, a job not finished', async () => {
    write('reply.tests.yaml', 'cases:\n  - name: a\n    input: {message: hi}\n    assert:\n      - contains: hi\n');
    let r = await run('optimize-job', 'start', 'reply.prompt', '--s3', S3);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /reply\.prompt: no case has a reference answer\. Add `- reference: <the answer you expect>` to the cases/,
    );

    write('reply.tests.yaml', TESTS);
    const six = [
      'amazon.nova-pro-v1:0',
      'amazon.nova-lite-v1:0',
      'amazon.nova-micro-v1:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'mistral.mistral-large-2407-v1:0',
      'amazon.titan-text-premier-v1:0',
    ];
    r = await run('optimize-job', 'start', 'reply.prompt', '--s3', S3, ...six.flatMap((m) => ['-m', m]));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /A job optimizes for at most 5 models \(6 given\)\./);

    write(
      'reply.tests.yaml',
      TESTS.replace(
        'My parcel is late.',
        'My key is AKIAQWERTYUIOPASDFGH and wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
      ),
    );
    r = await run('optimize-job', 'start', 'reply.prompt', '--s3', S3);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Not uploaded: a secret \(.+\) is in a prompt or a test case of this job/);
    assert.equal(
      emulator.requests.filter((q) => q.operation.startsWith('S3 PUT') || q.operation === 'S3 POST').length,
      0,
      'nothing uploaded',
    );
    assert.equal(created().length, 0);

    write('reply.tests.yaml', TESTS);
    const started = await run('optimize-job', 'start', 'reply.prompt', '--s3', S3, '--job-name', 'reply-advpo-3');
    // Still running whatever the machine's load: the job's clock is set a minute ahead.
    emulator.optimizationJobs.jobs.find((j) => j.jobName === 'reply-advpo-3')!.creationTime = new Date(
      Date.now() + 60_000,
    );
    const early = await run('optimize-job', 'collect', started.stdout.trim());
    assert.equal(early.code, 2, early.stderr);
    assert.match(early.stderr, /The job reply-advpo-3 is InProgress: results come back only from a completed job/);
  });

  it("never reads or writes outside the folder when the job's record names a path outside it", async () => {
    const started = await run(
      'optimize-job',
      'start',
      'reply.prompt',
      '--s3',
      S3,
      '-m',
      'amazon.nova-pro-v1:0',
      '--job-name',
      'reply-advpo-4',
    );
    assert.equal(started.code, 0, started.stderr);
    const arn = started.stdout.trim();
    // A prompt outside the folder, and the record pointed at it (the record is a file anyone can edit).
    const outside = mkdtempSync(path.join(os.tmpdir(), 'bpl-advpo-outside-'));
    writeFileSync(path.join(outside, 'reply.prompt'), PROMPT);
    const store = path.join(dir, '.prompt-lab', 'optimization-jobs.json');
    const records = JSON.parse(readFileSync(store, 'utf8')) as { jobArn: string; prompts: { file: string }[] }[];
    records.find((r) => r.jobArn === arn)!.prompts[0].file = path.relative(dir, path.join(outside, 'reply.prompt'));
    writeFileSync(store, JSON.stringify(records));
    await run('optimize-job', 'status', arn, '--wait', '--interval', '0.2');
    const collected = await run('optimize-job', 'collect', arn);
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(collected.stderr, /warning: \.\..*reply\.prompt is outside this folder: its results are not written/);
    assert.deepEqual(readdirSync(outside), ['reply.prompt'], 'nothing written beside it');
  });
});

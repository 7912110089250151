// `prompt-lab batch-job start|status|collect`: the real binary against the local server's S3 and batch
// inference routes, reading the results JSONL it writes and the records it uploaded.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const S3 = 's3://bedrock-prompt-lab-data/ci/';
const ROLE = 'arn:aws:iam::123456789012:role/BatchRole';

describe('prompt-lab batch-job (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const cli = (args: string[]) => promptLab(args, { cwd: dir, env: emulator.env() });
  const uploads = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path.includes('/ci/')).length;

  before(async () => {
    // Long enough that a job just started is still running when collect is tried (even on a busy machine).
    emulator = await startEmulator({ jobDurationMs: 2000 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-batch-'));
    writeFileSync(
      path.join(dir, 'echo.prompt'),
      `---\nmodel: ${MODEL}\nconfig:\n  maxOutputTokens: 50\ninput:\n  schema:\n    question: string\n---\nAnswer: {{question}}\n`,
    );
    const rows = (n: number, at?: number, text = '') =>
      Array.from({ length: n }, (_, i) => JSON.stringify({ question: i === at ? text : `question ${i}` })).join('\n');
    writeFileSync(path.join(dir, 'many.jsonl'), `${rows(120)}\n`);
    writeFileSync(path.join(dir, 'few.jsonl'), `${rows(12)}\n`);
    writeFileSync(
      path.join(dir, 'leaky.jsonl'),
      `${rows(120, 7, 'my key is AKIAQWERTYUIOPASDFGH and wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY')}\n`,
    );
  });
  after(async () => {
    await emulator.stop();
  });

  it('start uploads the records and prints the job ARN; status --wait follows it; collect writes the results at batch prices', async () => {
    const started = await cli([
      'batch-job',
      'start',
      'echo.prompt',
      'many.jsonl',
      '--s3',
      S3,
      '--role',
      ROLE,
      '-o',
      'many.out.jsonl',
    ]);
    assert.equal(started.code, 0, started.stderr);
    const arn = started.stdout.trim();
    assert.match(arn, /^arn:aws:bedrock:us-east-1:\d{12}:model-invocation-job\/\w+$/);
    assert.match(started.stderr, /started with 120 records .* at batch prices.*prompt-lab batch-job status/);
    const remembered = JSON.parse(readFileSync(path.join(dir, '.prompt-lab', 'batch-jobs.json'), 'utf8')) as {
      batchJobs: { jobArn: string; outputPath: string; modelId: string }[];
    };
    assert.equal(remembered.batchJobs[0].jobArn, arn);
    assert.equal(remembered.batchJobs[0].outputPath, path.join(dir, 'many.out.jsonl'));

    const status = await cli(['batch-job', 'status', '--wait', '--interval', '0.1']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\tCompleted · 120\/120 records\t/);
    const json = await cli(['batch-job', 'status', arn, '--json']);
    assert.equal((JSON.parse(json.stdout) as { status: string }[])[0].status, 'Completed');

    const collected = await cli(['batch-job', 'collect', arn]);
    assert.equal(collected.code, 0, collected.stderr);
    const lines = readFileSync(path.join(dir, 'many.out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            row: number;
            output?: string;
            usage: { inputTokens: number; outputTokens: number };
            costUsd: number;
          },
      );
    assert.equal(lines.length, 120);
    assert.match(lines[41].output ?? '', /You wrote: "Answer: question 41"/);
    // Claude 3 Haiku on demand: $0.00025 in, $0.00125 out per 1,000 tokens; batch inference at half that.
    const l = lines[41];
    const onDemand = (l.usage.inputTokens * 0.00025 + l.usage.outputTokens * 0.00125) / 1000;
    assert.ok(Math.abs(l.costUsd - onDemand / 2) < 1e-12, `${l.costUsd} vs ${onDemand / 2}`);
    assert.match(collected.stderr, /120 rows → many\.out\.jsonl · ~\$[\d.]+ at batch prices/);
  });

  it('refuses before uploading: too few rows, a role that is not an ARN, a secret in a row, over --max-cost (exit 2, 2, 2, 1)', async () => {
    const before = uploads();
    const few = await cli(['batch-job', 'start', 'echo.prompt', 'few.jsonl', '--s3', S3, '--role', ROLE]);
    assert.equal(few.code, 2, few.stderr);
    assert.match(
      few.stderr,
      /at least 100 records per job; few\.jsonl has 12\. Run the rows on demand instead \(Run Over Dataset, prompt-lab rows\)/,
    );
    const role = await cli(['batch-job', 'start', 'echo.prompt', 'many.jsonl', '--s3', S3, '--role', 'BatchRole']);
    assert.equal(role.code, 2, role.stderr);
    assert.match(role.stderr, /BatchRole is not an IAM role ARN: write it as arn:aws:iam::<account>:role\/<name>/);
    const leaky = await cli(['batch-job', 'start', 'echo.prompt', 'leaky.jsonl', '--s3', S3, '--role', ROLE]);
    assert.equal(leaky.code, 2, leaky.stderr);
    assert.match(leaky.stderr, /Not uploaded: a .*AWS.* was found in row 8 \(leaky\.jsonl:8\)/);
    const costly = await cli([
      'batch-job',
      'start',
      'echo.prompt',
      'many.jsonl',
      '--s3',
      S3,
      '--role',
      ROLE,
      '--max-cost',
      '0.000001',
    ]);
    assert.equal(costly.code, 1, costly.stderr);
    assert.match(costly.stderr, /gate failed: 120 records .* over --max-cost .*Nothing was uploaded\./);
    assert.equal(uploads(), before, 'nothing reached S3');
  });

  it('collect refuses a job that has not finished, and status names a folder with no jobs', async () => {
    const started = await cli([
      'batch-job',
      'start',
      'echo.prompt',
      'many.jsonl',
      '--s3',
      S3,
      '--role',
      ROLE,
      '-o',
      'early.jsonl',
    ]);
    const early = await cli(['batch-job', 'collect', started.stdout.trim()]);
    assert.equal(early.code, 2, early.stderr);
    assert.match(
      early.stderr,
      /is (Submitted|Validating|Scheduled|InProgress).*: results come back only from a completed job/,
    );
    assert.equal(existsSync(path.join(dir, 'early.jsonl')), false);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-batch-empty-'));
    const none = await promptLab(['batch-job', 'status'], { cwd: empty, env: emulator.env() });
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /No batch jobs were started from this folder/);
  });
});

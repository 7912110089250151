// `prompt-lab customize start|status|loss` with the real binary and the local server: a job is checked
// before it is sent (every problem at once, exit 2, nothing sent), distillation carries its teacher,
// status shows the stage while the job runs and waits for its end, and loss prints the curves the
// completed job wrote to its S3 output.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockCustomization';
const BUCKET = 'bedrock-prompt-lab-data';

describe('prompt-lab customize (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const cli = (...args: string[]) => promptLab(args, { cwd: dir, env: emulator.env() });
  const created = () => emulator.requests.filter((q) => q.operation === 'CreateModelCustomizationJob');

  before(async () => {
    emulator = await startEmulator({ jobDurationMs: 1500 });
    emulator.s3.put(BUCKET, 'ds/train.jsonl', '{"schemaVersion":"bedrock-conversation-2024","messages":[]}\n');
    emulator.s3.put(BUCKET, 'ds/validation.jsonl', '{"schemaVersion":"bedrock-conversation-2024","messages":[]}\n');
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-customize-'));
  });
  after(async () => emulator.stop());

  it('refuses a job that breaks its kind, naming every problem, before anything is sent', async () => {
    const r = await cli(
      'customize',
      'start',
      '-m',
      'amazon.nova-micro-v1:0:128k',
      '-t',
      'distillation',
      '--output',
      `s3://${BUCKET}/out/`,
      '--role',
      'not-a-role',
      '--train',
      `s3://${BUCKET}/ds/train.jsonl`,
      '--validation',
      `s3://${BUCKET}/ds/validation.jsonl`,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /The distillation job was not started\. The role "not-a-role" is not valid \(arn:aws:iam::<account>:role\/<name>\)\. Distillation takes no validation file: leave it out\. Distillation needs a teacher model\./,
    );
    assert.equal(created().length, 0, 'nothing sent');
  });

  it('starts a distillation job with its teacher; status shows its stage and waits for its end; loss prints its curves', async () => {
    const start = await cli(
      'customize',
      'start',
      '-m',
      'amazon.nova-micro-v1:0:128k',
      '-t',
      'distillation',
      '--teacher',
      'amazon.nova-pro-v1:0',
      '--max-response-tokens',
      '800',
      '--output',
      `s3://${BUCKET}/out/`,
      '--role',
      ROLE,
      '--train',
      `s3://${BUCKET}/ds/train.jsonl`,
      '--job-name',
      'cli-distil-1',
    );
    assert.equal(start.code, 0, start.stderr);
    assert.match(
      start.stdout.trim(),
      /^arn:aws:bedrock:us-east-1:123456789012:model-customization-job\/amazon\.nova-micro-v1:0:128k\/[0-9a-f]{12}$/,
    );
    assert.match(
      start.stderr,
      /Distillation job cli-distil-1 started for amazon\.nova-micro-v1:0:128k \(teacher amazon\.nova-pro-v1:0\)/,
    );
    assert.deepEqual((created().at(-1)?.body as Record<string, unknown>).customizationConfig, {
      distillationConfig: {
        teacherModelConfig: { teacherModelIdentifier: 'amazon.nova-pro-v1:0', maxResponseLengthForInference: 800 },
      },
    });

    const running = await cli('customize', 'status', 'cli-distil-1');
    assert.equal(running.code, 0, running.stderr);
    assert.match(
      running.stdout,
      /^cli-distil-1 · InProgress · (validation|data processing|training), stage [123] of 3 · distillation of amazon\.nova-micro-v1:0:128k$/m,
    );
    const early = await cli('customize', 'loss', 'cli-distil-1');
    assert.equal(early.code, 2);
    assert.match(
      early.stderr,
      /cli-distil-1 is InProgress: a job writes its loss curves to its output location when it completes/,
    );

    const waited = await cli('customize', 'status', 'cli-distil-1', '--wait', '--interval', '0.3');
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(
      waited.stdout,
      /^cli-distil-1 · Completed · distillation of amazon\.nova-micro-v1:0:128k · arn:aws:bedrock:.*:custom-model\//m,
    );

    const loss = await cli('customize', 'loss', 'cli-distil-1');
    assert.equal(loss.code, 0, loss.stderr);
    const lines = loss.stdout.trim().split('\n');
    assert.equal(lines[0], 'series,step,epoch,loss');
    assert.equal(lines.length, 21, 'twenty training points, no validation data');
    assert.equal(lines.at(-1), 'training,19,2,0.42');
    assert.match(loss.stderr, /cli-distil-1: Training loss 2\.2 → 0\.42 over 20 points \(2 epochs\)/);
  });
});

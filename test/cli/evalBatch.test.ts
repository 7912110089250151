// `prompt-lab eval --backend batch`: the real binary against the local server's S3 and batch inference.
// The answers come from a job (one per model, at least 100 records), are judged here, and land in the same
// record, at batch prices; Ctrl+C while the job runs leaves it running, and the same command collects it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const NOVA = 'amazon.nova-micro-v1:0';
const S3 = 's3://bedrock-prompt-lab-data/evals/';
const ROLE = 'arn:aws:iam::123456789012:role/BatchRole';

interface Json {
  complete: boolean;
  settings: { backend?: string };
  samples: { config: string; state: string; latencyMs?: number; costUsd?: number }[];
  summaries: { config: string; passRate: number; costPer1kUsd?: number }[];
}

describe('prompt-lab eval --backend batch (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const evaluate = (file: string, args: string[], extra: Partial<Parameters<typeof promptLab>[1]> = {}) =>
    promptLab(['eval', file, '--no-variants', '-m', NOVA, '--repeat', '25', ...args], {
      cwd: dir,
      env: emulator.env(),
      ...extra,
    });
  const batch = ['--backend', 'batch', '--s3', S3, '--role', ROLE, '--poll', '0.2'];
  const count = (operation: string, modelId?: string) =>
    emulator.requests.filter((r) => r.operation === operation && (!modelId || r.modelId === modelId)).length;

  before(async () => {
    emulator = await startEmulator({ jobDurationMs: 1500 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-eval-batch-'));
    writeFileSync(
      path.join(dir, 'echo.prompt'),
      `---\nmodel: ${NOVA}\ninput:\n  schema:\n    word: string\n---\nSay {{word}}\n`,
    );
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      `cases:\n${['alpha', 'beta', 'gamma'].map((w) => `  - name: says ${w}\n    input: { word: ${w} }\n    assert:\n      - contains: Say ${w}\n`).join('')}  - name: is Micro\n    input: { word: delta }\n    assert:\n      - contains: Micro\n`,
    );
  });
  after(async () => emulator.stop());

  it('makes the answers in one batch job, judges them here, and costs them at half the on-demand price', async () => {
    const streams = count('ConverseStream', NOVA);
    const r = await evaluate('echo.prompt', [...batch, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /batch job echo-eval-\d+ started on amazon\.nova-micro-v1:0: 100 records/);
    assert.match(r.stderr, /batch job echo-eval-\d+: Completed, 100 answers collected/);
    assert.equal(count('CreateModelInvocationJob'), 1);
    assert.equal(count('ConverseStream', NOVA), streams, 'no call on demand');
    const json = JSON.parse(r.stdout) as Json;
    assert.equal(json.complete, true);
    assert.equal(json.settings.backend, 'batch');
    assert.equal(json.samples.length, 100);
    assert.equal(json.summaries[0].passRate, 1);
    assert.ok(
      json.samples.every((s) => s.latencyMs === undefined),
      'a batch job has no latency per call',
    );

    // The same evaluation on demand: the same answers, at twice the price.
    const live = JSON.parse((await evaluate('echo.prompt', ['--json'])).stdout) as Json;
    const ratio = json.summaries[0].costPer1kUsd! / live.summaries[0].costPer1kUsd!;
    assert.ok(Math.abs(ratio - 0.5) < 1e-9, String(ratio));
  });

  it('Ctrl+C while the job runs leaves it running; the same command waits for it and collects it', async () => {
    const jobs = count('CreateModelInvocationJob');
    let stderr = '';
    const interrupted = await evaluate('echo.prompt', [...batch, '--restart'], {
      onStderr: (text) => (stderr = text),
      whileRunning: (interrupt) => /started on/.test(stderr) && interrupt(),
    });
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /the batch jobs keep running in Bedrock: run the same command again/);
    assert.equal(count('CreateModelInvocationJob'), jobs + 1);
    const resumed = await evaluate('echo.prompt', [...batch]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /started on/);
    assert.equal(count('CreateModelInvocationJob'), jobs + 1, 'no second job');
  });

  it('calls with tools stay on demand; a missing S3 location or role is named before anything is sent', async () => {
    writeFileSync(
      path.join(dir, 'tooly.prompt'),
      `---\nmodel: ${NOVA}\ntools: [lookup]\ntoolDefs:\n  - name: lookup\n    description: Looks a word up.\n    inputSchema:\n      word: string\ninput:\n  schema:\n    word: string\n---\nLook up {{word}}\n`,
    );
    writeFileSync(
      path.join(dir, 'tooly.tests.yaml'),
      'cases:\n  - name: one\n    input: { word: a }\n    assert:\n      - json: true\n',
    );
    const jobs = count('CreateModelInvocationJob');
    const tooly = await evaluate('tooly.prompt', batch);
    assert.match(tooly.stderr, /25 calls with tools run on demand: batch jobs take no tools/);
    assert.equal(count('CreateModelInvocationJob'), jobs);

    const before = emulator.requests.length;
    const noRole = await evaluate('echo.prompt', ['--backend', 'batch', '--s3', S3]);
    assert.equal(noRole.code, 2);
    assert.match(noRole.stderr, /--backend batch names no service role Bedrock can assume/);
    const stray = await evaluate('echo.prompt', ['--s3', S3]);
    assert.match(stray.stderr, /--s3 and --role go with --backend batch/);
    assert.equal(emulator.requests.length, before);
  });
});

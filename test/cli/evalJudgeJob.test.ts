// `prompt-lab eval --judge-with eval-job`: the rubric and reference assertions graded by Bedrock model
// evaluation jobs (the local server's, with the service's request and result shapes and deterministic
// grades), the rest checked here, all in the same record. Ctrl+C while a job runs leaves it running.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const NOVA = 'amazon.nova-micro-v1:0';
const S3 = 's3://bedrock-prompt-lab-data/judging/';
const ROLE = 'arn:aws:iam::123456789012:role/EvaluationRole';

interface Json {
  complete: boolean;
  settings: { judging?: string };
  samples: { config: string; caseId: string; state: string; messages: string[]; pendingGrades?: unknown }[];
  summaries: { config: string; passRate: number; rubrics: { rubric: string; passed: number; n: number }[] }[];
}

describe('prompt-lab eval --judge-with eval-job (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const jobs = ['--judge-with', 'eval-job', '--s3', S3, '--role', ROLE, '--poll', '0.2'];
  const evaluate = (args: string[], extra: Partial<Parameters<typeof promptLab>[1]> = {}) =>
    promptLab(['eval', 'echo.prompt', '--no-variants', '-m', NOVA, ...args], {
      cwd: dir,
      env: emulator.env(),
      ...extra,
    });
  const count = (operation: string) => emulator.requests.filter((r) => r.operation === operation).length;

  before(async () => {
    emulator = await startEmulator({ jobDurationMs: 1000 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-eval-judge-'));
    writeFileSync(
      path.join(dir, 'echo.prompt'),
      `---\nmodel: ${NOVA}\ninput:\n  schema:\n    word: string\n---\nSay {{word}}\n`,
    );
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      [
        `judge: ${NOVA}`,
        'cases:',
        '  - name: polite',
        '    input: { word: alpha }',
        '    assert:',
        '      - contains: Say alpha',
        '      - rubric: Is polite',
        '  - name: rude',
        '    input: { word: beta }',
        '    assert:',
        '      - rubric: "Is rude [[tool-boolean=false]]"',
        '  - name: plain',
        '    input: { word: gamma }',
        '    assert:',
        '      - contains: Say gamma',
        '',
      ].join('\n'),
    );
  });
  after(async () => emulator.stop());

  it('grades the rubrics on an evaluation job (a custom metric each) and checks the rest here, in one record', async () => {
    const localJudge = count('Converse');
    const r = await evaluate([...jobs, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /evaluation job echo-judge-\d+-1 started for base@amazon\.nova-micro-v1:0: 2 answers, 2 metrics/,
    );
    assert.equal(count('CreateEvaluationJob'), 1);
    assert.equal(count('Converse'), localJudge, 'the judge model was not called from here');
    const json = JSON.parse(r.stdout) as Json;
    assert.equal(json.complete, true);
    assert.equal(json.settings.judging, 'eval-job');
    assert.equal(json.summaries[0].passRate, 2 / 3);
    const rude = json.samples.find((x) => x.caseId.endsWith('#rude'))!;
    assert.equal(rude.state, 'failed');
    assert.deepEqual(rude.messages, [
      'Judge: does not meet "Is rude [[tool-boolean=false]]": The response does not meet the criterion.',
    ]);
    assert.ok(json.samples.every((x) => x.pendingGrades === undefined));
    assert.deepEqual(
      json.summaries[0].rubrics.map((x) => [x.rubric, x.passed, x.n]),
      [
        ['Is polite', 1, 1],
        ['Is rude [[tool-boolean=false]]', 0, 1],
      ],
    );
  });

  it("reference answers from a data file go as the dataset's referenceResponse; Ctrl+C leaves the job, the same command collects it", async () => {
    writeFileSync(
      path.join(dir, 'answers.jsonl'),
      '{"word":"alpha","expected":"say alpha"}\n{"word":"beta","expected":"Say gamma"}\n',
    );
    const args = ['--cases', 'answers.jsonl', '--judge', NOVA, ...jobs];
    const started = count('CreateEvaluationJob');
    let stderr = '';
    const interrupted = await evaluate(args, {
      onStderr: (text) => (stderr = text),
      whileRunning: (interrupt) => /started for/.test(stderr) && interrupt(),
    });
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /2 answers wait for their grades\. The evaluation jobs keep running in Bedrock/);
    const resumed = await evaluate([...args, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(count('CreateEvaluationJob'), started + 1, 'the same job, collected');
    const json = JSON.parse(resumed.stdout) as Json;
    assert.deepEqual(
      json.samples.map((x) => `${x.caseId}: ${x.state}`),
      ['answers.jsonl#line 1: passed', 'answers.jsonl#line 2: failed'],
    );
  });

  it('needs a judge model, an S3 location and a role, before anything is sent', async () => {
    writeFileSync(path.join(dir, 'nojudge.prompt'), 'Say hi\n');
    writeFileSync(path.join(dir, 'nojudge.tests.yaml'), 'cases:\n  - name: a\n    assert:\n      - contains: hi\n');
    const before = emulator.requests.length;
    const noJudge = await promptLab(['eval', 'nojudge.prompt', '-m', NOVA, ...jobs], { cwd: dir, env: emulator.env() });
    assert.equal(noJudge.code, 2);
    assert.match(noJudge.stderr, /--judge-with eval-job needs a judge model: `judge:` in the tests file/);
    const noS3 = await evaluate(['--judge-with', 'eval-job']);
    assert.match(noS3.stderr, /--judge-with eval-job names no S3 location for the jobs: give --s3/);
    assert.equal(emulator.requests.length, before);
  });
});

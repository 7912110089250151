// `prompt-lab rows`: the real binary against the local server, reading what it writes (the results JSONL)
// and what it sends (the server's request log).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const ROWS = 12;

interface Line {
  row: number;
  input: Record<string, unknown>;
  modelId: string;
  output?: string;
  costUsd?: number;
  error?: { code: string; message: string };
}

const readLines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);

describe('prompt-lab rows (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const rows = (args: string[], whileRunning?: (kill: () => void) => void) =>
    promptLab(['rows', ...args], { cwd: dir, env: emulator.env(), whileRunning });
  const converseCalls = () => emulator.requests.filter((r) => r.operation === 'Converse').length;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-rows-'));
    writeFileSync(
      path.join(dir, 'echo.prompt'),
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\nconfig:\n  maxOutputTokens: 50\ninput:\n  schema:\n    question: string\n---\nAnswer: {{question}}\n',
    );
    writeFileSync(
      path.join(dir, 'questions.jsonl'),
      Array.from({ length: ROWS }, (_, i) => JSON.stringify({ question: `question ${i}` })).join('\n') + '\n',
    );
    writeFileSync(path.join(dir, 'wrong.csv'), 'query\nwhat is this\n');
  });
  after(async () => {
    await emulator.stop();
  });
  afterEach(() => emulator.faults.clear());

  it('answers every row into the results JSONL, in input order, with usage and cost', async () => {
    const before = converseCalls();
    const r = await rows(['echo.prompt', 'questions.jsonl', '-o', 'out.jsonl']);
    assert.equal(r.code, 0, r.stderr);
    const lines = readLines(path.join(dir, 'out.jsonl'));
    assert.deepEqual(
      lines.map((l) => l.row),
      [...Array(ROWS).keys()],
    );
    assert.match(lines[3].output ?? '', /You wrote: "Answer: question 3"/);
    assert.ok(lines.every((l) => l.modelId === 'anthropic.claude-3-haiku-20240307-v1:0' && (l.costUsd ?? 0) > 0));
    assert.equal(converseCalls() - before, ROWS);
    assert.match(r.stderr, new RegExp(`^${ROWS} rows → out\\.jsonl in [\\d.]+ s$`, 'm'));
    assert.equal(r.stdout, '');
  });

  it('the estimate before the run says whether its input tokens were counted (CountTokens) or guessed', async () => {
    const counted = await rows(['echo.prompt', 'questions.jsonl', '-o', 'counted.jsonl']);
    assert.equal(counted.code, 0, counted.stderr);
    assert.match(counted.stderr, /; estimated .* \(input tokens counted by CountTokens\)$/m);
    assert.equal(emulator.requests.filter((q) => q.operation === 'CountTokens').length > 0, true);
    emulator.addFault({ operation: 'CountTokens', fault: { kind: 'http', error: 'validation' }, times: 1 });
    const guessed = await rows(['echo.prompt', 'questions.jsonl', '-o', 'guessed.jsonl']);
    assert.equal(guessed.code, 0, guessed.stderr);
    assert.match(guessed.stderr, /; estimated .* \(input tokens guessed at 4 characters a token\)$/m);
  });

  it('resumes an interrupted run: rows answered before are not sent again', async () => {
    // Slow answers, one at a time, so the run is interrupted part way.
    emulator.addFault({ operation: 'Converse', fault: { kind: 'delay', ms: 150 } });
    const out = path.join(dir, 'resumed.jsonl');
    const partial = `${out}.partial`;
    const answered = () => (existsSync(partial) ? readLines(partial).length : 0);
    const first = await rows(
      ['echo.prompt', 'questions.jsonl', '-o', 'resumed.jsonl', '--concurrency', '1'],
      (kill) => {
        if (answered() >= 3) kill();
      },
    );
    assert.equal(first.code, 130, first.stderr);
    assert.equal(existsSync(out), false, 'no results file until every row is answered');
    const kept = answered();
    assert.ok(kept >= 3 && kept < ROWS, `kept ${kept}`);
    assert.match(
      first.stderr,
      /stopped after \d+ of 12 rows .*resumed\.jsonl\.partial; run the same command again to resume/,
    );
    emulator.faults.clear();
    const before = converseCalls();
    const second = await rows(['echo.prompt', 'questions.jsonl', '-o', 'resumed.jsonl']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resuming the interrupted run in resumed\.jsonl\.partial/);
    assert.match(second.stderr, new RegExp(`\\(${kept} resumed\\)`));
    assert.equal(converseCalls() - before, ROWS - kept, 'only the rows not answered before were sent');
    assert.deepEqual(
      readLines(out).map((l) => l.row),
      [...Array(ROWS).keys()],
    );
    assert.equal(existsSync(partial), false);
  });

  it('--restart sends every row again', async () => {
    emulator.addFault({ operation: 'Converse', fault: { kind: 'delay', ms: 150 } });
    const partial = path.join(dir, 'again.jsonl.partial');
    const first = await rows(['echo.prompt', 'questions.jsonl', '-o', 'again.jsonl', '--concurrency', '1'], (kill) => {
      if (existsSync(partial) && statSync(partial).size > 0) kill();
    });
    assert.equal(first.code, 130, first.stderr);
    emulator.faults.clear();
    const before = converseCalls();
    const second = await rows(['echo.prompt', 'questions.jsonl', '-o', 'again.jsonl', '--restart']);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /resum/);
    assert.equal(converseCalls() - before, ROWS);
  });

  it('exits 3 on denied access and keeps what was answered; 1 when rows failed; 1 over --max-cost; 2 for unusable rows', async () => {
    emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'accessDenied' } });
    const denied = await rows(['echo.prompt', 'questions.jsonl', '-o', 'denied.jsonl']);
    assert.equal(denied.code, 3, denied.stderr);
    assert.match(denied.stderr, /^prompt-lab: .*denied.*run the same command again to resume\.$/im);
    emulator.faults.clear();

    emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'validation' }, times: 2 });
    const failed = await rows(['echo.prompt', 'questions.jsonl', '-o', 'failed.jsonl', '--concurrency', '1']);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /^prompt-lab: 2 of 12 rows failed: their "error" says why\.$/m);
    assert.equal(readLines(path.join(dir, 'failed.jsonl')).filter((l) => l.error).length, 2);

    const before = converseCalls();
    const costly = await rows(['echo.prompt', 'questions.jsonl', '-o', 'costly.jsonl', '--max-cost', '0.0000001']);
    assert.equal(costly.code, 1, costly.stderr);
    assert.match(
      costly.stderr,
      /gate failed: 12 rows on anthropic\.claude-3-haiku-20240307-v1:0 are estimated at .* over --max-cost .*Nothing was sent\./,
    );
    assert.equal(converseCalls(), before);

    const wrong = await rows(['echo.prompt', 'wrong.csv']);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(
      wrong.stderr,
      /No row of wrong\.csv has "question", which the prompt uses without a default\. The rows have: query\./,
    );
    const missing = await rows(['echo.prompt', 'nothing.jsonl']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /Could not read the rows in nothing\.jsonl/);
  });
});

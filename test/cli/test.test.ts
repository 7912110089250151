// `prompt-lab test`: the real binary against the local server; each reporter read by a real parser (JUnit
// XML parsed, JSON validated against docs/test-result.schema.json, GitHub's workflow-command syntax).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { REPO_ROOT } from '../host/codeServer';
import { promptLab } from './promptLab';

const SCHEMA = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'test-result.schema.json'), 'utf8')) as object;

/** A prompt the local server answers with "… You wrote: "Say <word>"": contains-checks are predictable. */
function writeEchoPrompt(dir: string): void {
  writeFileSync(
    path.join(dir, 'echo.prompt'),
    `---\nmodel: amazon.nova-micro-v1:0\ninput:\n  schema:\n    word: string\n---\nSay {{word}}\n`,
  );
}

interface Result {
  summary: { total: number; passed: number; failed: number; errored: number; passRate: number; costUsd: number };
  cases: { id: string; name: string; state: string; line: number; failures: { line: number; expected?: string }[] }[];
}

describe('prompt-lab test (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const test = (...args: string[]) => promptLab(['test', ...args], { cwd: dir, env: emulator.env() });
  const json = async (...args: string[]) => {
    const r = await test(...args, '--reporter', 'json');
    return { ...r, result: JSON.parse(r.stdout) as Result };
  };

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-test-'));
    writeEchoPrompt(dir);
    const cases = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']
      .map((w) => `  - name: says ${w}\n    input:\n      word: ${w}\n    assert:\n      - contains: Say ${w}\n`)
      .join('');
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      `cases:\n${cases}  - name: a failing case\n    input:\n      word: omega\n    assert:\n      - contains: "not in the answer, <&> \\"quoted\\""\n`,
    );
  });
  after(async () => emulator.stop());

  it('pretty: a line per case, the summary, and exit 1 when a case fails', async () => {
    const r = await test();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^✔ echo\.tests\.yaml › says alpha \(\d+ ms\)$/m);
    assert.match(
      r.stdout,
      /^✘ echo\.tests\.yaml › a failing case \(\d+ ms\)\n {4}Expected the answer to contain "not in the answer, <&> "quoted""\.$/m,
    );
    assert.match(r.stdout, /^8 passed, 1 failed, 0 errored · pass rate 88\.9% · ~\$[\d.]+ · [\d.]+ s$/m);
  });

  it('json: valid against the published schema, with the failing assertion, its line and what was expected', async () => {
    const { code, result } = await json();
    assert.equal(code, 1);
    const validate = new Ajv({ strict: false }).compile(SCHEMA);
    assert.ok(validate(result), JSON.stringify(validate.errors));
    assert.equal(result.summary.total, 9);
    assert.equal(result.summary.passed, 8);
    assert.ok(result.summary.costUsd > 0);
    const failing = result.cases.find((c) => c.state === 'failed')!;
    assert.equal(failing.name, 'a failing case');
    assert.equal(failing.line, 42);
    assert.deepEqual(
      failing.failures.map((f) => [f.line, f.expected]),
      [[46, 'not in the answer, <&> "quoted"']],
    );
  });

  it('junit: parsed XML with a suite per tests file, a failure with its message, and the report file written', async () => {
    const file = path.join(dir, 'report.xml');
    const r = await test('--reporter', 'junit', '--output', file, '--reporter', 'github');
    assert.equal(r.code, 1);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(file, 'utf8'),
    ) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: { name: string; testcase: { name: string; failure?: { message: string } }[] };
      };
    };
    assert.equal(xml.testsuites.tests, '9');
    assert.equal(xml.testsuites.failures, '1');
    assert.equal(xml.testsuites.testsuite.name, 'echo.tests.yaml');
    const failed = xml.testsuites.testsuite.testcase.filter((c) => c.failure);
    assert.deepEqual(
      failed.map((c) => [c.name, c.failure!.message]),
      [['a failing case', 'Expected the answer to contain "not in the answer, <&> "quoted"".']],
    );
    // github: one error annotation at the failing assertion's line, data and properties escaped; a summary notice.
    const annotations = r.stdout.trim().split('\n');
    assert.deepEqual(annotations.slice(0, -1), [
      '::error file=echo.tests.yaml,line=46,title=a failing case::Expected the answer to contain "not in the answer, <&> "quoted"".',
    ]);
    assert.match(
      annotations.at(-1)!,
      /^::notice title=prompt-lab::8 passed, 1 failed, 0 errored · pass rate 88\.9%25 · /,
    );
  });

  it('shards partition the cases exactly, and --grep selects by id', async () => {
    const ids = (r: { result: Result }) => r.result.cases.map((c) => c.id);
    const shards = await Promise.all([1, 2, 3].map((i) => json('--shard', `${i}/3`)));
    const all = shards.flatMap(ids).sort();
    const whole = ids(await json()).sort();
    assert.deepEqual(all, whole);
    assert.equal(new Set(all).size, all.length, 'no case runs twice');
    assert.ok(
      shards.every((s) => s.result.cases.length < 9),
      'each shard runs a share',
    );
    const grep = await json('--grep', 'SAYS ALPHA');
    assert.deepEqual(ids(grep), ['echo.tests.yaml#says alpha']);
    assert.equal(grep.code, 0);
  });

  it('--repeat runs each case n times: how often it passed and its latency spread; passing only sometimes fails', async () => {
    const steady = await json('--grep', 'says alpha', '--repeat', '3');
    assert.equal(steady.code, 0, steady.stderr);
    const validate = new Ajv({ strict: false }).compile(SCHEMA);
    assert.ok(validate(steady.result), JSON.stringify(validate.errors));
    const [alpha] = steady.result.cases as (Result['cases'][number] & { repeat: { runs: number; passed: number } })[];
    assert.deepEqual([alpha.state, alpha.repeat.runs, alpha.repeat.passed], ['passed', 3, 3]);
    emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'modelError' }, times: 1 });
    const flaky = await test('--grep', 'says beta', '--repeat', '3');
    assert.equal(flaky.code, 1, flaky.stdout + flaky.stderr);
    assert.match(flaky.stdout, /^✘ echo\.tests\.yaml › says beta \(2\/3 passed, \d+ ± \d+ ms\)$/m);
  });

  it('gates: --min-pass-rate passes over the rate and fails under it; --max-cost fails over budget', async () => {
    assert.equal((await test('--min-pass-rate', '80%')).code, 0);
    const under = await test('--min-pass-rate', '0.95');
    assert.equal(under.code, 1);
    assert.match(under.stderr, /^prompt-lab: gate failed: pass rate 88\.9% is under --min-pass-rate 95\.0%\.$/m);
    const costly = await test('--min-pass-rate', '0', '--max-cost', '0.0000001');
    assert.equal(costly.code, 1);
    assert.match(costly.stderr, /gate failed: cost ~\$[\d.]+ is over --max-cost/);
  });

  it('Ctrl+C stops the run: finished cases are reported, the rest skipped, the report file written, exit 130', async () => {
    emulator.addFault({ operation: 'Converse', fault: { kind: 'delay', ms: 150 }, times: 20 });
    const file = path.join(dir, 'interrupted.json');
    let stderrSoFar = '';
    const r = await promptLab(['test', '--concurrency', '1', '--reporter', 'json', '--output', file], {
      cwd: dir,
      env: emulator.env(),
      // Once two cases have finished (the piped progress prints at every tenth of the nine).
      whileRunning: (interrupt) => {
        if (/^2\/9 cases/m.test(stderrSoFar)) interrupt();
      },
      onStderr: (text) => (stderrSoFar = text),
    });
    emulator.clearFaults();
    assert.equal(r.code, 130, r.stderr);
    const result = JSON.parse(readFileSync(file, 'utf8')) as Result & { summary: { skipped: number } };
    const states = result.cases.map((c) => c.state);
    assert.equal(states.length, 9);
    assert.ok(states.filter((s) => s === 'passed').length >= 2, states.join(' '));
    assert.ok(result.summary.skipped >= 5, states.join(' '));
    assert.equal(states.indexOf('skipped'), states.lastIndexOf('passed') + 1, `finished first: ${states.join(' ')}`);
    assert.match(r.stderr, /\d+ skipped · pass rate/);
  });

  it('on a terminal, progress is one line rewritten in place and cleared before each case and the summary', async () => {
    const r = await promptLab(['test', '--concurrency', '1'], {
      cwd: dir,
      env: { ...emulator.env(), NO_COLOR: '1' },
      terminal: true,
    });
    assert.equal(r.code, 1, r.stdout);
    const screen = r.stdout.replace(/\r\n/g, '\n');
    // The line is redrawn in place (carriage return, erase) with the count and the cost so far…
    assert.match(screen, /\r\x1b\[K1\/9 cases · ~\$[\d.]+ · ~\d+ s left/);
    assert.match(screen, /\r\x1b\[K9\/9 cases · ~\$[\d.]+(?!.* left)/);
    // …never as lines of its own, and it is erased before the summary.
    assert.doesNotMatch(screen, /^\d\/9 cases/m);
    assert.match(screen, /\r\x1b\[K8 passed, 1 failed, 0 errored · pass rate 88\.9%/);
  });

  it('exits 3 when access is denied, 4 when the service fails, 2 for bad flags and tests files', async () => {
    emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'accessDenied' }, times: 1 });
    const denied = await test('--grep', 'alpha');
    assert.equal(denied.code, 3, denied.stdout + denied.stderr);
    assert.match(denied.stdout, /^! echo\.tests\.yaml › says alpha$/m);
    emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'modelError' }, times: 1 });
    const broken = await test('--grep', 'beta');
    assert.equal(broken.code, 4, broken.stdout + broken.stderr);
    const shard = await test('--shard', '4/3');
    assert.equal(shard.code, 2);
    assert.match(shard.stderr, /--shard 4\/3: write it as i\/N with 1 ≤ i ≤ N/);
    const outputs = await test('--output', 'a.xml');
    assert.equal(outputs.code, 2);
    assert.match(outputs.stderr, /Each --output names the file of the --reporter before it/);
    writeFileSync(path.join(dir, 'bad.tests.yaml'), 'cases:\n  - name: no prompt beside me\n    input: {}\n');
    const orphan = await test('bad.tests.yaml');
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /bad\.tests\.yaml: its prompt bad\.prompt does not exist or cannot be read\./);
  });
});

describe('prompt-lab test: answers on disk (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const conversesSent = () => emulator.requests.filter((r) => r.operation === 'Converse').length;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cache-'));
    writeEchoPrompt(dir);
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      ['one', 'two', 'three']
        .map((w) => `  - name: says ${w}\n    input:\n      word: ${w}\n    assert:\n      - contains: Say ${w}\n`)
        .join('')
        .replace(/^/, 'cases:\n'),
    );
  });
  after(async () => emulator.stop());

  it('--cache rw answers a repeated request from disk and sends nothing; --cache ro never writes', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = await promptLab(['test', '--cache', 'rw', '--cache-dir', cacheDir], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /answers on disk \(.*cache\): 0 used, 3 missing, 3 written/);
    const sent = conversesSent();
    const second = await promptLab(['test', '--cache', 'rw', '--cache-dir', cacheDir], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /3 used, 0 missing, 0 written/);
    assert.equal(conversesSent(), sent, 'a cache hit sends no request');
    const other = await promptLab(['test', '--cache', 'ro', '--cache-dir', path.join(dir, 'empty')], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /0 used, 3 missing, 0 written/);
  });

  it('--record keeps fixtures; --replay answers from them with no server and no credentials, and a miss exits 2', async () => {
    const fixtures = path.join(dir, 'fixtures');
    const recorded = await promptLab(['test', '--record', fixtures, '--reporter', 'json'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(recorded.code, 0, recorded.stderr);
    const offline = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }; // nothing listens there; no keys, no Region
    const replayed = await promptLab(['test', '--replay', fixtures, '--reporter', 'json'], { cwd: dir, env: offline });
    assert.equal(replayed.code, 0, replayed.stderr);
    const answers = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { cases: { answer?: string }[] }).cases.map((c) => c.answer);
    assert.deepEqual(answers(replayed), answers(recorded));
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      'cases:\n  - name: a new case\n    input:\n      word: four\n    assert:\n      - contains: four\n',
    );
    const miss = await promptLab(['test', '--replay', fixtures], { cwd: dir, env: offline });
    assert.equal(miss.code, 2, miss.stdout + miss.stderr);
    assert.match(
      miss.stdout,
      /No recorded answer for this amazon\.nova-micro-v1:0 request in .*fixtures: record it first/,
    );
  });
});

describe('prompt-lab test: baselines (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const tests = (failing: string[]) =>
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      `cases:\n${['one', 'two', 'three', 'four']
        .map(
          (w) =>
            `  - name: says ${w}\n    input:\n      word: ${w}\n    assert:\n      - contains: ${failing.includes(w) ? 'not there' : `Say ${w}`}\n`,
        )
        .join('')}`,
    );

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-baseline-'));
    writeEchoPrompt(dir);
  });
  after(async () => emulator.stop());

  it('saves a result as the baseline, and fails a run whose cases newly fail, naming them in the job summary', async () => {
    tests(['four']);
    const run = (...args: string[]) =>
      promptLab(['test', '--min-pass-rate', '0', ...args], {
        cwd: dir,
        env: { ...emulator.env(), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') },
      });
    assert.equal((await run('--reporter', 'json', '-o', 'result.json')).code, 0);
    const saved = await promptLab(['baseline', 'save', 'result.json'], { cwd: dir });
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stderr, /^baseline: 4 cases, pass rate 75\.0%, kept in \.prompt-lab\/baseline\.json$/m);

    tests(['two']); // "two" breaks, "four" is fixed: the same pass rate
    const same = await run('--baseline', '.prompt-lab/baseline.json');
    assert.equal(same.code, 1, same.stderr);
    assert.match(
      same.stderr,
      /gate failed: 1 case passed in the baseline and fail now \(first: echo\.tests\.yaml#says two\)/,
    );
    const summary = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    assert.match(summary, /Pass rate 75\.0% → 75\.0% \(\+0\.0 points\)/);
    assert.match(summary, /\*\*Newly failing\*\*\n- echo\.tests\.yaml#says two/);
    assert.match(summary, /\*\*Newly passing\*\*\n- echo\.tests\.yaml#says four/);
    // Allowed: a drop within --max-regression.
    tests(['two', 'three']);
    assert.equal((await run('--baseline', '.prompt-lab/baseline.json', '--max-regression', '30%')).code, 0);
    const over = await run('--baseline', '.prompt-lab/baseline.json', '--max-regression', '0.2');
    assert.equal(over.code, 1);
    assert.match(over.stderr, /the pass rate fell from 75\.0% to 50\.0%, more than --max-regression 20\.0%/);
    // Some of the cases (--grep: "two" and "three"): compared over those, so the baseline's failing "four"
    // is no change at all.
    tests(['four']);
    const some = await run('--baseline', '.prompt-lab/baseline.json', '--grep', 'says t');
    assert.equal(some.code, 0, some.stderr);
    assert.match(some.stderr, /Pass rate 100\.0% → 100\.0% \(\+0\.0 points\)/);
  });

  it('refuses a baseline that is not a test result, and --max-regression without a baseline (exit 2)', async () => {
    writeFileSync(path.join(dir, 'not-a-result.json'), '{"hello": 1}');
    const bad = await promptLab(['test', '--baseline', 'not-a-result.json'], { cwd: dir, env: emulator.env() });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /--baseline not-a-result\.json is not a prompt-lab test result \(version 1\): must have required property 'version'\. Give a result of `prompt-lab test --reporter json`\./,
    );
    const alone = await promptLab(['test', '--max-regression', '5%'], { cwd: dir, env: emulator.env() });
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--max-regression compares with a --baseline/);
  });
});

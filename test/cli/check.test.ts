// `prompt-lab check`: the editor's diagnostics from the real binary, as text, JSON and SARIF.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promptLab } from './promptLab';

describe('prompt-lab check (the real binary)', () => {
  let dir: string;
  const check = (...args: string[]) => promptLab(['check', ...args], { cwd: dir });

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-check-'));
    mkdirSync(path.join(dir, 'prompts', 'deep'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(path.join(dir, '.hidden'));
    const model = 'model: anthropic.claude-3-haiku-20240307-v1:0';
    // An error: a temperature Bedrock does not accept.
    writeFileSync(path.join(dir, 'prompts', 'hot.prompt'), `---\n${model}\nconfig:\n  temperature: 3\n---\nHi\n`);
    // A warning: a misspelt config key.
    writeFileSync(
      path.join(dir, 'prompts', 'deep', 'typo.prompt'),
      `---\n${model}\nconfig:\n  temprature: 0.5\n---\nHi\n`,
    );
    writeFileSync(path.join(dir, 'prompts', 'clean.prompt'), `---\n${model}\n---\nHi\n`);
    // Not looked at: dependencies and dot-folders.
    writeFileSync(path.join(dir, 'node_modules', 'pkg', 'x.prompt'), `---\nconfig:\n  temperature: 9\n---\n`);
    writeFileSync(path.join(dir, '.hidden', 'x.prompt'), `---\nconfig:\n  temperature: 9\n---\n`);
  });

  it('text: one `path:line:col: severity: message [code]` per problem, a summary, exit 2 on an error', async () => {
    const r = await check();
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(
      lines[0],
      /^prompts\/deep\/typo\.prompt:4:3: warning: Unknown config key `temprature`\. Did you mean `temperature`\?.* \[unknown-key\]$/,
    );
    assert.match(lines[1], /^prompts\/hot\.prompt:4:\d+: error: .*temperature.* \[[a-z-]+\]$/);
    assert.equal(r.stderr, '3 files: 1 error, 1 warning\n');
  });

  it('exits 0 when only warnings remain, and checks the files and folders given', async () => {
    const r = await check('prompts/clean.prompt', 'prompts/deep');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^prompts\/deep\/typo\.prompt:4:3: warning: /);
    assert.equal(r.stderr, '2 files: 0 errors, 1 warning\n');
  });

  it('json: a versioned result, lines and columns from 1, every file listed', async () => {
    const r = await check('--format', 'json');
    assert.equal(r.code, 2);
    const result = JSON.parse(r.stdout) as {
      version: number;
      files: { path: string; problems: { severity: string; code: string; line: number; column: number }[] }[];
    };
    assert.equal(result.version, 1);
    assert.deepEqual(
      result.files.map((f) => [f.path, f.problems.map((p) => `${p.severity}@${p.line}:${p.column}`)]),
      [
        ['prompts/clean.prompt', []],
        ['prompts/deep/typo.prompt', ['warning@4:3']],
        ['prompts/hot.prompt', [`error@4:${result.files[2].problems[0].column}`]],
      ],
    );
  });

  it('sarif: 2.1.0 results with rule ids, levels and regions that code scanning reads', async () => {
    const r = await check('--format', 'sarif');
    assert.equal(r.code, 2);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'prompt-lab');
    assert.equal(run.results.length, 2);
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepEqual(
      run.results.map((x) => [
        x.level,
        x.locations[0].physicalLocation.artifactLocation.uri,
        x.locations[0].physicalLocation.region.startLine,
      ]),
      [
        ['warning', 'prompts/deep/typo.prompt', 4],
        ['error', 'prompts/hot.prompt', 4],
      ],
    );
  });

  it('checks tests files too: their shape by the published schema, and the prompt beside them', async () => {
    const tests = path.join(dir, 'tests');
    mkdirSync(tests);
    writeFileSync(path.join(tests, 'hello.prompt'), '---\nmodel: amazon.nova-micro-v1:0\n---\nHi\n');
    writeFileSync(path.join(tests, 'hello.tests.yaml'), 'cases:\n  - name: a\n    assert:\n      - contain: hi\n');
    writeFileSync(path.join(tests, 'orphan.tests.yaml'), 'cases:\n  - name: a\n    assert: [{ contains: hi }]\n');
    const r = await check('tests');
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'tests/hello.tests.yaml:4:1: error: Unknown assertion `contain`: did you mean `contains`? Known: contains, notContains, regex, equals, json, schema, maxLatencyMs, maxCostUsd, maxOutputTokens, guardrail, retrieved, cites, calls, rubric, reference. [tests-file]',
      'tests/orphan.tests.yaml:1:1: error: Its prompt orphan.prompt is not beside it: tests run the prompt of the same name. [tests-without-prompt]',
    ]);
    assert.equal(r.stderr, '3 files: 2 errors, 0 warnings\n');
  });

  it('exits 2 for a path that does not exist and for an unknown format', async () => {
    const missing = await check('nowhere');
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^prompt-lab: nowhere does not exist: give \.prompt and \.tests\.yaml files or folders that hold them\.$/m,
    );
    const format = await check('--format', 'xml');
    assert.equal(format.code, 2);
    assert.match(format.stderr, /argument 'xml' is invalid\. Allowed choices are text, json, sarif/);
  });
});

// `prompt-lab mcp`: the real binary as an MCP server on stdio, driven by the official MCP client (the SDK's
// Client over StdioClientTransport), against the local Bedrock server. A client that works at all shows
// that nothing but the protocol reaches stdout.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import Ajv from 'ajv';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { REPO_ROOT } from '../host/codeServer';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const SCHEMA = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'test-result.schema.json'), 'utf8')) as object;

interface ToolAnswer {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

describe('prompt-lab mcp (the real binary, the official MCP client, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as ToolAnswer;
  const text = (a: ToolAnswer) => a.content.map((c) => c.text ?? '').join('');

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-mcp-'));
    writeFileSync(
      path.join(dir, 'echo.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\nconfig:\n  maxOutputTokens: 100\ninput:\n  schema:\n    word: string\n    times: integer\n---\nSay {{word}} {{times}} times\n',
    );
    writeFileSync(
      path.join(dir, 'echo.tests.yaml'),
      'cases:\n  - name: says hi\n    input:\n      word: hi\n      times: 2\n    assert:\n      - contains: Say hi 2 times\n  - name: wrong\n    input:\n      word: yo\n      times: 1\n    assert:\n      - contains: never\n',
    );
    mkdirSync(path.join(dir, 'bad'));
    writeFileSync(
      path.join(dir, 'bad', 'broken.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\nconfig:\n  temperature: hot\n---\nHi\n',
    );
    client = new Client({ name: 'prompt-lab-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp'],
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, ...emulator.env() },
        stderr: 'pipe',
      }),
    );
  });
  after(async () => {
    await client?.close();
    await emulator.stop();
  });

  it('offers run, test, check and estimate, each with an input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'check_prompts',
      'estimate_prompt',
      'run_prompt',
      'test_prompts',
    ]);
    const run = tools.find((t) => t.name === 'run_prompt')!;
    assert.deepEqual(run.inputSchema.required, ['file']);
    assert.ok(run.inputSchema.properties && 'inputs' in run.inputSchema.properties);
  });

  it('run_prompt answers with the text, the metrics line and a structured result; typed inputs are checked', async () => {
    const before = emulator.requests.length;
    const answer = await call('run_prompt', { file: 'echo.prompt', inputs: { word: 'hello', times: 3 } });
    assert.equal(answer.isError, undefined, text(answer));
    assert.match(text(answer), /You wrote: "Say hello 3 times"/);
    assert.match(text(answer), /^bedrock: amazon\.nova-micro-v1:0 · .* · stop: end_turn$/m);
    const result = answer.structuredContent!;
    assert.equal(result.status, 'complete');
    assert.equal(result.modelId, 'amazon.nova-micro-v1:0');
    assert.ok((result.usage as { outputTokens: number }).outputTokens > 0);
    assert.ok(emulator.requests.length > before);
    const mistyped = await call('run_prompt', { file: 'echo.prompt', inputs: { word: 'hello', times: 'three' } });
    assert.equal(mistyped.isError, true);
    assert.match(text(mistyped), /times/);
    const missing = await call('run_prompt', { file: 'echo.prompt', inputs: { word: 'hello' } });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /No value for \{\{times\}\}/);
  });

  it('test_prompts returns the versioned test result (valid against the published schema)', async () => {
    const answer = await call('test_prompts', { paths: ['echo.tests.yaml'] });
    assert.equal(answer.isError, undefined, text(answer));
    const ajv = new Ajv({ allErrors: true, strict: false });
    assert.ok(ajv.validate(SCHEMA, answer.structuredContent), ajv.errorsText());
    const result = answer.structuredContent as { summary: { passed: number; failed: number } };
    assert.deepEqual([result.summary.passed, result.summary.failed], [1, 1]);
    assert.match(text(answer), /✘ echo\.tests\.yaml › wrong/);
    assert.match(text(answer), /1 passed, 1 failed, 0 errored/);
  });

  it('check_prompts lists the problems; estimate_prompt prices a run without generating', async () => {
    const checked = await call('check_prompts', { paths: ['bad'] });
    assert.match(text(checked), /^bad\/broken\.prompt:4:\d+: error: .*temperature/m);
    const files = (checked.structuredContent as { files: { path: string; problems: unknown[] }[] }).files;
    assert.equal(files[0].path, 'bad/broken.prompt');
    const converse = emulator.requests.filter((r) => r.operation === 'Converse').length;
    const estimate = await call('estimate_prompt', {
      file: 'echo.prompt',
      inputs: { word: 'a', times: 1 },
      offline: true,
    });
    assert.equal(estimate.isError, undefined, text(estimate));
    assert.equal(estimate.structuredContent?.exact, false);
    assert.equal(estimate.structuredContent?.maxOutputTokens, 100);
    assert.equal(emulator.requests.filter((r) => r.operation === 'Converse').length, converse);
  });

  it('refuses paths outside the folder it serves, with the fix', async () => {
    const outside = await call('run_prompt', { file: '../elsewhere.prompt' });
    assert.equal(outside.isError, true);
    assert.match(
      text(outside),
      /\.\.\/elsewhere\.prompt is outside .*: the tools read only the folder the server runs in\./,
    );
    const checked = await call('check_prompts', { paths: [os.tmpdir()] });
    assert.equal(checked.isError, true);
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-mcp-outside-'));
    writeFileSync(path.join(elsewhere, 'secret.prompt'), '---\nmodel: amazon.nova-micro-v1:0\n---\nnot for agents\n');
    symlinkSync(path.join(elsewhere, 'secret.prompt'), path.join(dir, 'linked.prompt'));
    const linked = await call('run_prompt', { file: 'linked.prompt' });
    assert.equal(linked.isError, true);
    assert.match(text(linked), /linked\.prompt is outside/);
  });
});

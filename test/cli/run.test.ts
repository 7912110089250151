// The prompt-lab binary (dist/cli.js, as `npm ci && npm run build` leaves it) run as a child process
// against the local Bedrock server, with the real SDK clients inside it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const FRONT = '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\n';

describe('prompt-lab run (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const run = (args: string[], onStdout?: (text: string, kill: () => void) => void) =>
    promptLab(args, { cwd: dir, env: emulator.env(), onStdout });

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-'));
    writeFileSync(path.join(dir, 'words.prompt'), `${FRONT}---\n[[tokens=12]]\n`);
    writeFileSync(
      path.join(dir, 'greet.prompt'),
      `${FRONT}input:\n  schema:\n    name: string\n    times: integer\n---\nSay hello to {{name}}, {{times}} times.\n`,
    );
    writeFileSync(
      path.join(dir, 'json.prompt'),
      `---\nmodel: amazon.nova-micro-v1:0\noutput:\n  format: json\n  schema:\n    answer: string\n---\nAnswer.\n`,
    );
    writeFileSync(path.join(dir, 'broken.prompt'), `${FRONT}config:\n  temperature: [\n---\nHi\n`);
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(os.tmpdir(), 'bpl-cli-secret.txt'), 'not for Bedrock');
    symlinkSync(path.join(os.tmpdir(), 'bpl-cli-secret.txt'), path.join(dir, 'sub', 'leak.png'));
    writeFileSync(path.join(dir, 'sub', 'media.prompt'), `${FRONT}---\n{{media url="leak.png"}} What is this?\n`);
    writeFileSync(path.join(dir, 'long.prompt'), `${FRONT}---\n[[tokens=400]]\n`);
  });
  after(async () => {
    await emulator.stop();
  });

  it('streams the answer to stdout, the metrics line to stderr, and exits 0', async () => {
    const r = await run(['run', 'words.prompt']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'the quick brown fox jumps over a lazy dog while bedrock streams\n');
    assert.match(
      r.stderr,
      /^bedrock: anthropic\.claude-3-haiku-20240307-v1:0 · first token \d+ ms · total [\d.]+ s · \d+ in \/ 12 out tokens · ~\$[\d.]+ · stop: end_turn$/m,
    );
  });

  it('--json prints one result object, with the output-schema check', async () => {
    const r = await run(['run', 'json.prompt', '--json', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(result.status, 'complete');
    assert.equal(result.modelId, 'amazon.nova-micro-v1:0');
    assert.deepEqual(Object.keys(JSON.parse(result.text as string) as object), ['answer']);
    assert.equal(result.schemaProblem, undefined);
    assert.equal(r.stderr, '');
  });

  it('reads --input values by their declared type, and names the flag for a missing or mistyped one', async () => {
    const ok = await run(['run', 'greet.prompt', '--input', 'name=Ada', '--input', 'times=2']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /You wrote: "Say hello to Ada, 2 times\."/);
    const missing = await run(['run', 'greet.prompt', '--input', 'name=Ada']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^prompt-lab: No value for \{\{times\}\}: pass --input times=… \(or --inputs values\.json\)\.$/m,
    );
    const mistyped = await run(['run', 'greet.prompt', '--input', 'name=Ada', '--input', 'times=two']);
    assert.equal(mistyped.code, 2);
    assert.match(mistyped.stderr, /--input times: The value must be a whole number/);
  });

  it('exits 2 for a prompt with errors, a missing file, a bad flag, and media outside the folder', async () => {
    const broken = await run(['run', 'broken.prompt']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^prompt-lab: Fix the prompt first: line \d+: /m);
    const missing = await run(['run', 'nope.prompt']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.prompt does not exist: give the path of a \.prompt file\./);
    const flag = await run(['run', 'words.prompt', '--no-such-flag']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--no-such-flag'/);
    const leak = await run(['run', 'sub/media.prompt']);
    assert.equal(leak.code, 2, leak.stderr);
    assert.doesNotMatch(leak.stdout, /not for Bedrock/);
    assert.match(leak.stderr, /is outside the (workspace folder|root)/);
  });

  it('exits 3 when access is denied, and 4 when the service fails', async () => {
    emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'http', error: 'accessDenied' }, times: 1 });
    const denied = await run(['run', 'words.prompt']);
    assert.equal(denied.code, 3, denied.stderr);
    assert.match(denied.stderr, /^prompt-lab: .+/m);
    emulator.addFault({
      operation: 'ConverseStream',
      fault: { kind: 'streamException', exception: 'modelStreamErrorException', afterTokens: 3 },
      times: 1,
    });
    const broke = await run(['run', 'words.prompt']);
    assert.equal(broke.code, 4, broke.stderr);
    assert.equal(broke.stdout, 'the quick brown\n', 'what arrived is kept');
    const refused = await promptLab(['run', 'words.prompt', '--endpoint', 'http://127.0.0.1:9'], {
      cwd: dir,
      env: { ...emulator.env(), AWS_ENDPOINT_URL: '' },
    });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(
      refused.stderr,
      /^prompt-lab: Nothing answers at the Bedrock endpoint .*Check --endpoint and the AWS_ENDPOINT_URL\* variables/m,
    );
    assert.doesNotMatch(refused.stderr, /bedrockPromptLab\./);
  });

  it('--first-byte-timeout gives up on a stream that does not start, and the message names the flags', async () => {
    emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'delay', ms: 4000 }, times: 1 });
    const slow = await run(['--first-byte-timeout', '1', 'run', 'words.prompt']);
    assert.equal(slow.code, 4, slow.stderr);
    assert.match(slow.stderr, /raise --first-byte-timeout \(streaming\) or --request-timeout\.$/m);
    assert.doesNotMatch(slow.stderr, /bedrockPromptLab\./);
    const bad = await run(['--request-timeout', 'soon', 'run', 'words.prompt']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--request-timeout.*Give a number of seconds greater than 0\./);
  });

  it('bedrock.effort and a strict tool reach the service as outputConfig.effort and toolSpec.strict', async () => {
    writeFileSync(
      path.join(dir, 'effort.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\nbedrock.effort: medium\ntools: [lookup]\ntoolDefs:\n  - name: lookup\n    description: Looks up.\n    strict: true\n    inputSchema:\n      word: string\n---\nLook up tea.\n',
    );
    const r = await run(['run', 'effort.prompt']);
    assert.equal(r.code, 0, r.stderr);
    const sent = emulator.requests.filter((q) => q.operation === 'ConverseStream').at(-1)?.body as {
      outputConfig?: { effort?: string };
      toolConfig?: { tools?: { toolSpec?: { strict?: boolean } }[] };
    };
    assert.equal(sent.outputConfig?.effort, 'medium');
    assert.equal(sent.toolConfig?.tools?.[0].toolSpec?.strict, true);
  });

  it("the service's rarer endings are said in plain words on the metrics line", async () => {
    for (const [stopReason, words] of [
      ['model_context_window_exceeded', /filled the model's context window: shorten the prompt or the history/],
      ['malformed_model_output', /could not return well formed \(often structured output\): run again/],
      ['malformed_tool_use', /a tool call that does not fit the tool's inputSchema/],
    ] as const) {
      emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'stopReason', stopReason }, times: 1 });
      const r = await run(['run', 'words.prompt']);
      assert.match(r.stderr, new RegExp(`stop: ${stopReason} \\(`), r.stderr);
      assert.match(r.stderr, words);
    }
    // The usual endings say nothing more.
    assert.match((await run(['run', 'words.prompt'])).stderr, /stop: end_turn$/m);
  });

  it('Ctrl+C stops the stream, keeps what arrived, and exits 130', async () => {
    emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'pace', tokenDelayMs: 20 }, times: 1 });
    let sent = false;
    const r = await run(['run', 'long.prompt'], (text, kill) => {
      if (!sent && text.length > 20) {
        sent = true;
        kill();
      }
    });
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.stdout.length > 20 && r.stdout.length < 2000, `stdout: ${r.stdout.length} chars`);
    assert.ok(
      'the quick brown fox jumps over a lazy dog while bedrock streams'.startsWith(r.stdout.trim().slice(0, 30)),
    );
  });
});

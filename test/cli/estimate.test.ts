// `prompt-lab estimate`: tokens and cost before a run, from the real binary against the local server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { REPO_ROOT } from '../host/codeServer';
import type { PromptEstimate } from '../../src/app/estimatePrompt';
import { promptLab } from './promptLab';

const prices = JSON.parse(readFileSync(path.join(REPO_ROOT, 'pricing', 'bedrock-on-demand.json'), 'utf8')) as {
  models: Record<string, { input: number; output: number }>;
};

describe('prompt-lab estimate (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const estimate = async (...args: string[]) => {
    const r = await promptLab(['estimate', ...args], { cwd: dir, env: emulator.env() });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as PromptEstimate;
  };

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-estimate-'));
    writeFileSync(
      path.join(dir, 'ask.prompt'),
      `---\nmodel: amazon.nova-micro-v1:0\nconfig:\n  maxOutputTokens: 500\ninput:\n  schema:\n    topic: string\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nExplain {{topic}} in one paragraph, with an example a new engineer would remember.\n`,
    );
  });
  after(async () => emulator.stop());

  it('counts the input with CountTokens and prices it, up to the longest answer', async () => {
    const e = await estimate('ask.prompt', '--input', 'topic=idempotency', '--json');
    assert.equal(e.modelId, 'amazon.nova-micro-v1:0');
    assert.equal(e.exact, true);
    assert.ok(e.inputTokens > 10, `${e.inputTokens} tokens`);
    assert.equal(e.maxOutputTokens, 500);
    const price = prices.models['amazon.nova-micro-v1:0'];
    assert.ok(Math.abs(e.inputUsd! - (e.inputTokens / 1000) * price.input) < 1e-12);
    assert.ok(Math.abs(e.maxUsd! - e.inputUsd! - (500 / 1000) * price.output) < 1e-12);
  });

  it('estimates from the characters when CountTokens is refused, and says so; --offline sends nothing', async () => {
    emulator.addFault({ operation: 'CountTokens', fault: { kind: 'http', error: 'accessDenied' }, times: 1 });
    const refused = await estimate('ask.prompt', '--input', 'topic=idempotency', '--json');
    assert.equal(refused.exact, false);
    assert.match(refused.estimateReason ?? '', /^CountTokens: /);
    const offline = await promptLab(['estimate', 'ask.prompt', '--input', 'topic=idempotency', '--offline'], {
      cwd: dir,
      // No endpoint that answers: an offline estimate must not try.
      env: { ...emulator.env(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(
      offline.stdout,
      /^amazon\.nova-micro-v1:0: \d+ input tokens, estimated at 4 characters a token \(offline\)$/m,
    );
    assert.match(offline.stdout, /^output: up to 500 tokens \(config\.maxOutputTokens\)$/m);
    assert.match(offline.stdout, /^cost: ~\$[\d.]+ input, at most ~\$[\d.]+ with the longest answer \(prices: .+\)$/m);
  });

  it('needs the same inputs as a run (exit 2, naming the flag)', async () => {
    const r = await promptLab(['estimate', 'ask.prompt'], { cwd: dir, env: emulator.env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No value for \{\{topic\}\}: pass --input topic=…/);
  });

  it('--prices: your own prices over the table, named as the source; a malformed file is refused (exit 2)', async () => {
    writeFileSync(path.join(dir, 'prices.json'), JSON.stringify({ 'amazon.nova-micro-v1:0': { input: 1, output: 2 } }));
    const e = await estimate(
      '--prices',
      'prices.json',
      'ask.prompt',
      '--input',
      'topic=idempotency',
      '--json',
      '--offline',
    );
    assert.equal(e.inputUsd, e.inputTokens / 1000);
    assert.equal(e.maxUsd, e.inputTokens / 1000 + 1);
    assert.equal(e.priceSource, 'your prices (--prices prices.json)');
    writeFileSync(path.join(dir, 'bad-prices.json'), JSON.stringify({ 'amazon.nova-micro-v1:0': { input: 'cheap' } }));
    const bad = await promptLab(['--prices', 'bad-prices.json', 'estimate', 'ask.prompt', '--offline'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /--prices bad-prices\.json: the price of amazon\.nova-micro-v1:0 needs input and output numbers\. Give a JSON object such as/,
    );
  });
});

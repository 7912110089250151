// Projects and prompt routers with the real binary and the local server: `--project` and a prompt's
// `bedrock.project` reach Converse as projectIdentifier (the prompt's wins); a project the account does
// not have is refused with the service's error; a router's ARN runs like a model, the metrics line names
// the model it chose, and the cost is that model's.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const NOVA_ROUTER = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/amazon.nova:1';

describe('prompt-lab with Bedrock projects and prompt routers (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const sent = () =>
    emulator.requests.filter((q) => q.operation === 'ConverseStream').at(-1)?.body as
      Record<string, unknown> | undefined;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-projects-'));
    writeFileSync(path.join(dir, 'plain.prompt'), '---\nmodel: amazon.nova-micro-v1:0\n---\nSay hello.\n');
    writeFileSync(
      path.join(dir, 'own-project.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\nbedrock.project: default\n---\nSay hello.\n',
    );
    writeFileSync(path.join(dir, 'routed.prompt'), `---\nmodel: ${NOVA_ROUTER}\n---\n{{question}}\n`);
  });
  after(async () => emulator.stop());

  it('--project goes with every call; a prompt that names its project keeps it', async () => {
    const r = await promptLab(['--project', 'proj_support01', 'run', 'plain.prompt'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sent()?.projectIdentifier, 'proj_support01');
    const own = await promptLab(['--project', 'proj_support01', 'run', 'own-project.prompt'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(own.code, 0, own.stderr);
    assert.equal(sent()?.projectIdentifier, 'default');
    const none = await promptLab(['run', 'plain.prompt'], { cwd: dir, env: emulator.env() });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(sent()?.projectIdentifier, undefined, 'no project: the field is left out');
  });

  it('a project the account does not have, or an archived one, is refused with what the service said', async () => {
    const missing = await promptLab(['--project', 'proj_nope', 'run', 'plain.prompt'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /Project proj_nope was not found.* Use another --project \(an active one, or 'default'\)/,
    );
    const archived = await promptLab(['--project', 'proj_legacy01', 'run', 'plain.prompt'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(archived.code, 2, archived.stderr);
    assert.match(archived.stderr, /Project proj_legacy01 is archived/);
  });

  it("a router's ARN runs like a model: the metrics line names the model it chose, and its price", async () => {
    const short = await promptLab(['run', 'routed.prompt', '--input', 'question=Hi', '--json'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(short.code, 0, short.stderr);
    const result = JSON.parse(short.stdout) as { modelId: string; routedTo?: string; costUsd?: number };
    assert.equal(result.modelId, NOVA_ROUTER);
    assert.equal(result.routedTo, 'us.amazon.nova-lite-v1:0', 'a short question goes to the fallback model');
    assert.ok((result.costUsd ?? 0) > 0, "costed at the chosen model's price");

    const long = await promptLab(['run', 'routed.prompt', '--input', `question=${'Why? '.repeat(60)}`], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(long.code, 0, long.stderr);
    assert.match(
      long.stderr,
      /^bedrock: us\.amazon\.nova-pro-v1:0 \(chosen by prompt router default-prompt-router\/amazon\.nova:1\) · /m,
    );
  });

  it('--service-tier and --latency go with the call; the tier that served it is shown and priced', async () => {
    const run = (args: string[]) =>
      promptLab(['run', 'plain.prompt', '--json', ...args], { cwd: dir, env: emulator.env() });
    const standard = JSON.parse((await run([])).stdout) as { costUsd: number; serviceTier: string };
    const flex = await run(['--service-tier', 'flex', '--latency', 'optimized']);
    assert.equal(flex.code, 0, flex.stderr);
    const result = JSON.parse(flex.stdout) as { costUsd: number; serviceTier: string; costSource: string };
    assert.deepEqual(sent()?.serviceTier, { type: 'flex' });
    assert.deepEqual(sent()?.performanceConfig, { latency: 'optimized' });
    assert.equal(standard.serviceTier, 'default');
    assert.equal(result.serviceTier, 'flex');
    assert.equal(Number((result.costUsd / standard.costUsd).toFixed(2)), 0.5);
    assert.match(result.costSource, /flex tier ×0\.5$/);
    const wrong = await promptLab(['run', 'plain.prompt', '--service-tier', 'fastest'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Allowed choices are default, priority, flex, reserved/);
  });
});

// prompt-lab as a package of its own: scripts/pack-cli.mjs packs the bundles into a tarball with no
// dependencies; installed into an empty project (offline: there is nothing to fetch), its `prompt-lab`
// runs from another folder against the local server.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { REPO_ROOT } from '../host/codeServer';

describe('prompt-lab packed on its own (npm pack, installed offline)', function () {
  this.timeout(120_000);
  let emulator: BedrockEmulator;
  let project: string;
  let bin: string;

  before(async () => {
    emulator = await startEmulator();
    const packs = mkdtempSync(path.join(os.tmpdir(), 'bpl-pack-'));
    const tarball = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), packs], {
      encoding: 'utf8',
    }).trim();
    project = mkdtempSync(path.join(os.tmpdir(), 'bpl-pack-project-'));
    writeFileSync(path.join(project, 'package.json'), '{"name": "uses-prompt-lab", "private": true}\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: project,
      encoding: 'utf8',
    });
    bin = path.join(project, 'node_modules', '.bin', 'prompt-lab');
  });
  after(async () => emulator.stop());

  // Asynchronously: the local server answers from this process.
  const cli = (args: string[], cwd: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(bin, args, {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: cwd,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...emulator.env(),
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('declares no dependencies and installs nothing else', () => {
    const pkg = JSON.parse(readFileSync(path.join(project, 'node_modules', 'prompt-lab', 'package.json'), 'utf8')) as {
      dependencies?: object;
      bin: Record<string, string>;
    };
    assert.equal(pkg.dependencies, undefined);
    assert.deepEqual(pkg.bin, { 'prompt-lab': 'cli.js' });
    const lock = JSON.parse(readFileSync(path.join(project, 'package-lock.json'), 'utf8')) as { packages: object };
    assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/prompt-lab']);
  });

  it('checks and runs the repository’s examples from another folder', async () => {
    const examples = path.join(REPO_ROOT, 'examples');
    const checked = await cli(['check', examples], project);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.match(checked.stderr, /^\d+ files: 0 errors, 0 warnings$/m);
    const ran = await cli(
      ['run', path.join(examples, 'ticket-classifier.prompt'), '--input', 'ticket=I was charged twice', '--json', '-q'],
      project,
    );
    assert.equal(ran.status, 0, ran.stderr);
    const result = JSON.parse(ran.stdout) as { status: string; modelId: string; text: string };
    assert.equal(result.status, 'complete');
    assert.equal(result.modelId, 'amazon.nova-micro-v1:0');
    assert.ok(JSON.parse(result.text), 'the JSON answer the prompt asks for');
  });
});

// `prompt-lab test` over 1,000 cases against the local server, beside the plain SDK loop sending the same
// requests with the same concurrency, and beside promptfoo evaluating the same cases (contains-checks,
// its Bedrock Converse provider, no cache) on the same server. All are child processes; the server runs in
// this one. promptfoo (1.5 GB installed) is not a dependency of the project: it is installed on the first
// run into .bench/promptfoo, at a pinned version, and measured when that worked.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../test/emulator';
import { report } from './report';

const CASES = 1000;
const PROMPTFOO = { version: '0.123.1', sdk: '3.1164.0' };
const CONCURRENCY = 8;
const ROOT = path.resolve(__dirname, '..', '..');

export async function benchCliTest(): Promise<void> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-bench-test-'));
  try {
    writeFileSync(
      path.join(dir, 'say.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\ninput:\n  schema:\n    word: string\n---\nSay {{word}}\n',
    );
    const cases = Array.from(
      { length: CASES },
      (_, i) => `  - name: case ${i}\n    input:\n      word: word${i}\n    assert:\n      - contains: Say word${i}\n`,
    );
    writeFileSync(path.join(dir, 'say.tests.yaml'), `cases:\n${cases.join('')}`);
    const env = { ...process.env, ...emulator.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    // Asynchronous: the server answers from this process's event loop.
    const time = (args: string[]) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0
            ? resolve(performance.now() - started)
            : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)),
        );
      });
    const cli = [path.join(ROOT, 'dist', 'cli.js'), 'test', '--concurrency', String(CONCURRENCY), '--quiet'];
    const raw = [path.join(__dirname, 'rawConverseLoop.js'), String(CASES), String(CONCURRENCY)];
    await time(raw); // warm the page cache and the server for both
    const rawMs = await time(raw);
    const ours = await time(cli);
    report(
      `prompt-lab test, ${CASES} cases (concurrency ${CONCURRENCY})`,
      `${ours.toFixed(0)} ms`,
      `plain SDK loop ${rawMs.toFixed(0)} ms`,
      ours / rawMs,
      `${((CASES / ours) * 1000).toFixed(0)} cases/s`,
    );
    const promptfoo = await installPromptfoo();
    if (typeof promptfoo !== 'string') {
      report(`  the same cases in promptfoo`, 'not measured', promptfoo.reason);
      return;
    }
    const tests = Array.from(
      { length: CASES },
      (_, i) => `  - vars: { word: word${i} }\n    assert:\n      - type: contains\n        value: Say word${i}\n`,
    );
    writeFileSync(
      path.join(dir, 'promptfooconfig.yaml'),
      `prompts:\n  - 'Say {{word}}'\nproviders:\n  - id: bedrock:converse:amazon.nova-micro-v1:0\n    config:\n      region: us-east-1\ntests:\n${tests.join('')}`,
    );
    const pf = [promptfoo, 'eval', '-c', 'promptfooconfig.yaml', '--no-cache', '--no-write', '--no-table'];
    const pfArgs = [...pf, '--max-concurrency', String(CONCURRENCY), '-o', 'promptfoo.json'];
    Object.assign(env, { PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', HOME: dir });
    const theirs = await time(pfArgs);
    const stats = (
      JSON.parse(readFileSync(path.join(dir, 'promptfoo.json'), 'utf8')) as {
        results: { stats: { successes: number } };
      }
    ).results.stats;
    if (stats.successes !== CASES) throw new Error(`promptfoo passed ${stats.successes} of ${CASES} cases`);
    report(
      `prompt-lab test vs promptfoo ${PROMPTFOO.version}, ${CASES} cases`,
      `${ours.toFixed(0)} ms`,
      `promptfoo eval ${theirs.toFixed(0)} ms`,
      ours / theirs,
      `promptfoo takes ${(theirs / ours).toFixed(1)}x as long`,
    );
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** promptfoo's entry point in .bench/promptfoo, installed at the pinned version on first use; or why not. */
async function installPromptfoo(): Promise<string | { reason: string }> {
  const prefix = path.join(ROOT, '.bench', 'promptfoo');
  const entry = path.join(prefix, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');
  const installed = () => {
    try {
      const pkg = JSON.parse(readFileSync(path.join(prefix, 'node_modules', 'promptfoo', 'package.json'), 'utf8'));
      return (pkg as { version: string }).version === PROMPTFOO.version && existsSync(entry);
    } catch {
      return false; // not installed yet
    }
  };
  if (installed()) return entry;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(path.join(prefix, 'package.json'), '{"name": "bench-promptfoo", "private": true}\n');
  process.stdout.write(`installing promptfoo ${PROMPTFOO.version} into .bench/promptfoo (once; about a minute)\n`);
  const npm = path.join(path.dirname(process.execPath), 'npm');
  const result = await new Promise<{ ok: boolean; stderr: string }>((resolve) =>
    execFile(
      existsSync(npm) ? npm : 'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--save-exact',
        `promptfoo@${PROMPTFOO.version}`,
        `@aws-sdk/client-bedrock-runtime@${PROMPTFOO.sdk}`,
      ],
      { cwd: prefix, maxBuffer: 64 * 1024 * 1024 },
      (err, _stdout, stderr) => resolve({ ok: !err, stderr }),
    ),
  );
  if (!result.ok || !installed())
    return { reason: `promptfoo could not be installed: ${result.stderr.trim().split('\n').pop() ?? 'npm failed'}` };
  return entry;
}

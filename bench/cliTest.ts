// `prompt-lab test` over 1,000 cases against the local server, beside the plain SDK loop sending the same
// requests with the same concurrency (both child processes; the server runs in this one).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../test/emulator';
import { report } from './report';

const CASES = 1000;
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
      `${((CASES / ours) * 1000).toFixed(0)} cases/s; promptfoo not measured yet`,
    );
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

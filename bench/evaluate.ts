// `prompt-lab eval`: one prompt on 6 models × 200 cases, each judged by a rubric (2,400 calls), against the
// local server, beside the plain SDK loop making the same calls with the same concurrency. Both are child
// processes (the server runs in this one); each reports its own peak resident memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../test/emulator';
import { report } from './report';

const CASES = 200;
const CONCURRENCY = 8;
const JUDGE = 'amazon.nova-lite-v1:0';
const MODELS = [
  'amazon.nova-micro-v1:0',
  'amazon.nova-lite-v1:0',
  'amazon.nova-pro-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'cohere.command-r-v1:0',
];

export async function benchEvaluate(): Promise<void> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-bench-eval-'));
  try {
    writeFileSync(
      path.join(dir, 'say.prompt'),
      '---\nmodel: amazon.nova-micro-v1:0\ninput:\n  schema:\n    word: string\n---\nSay {{word}}\n',
    );
    const cases = Array.from(
      { length: CASES },
      (_, i) =>
        `  - name: case ${i}\n    input:\n      word: word${i}\n    assert:\n      - contains: word${i}\n      - rubric: Mentions word${i}\n`,
    );
    writeFileSync(path.join(dir, 'say.tests.yaml'), `judge: ${JUDGE}\ncases:\n${cases.join('')}`);
    const env = { ...process.env, ...emulator.env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const time = (args: string[]) =>
      new Promise<{ ms: number; peakKb: number }>((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          const peakKb = Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1]);
          if (code === 0 && peakKb > 0) resolve({ ms: performance.now() - started, peakKb });
          else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
        });
      });
    const raw = [path.join(__dirname, 'rawEvalLoop.js'), String(CASES), String(CONCURRENCY), JUDGE, ...MODELS];
    const ours = [
      path.join(__dirname, 'peakRss.js'),
      'eval',
      'say.prompt',
      ...MODELS.flatMap((m) => ['-m', m]),
      '--concurrency',
      String(CONCURRENCY),
      '--restart',
      '--quiet',
    ];
    await time(raw); // warm the page cache and the server for both
    const base = await time(raw);
    const eval_ = await time(ours);
    const calls = MODELS.length * CASES * 2;
    report(
      `prompt-lab eval, ${MODELS.length} models × ${CASES} cases, judged (${calls} calls, concurrency ${CONCURRENCY})`,
      `${eval_.ms.toFixed(0)} ms`,
      `plain SDK loop ${base.ms.toFixed(0)} ms`,
      eval_.ms / base.ms,
      `${((calls / eval_.ms) * 1000).toFixed(0)} calls/s`,
    );
    report(
      `  peak memory of that evaluation`,
      `${(eval_.peakKb / 1024).toFixed(0)} MB`,
      `plain SDK loop ${(base.peakKb / 1024).toFixed(0)} MB`,
      eval_.peakKb / base.peakKb,
    );
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

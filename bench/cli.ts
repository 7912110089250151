// prompt-lab's start-up: `prompt-lab check` on one file, start to exit, beside `node -e 0` (Node's own
// start) in the same run. The goal: under 150 ms more than Node itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, report } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = 15;

function timeOf(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function benchCli(): void {
  const check = [path.join(ROOT, 'dist', 'cli.js'), 'check', '--quiet', 'examples/ticket-classifier.prompt'];
  timeOf(check); // the file cache, as a CI job's second command has it
  const ours: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(timeOf(check));
    node.push(timeOf(['-e', '0']));
  }
  const extra = median(ours) - median(node);
  report(
    'prompt-lab check one file, start to exit',
    `${median(ours).toFixed(0)} ms`,
    `node -e 0 ${median(node).toFixed(0)} ms`,
    median(ours) / median(node),
    `${extra.toFixed(0)} ms more; target < 150 ms more`,
  );
}

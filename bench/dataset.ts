// Packaging 10,000 text files (about 200 MB) into continued pre-training records: throughput beside
// `cat` reading the same files in the same run, and the build's peak memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { report } from './report';

const FILES = Number(process.env.BENCH_DATASET_FILES ?? 10_000);
const FILE_BYTES = 20_000;

export function benchDataset(): void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bpl-bench-ds-'));
  const src = path.join(root, 'src');
  mkdirSync(src);
  const words =
    'Amazon Bedrock customizes foundation models with your own data; continued pre-training teaches new vocabulary and facts. '.split(
      ' ',
    );
  for (let i = 0; i < FILES; i++) {
    const paras: string[] = [];
    let size = 0;
    let w = i;
    while (size < FILE_BYTES) {
      const para = Array.from({ length: 60 }, () => words[w++ % words.length]).join(' ') + ` (${i}.${paras.length})`;
      paras.push(para);
      size += para.length + 2;
    }
    writeFileSync(path.join(src, `doc-${String(i).padStart(5, '0')}.txt`), paras.join('\n\n'));
  }
  const totalMb = (FILES * FILE_BYTES) / 1024 / 1024;
  try {
    // Baseline: cat every file to /dev/null (the same files, warm in the page cache for both).
    execFileSync('bash', ['-c', `find ${src} -type f -print0 | xargs -0 cat > /dev/null`]);
    const catStart = performance.now();
    execFileSync('bash', ['-c', `find ${src} -type f -print0 | xargs -0 cat > /dev/null`]);
    const catMs = performance.now() - catStart;
    const run = spawnSync(process.execPath, [path.join(__dirname, 'datasetWorker.js'), src, path.join(root, 'out')], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(run.stderr);
    const r = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      ms: number;
      records: number;
      maxRssKiB: number;
    };
    const ours = totalMb / (r.ms / 1000);
    const cat = totalMb / (catMs / 1000);
    report(
      `package ${FILES} files (${totalMb.toFixed(0)} MB) for CPT`,
      `${ours.toFixed(1)} MB/s`,
      `cat ${cat.toFixed(1)} MB/s`,
      ours / cat,
      `target >= 0.5x; ${r.records} records`,
    );
    report('peak memory of that build (RSS)', `${(r.maxRssKiB / 1024).toFixed(0)} MB`, 'target < 300 MB', undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

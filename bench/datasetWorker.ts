// Child process of the dataset benchmark: packages a folder into continued pre-training records and
// prints its time and peak memory, so the figure is this build's alone.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDataset } from '../src/core/dataset/build';
import { datasetRulesFor } from '../src/core/models/registry';
import { readTextFile } from '../src/core/io/readText';

async function main(): Promise<void> {
  const [dir, out] = process.argv.slice(2);
  const names = (await fs.readdir(dir)).sort();
  const files = names.map((n) => ({ path: n, read: () => readTextFile(path.join(dir, n)), fsPath: path.join(dir, n) }));
  const rules = datasetRulesFor('amazon.titan-text-express-v1:0:8k', 'CONTINUED_PRE_TRAINING')!;
  const started = performance.now();
  const report = await buildDataset(files, {
    rules: { ...rules, maxRecords: undefined, trainingFileBytes: Number.MAX_SAFE_INTEGER },
    modelId: 'amazon.titan-text-express-v1:0:8k',
    outputDir: out,
    validationSplit: 0,
    seed: 1,
    secrets: 'block',
    source: {},
  });
  const ms = performance.now() - started;
  if (!report.ok) throw new Error(report.failure);
  process.stdout.write(`${JSON.stringify({ ms, records: report.train, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

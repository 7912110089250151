// Child process of the batch memory benchmark: `stream <file> <out>` runs runBatch over the rows as a
// stream (answers are instant: the figure is the reading and writing), `whole <file>` reads the rows the
// way the batch run did before (all at once). Prints the peak RSS.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { streamRows } from '../src/core/io/rows';
import { runBatch } from '../src/core/batch/runBatch';

async function main(): Promise<void> {
  const [mode, file, out] = process.argv.slice(2);
  const started = performance.now();
  let rows = 0;
  if (mode === 'whole') {
    const all = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
    rows = all.length;
  } else {
    const result = await runBatch({
      rows: () => streamRows(file),
      modelId: 'm',
      outputPath: out,
      concurrency: 8,
      invoke: async (row) => ({ row: row.index, input: row.input, modelId: 'm', output: 'ok' }),
    });
    rows = result.total;
  }
  process.stdout.write(
    `${JSON.stringify({ ms: performance.now() - started, rows, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exit(1);
});

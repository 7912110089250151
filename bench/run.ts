// `npm run bench [-- name...]`: every benchmark prints its figure beside a baseline measured in the same run.
import { benchActivation } from './activation';
import { benchBundle } from './bundle';
import { benchParse } from './parse';
import { benchStreaming } from './streaming';
import { benchTree } from './tree';
import { benchDataset } from './dataset';
import { benchBatch, benchBatchMemory } from './batch';
import { benchCompare } from './compare';
import { benchCli } from './cli';
import { benchCliTest } from './cliTest';
import { benchEvaluate } from './evaluate';

const benches: Record<string, () => Promise<void> | void> = {
  bundle: benchBundle,
  parse: benchParse,
  tree: benchTree,
  dataset: benchDataset,
  activation: () => benchActivation(5),
  streaming: benchStreaming,
  compare: benchCompare,
  batch: benchBatch,
  batchMemory: benchBatchMemory,
  cli: benchCli,
  cliTest: benchCliTest,
  evaluate: benchEvaluate,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const [name, fn] of Object.entries(benches)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    await fn();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

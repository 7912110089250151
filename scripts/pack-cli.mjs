// Packs the prompt-lab CLI as a package of its own: the bundles esbuild left in dist/ (cli.js and the
// lazily loaded engines beside it), a package.json with the `prompt-lab` bin and no dependencies, the
// licence and a short README, into `prompt-lab-<version>.tgz` (npm pack). `npm install -g <tgz>` then
// gives a `prompt-lab` that needs nothing else.
// Usage: node scripts/pack-cli.mjs [destination folder]   (after `npm run build`; `npm run pack:cli` does both)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const destination = path.resolve(process.argv[2] ?? root);
const repo = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// What cli.js loads: the engines it requires at run time, and the dataset scan's worker thread.
const BUNDLES = ['cli.js', 'awsSdk.js', 'promptEngine.js', 'datasetEngine.js', 'scanThreadMain.js', 'mcp.js'];

const missing = BUNDLES.filter((f) => !existsSync(path.join(root, 'dist', f)));
if (missing.length > 0) {
  console.error(`pack-cli: dist/ lacks ${missing.join(', ')}: run npm run build first.`);
  process.exit(2);
}
const stage = mkdtempSync(path.join(os.tmpdir(), 'prompt-lab-pack-'));
try {
  for (const f of BUNDLES) copyFileSync(path.join(root, 'dist', f), path.join(stage, f));
  copyFileSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
  copyFileSync(path.join(root, 'docs', 'cli.md'), path.join(stage, 'README.md'));
  writeFileSync(
    path.join(stage, 'package.json'),
    `${JSON.stringify(
      {
        name: 'prompt-lab',
        version: repo.version,
        description:
          'Bedrock Prompt Lab in a terminal: run, test, check and estimate .prompt files for Amazon Bedrock.',
        license: repo.license,
        repository: repo.repository,
        bin: { 'prompt-lab': 'cli.js' },
        files: [...BUNDLES, 'LICENSE', 'README.md'],
        engines: { node: repo.engines.node },
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
    cwd: stage,
    encoding: 'utf8',
  });
  const tarball = path.join(destination, out.trim().split('\n').pop());
  console.log(tarball);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

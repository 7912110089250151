// Bundles the extension for Node (CommonJS, `vscode` external), the AWS SDK adapter as its own file
// (loaded on first use, never at activation), and the webview scripts for the browser.
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Keeps `require('./awsSdk')` and `require('./promptEngine')` runtime requires of their own bundles. */
const lazySdk = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\/(awsSdk|promptEngine|datasetEngine|mcp)$/ }, (args) => ({
      path: `${args.path}.js`,
      external: true,
    }));
  },
};

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const webviewEntries = fs.existsSync('webview/src')
  ? fs
      .readdirSync('webview/src')
      .filter((f) => /^[a-z][\w-]*\.ts$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => path.join('webview/src', f))
  : [];

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazySdk],
  },
  {
    // The prompt-lab CLI (package.json "bin"): the same lazy bundles beside it in dist/.
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazySdk],
    banner: { js: '#!/usr/bin/env node' },
    define: { PROMPT_LAB_VERSION: JSON.stringify(require('./package.json').version) },
  },
  {
    // prompt-lab mcp's server (the MCP SDK and zod), beside cli.js, sharing its lazy bundles.
    ...common,
    entryPoints: { mcp: 'src/cli/mcp.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazySdk],
  },
  {
    ...common,
    entryPoints: {
      awsSdk: 'src/core/bedrock/awsSdk.ts',
      promptEngine: 'src/core/format/promptEngine.ts',
      datasetEngine: 'src/core/engines/datasetEngine.ts',
      // The dataset build's worker thread (src/core/dataset/scanThread.ts), found beside datasetEngine.js.
      scanThreadMain: 'src/core/dataset/scanThreadMain.ts',
    },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
];
if (webviewEntries.length > 0) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The CLI is package.json's "bin": `npx prompt-lab` runs the file itself.
  fs.chmodSync(path.join('dist', 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Runs inside the VS Code extension host as a test index: times the activation of the extension
// under test (BENCH_EXTENSION_ID) and reports whether the AWS SDK got loaded.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const id = process.env.BENCH_EXTENSION_ID ?? '';
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(`extension ${id} not found`);
  // Loading the main module first, on its own, separates the bundle's load time from activate().
  const loadStart = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(ext.extensionPath, String(ext.packageJSON.main)));
  const loadMs = performance.now() - loadStart;
  const started = performance.now();
  const api = (await ext.activate()) as { activationMs?: number } | undefined;
  const ms = performance.now() - started;
  const selfMs = api?.activationMs ?? 0;
  const sdkLoaded = Object.keys(require.cache).some(
    (f) => f.includes(`${path.sep}@aws-sdk${path.sep}`) || f.endsWith(`${path.sep}awsSdk.js`),
  );
  console.log(`BENCH ${JSON.stringify({ id, ms, selfMs, loadMs, sdkLoaded })}`);
}

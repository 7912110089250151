// Runs inside the VS Code extension host: loads the compiled integration tests into mocha.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** `BPL_TEST_GREP=<text> npm run test:integration` runs only the tests whose title holds the text. */
export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appHost}), extension host on Node ${process.version}`);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: path.join(__dirname, '..', 'support', 'countingReporter.js'),
    forbidOnly: true,
    grep: process.env.BPL_TEST_GREP || undefined,
  });
  const files = (await fs.readdir(__dirname)).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}

// The test index VS Code loads (extensionTestsPath) for each suite: mocha with the counting reporter, after
// a line that says which VS Code and Node the suite runs in. Runs inside the extension host.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Runs the `*.test.js` files of `dir` (BPL_TEST_GREP=<text> keeps the tests whose title holds it). */
export async function runSuite(dir: string, name: string): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appHost}), extension host on Node ${process.version}`);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: path.join(__dirname, 'countingReporter.js'),
    forbidOnly: true,
    grep: process.env.BPL_TEST_GREP || undefined,
  });
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(dir, f));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} ${name} tests failed`)) : resolve()));
  });
}

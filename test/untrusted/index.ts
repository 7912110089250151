// Runs inside a VS Code whose workspace is not trusted (restricted mode): nothing may reach AWS.
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appHost}), extension host on Node ${process.version}`);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: path.join(__dirname, '..', 'support', 'countingReporter.js'),
    forbidOnly: true,
  });
  mocha.addFile(path.join(__dirname, 'untrusted.test.js'));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} untrusted-workspace tests failed`)) : resolve(),
    );
  });
}

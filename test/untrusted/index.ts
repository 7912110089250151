// Runs inside a VS Code whose workspace is not trusted (restricted mode): nothing may reach AWS.
import path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
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

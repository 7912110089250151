// `npm run test:integration`: starts the local Bedrock server, then runs test/integration inside a
// real VS Code pointed at it through the standard AWS_ENDPOINT_URL variables.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../emulator';
import { copyWorkspace, REPO_ROOT, runExtensionTests } from './codeServer';

async function main(): Promise<number> {
  const emulator = await startEmulator();
  const workspace = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  // The sample prompts are part of what the tests check (they must open without diagnostics).
  await fs.cp(path.join(REPO_ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  let sawCounts = false;
  try {
    const code = await runExtensionTests({
      extensionPath: REPO_ROOT,
      testsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      workspace,
      env: { ...emulator.env(), BPL_EMULATOR_URL: emulator.url, AWS_CONFIG_FILE: path.join(workspace, '.aws-test', 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workspace, '.aws-test', 'credentials') },
      verbose: process.env.BPL_VERBOSE === '1',
      onLog: (line) => {
        if (/^\d+ passed, \d+ failed/.test(line.trim())) sawCounts = true;
        if (!/^Ignoring fetching additional builtin extensions/.test(line)) process.stdout.write(`${line}\n`);
      },
    });
    if (code === 0 && !sawCounts) {
      process.stdout.write('[host] the test run printed no "N passed, N failed" line: treating it as a failure\n');
      return 1;
    }
    return code;
  } finally {
    await emulator.stop();
    await fs.rm(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`integration run failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

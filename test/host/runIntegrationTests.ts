// `npm run test:integration`: starts the local Bedrock server, then runs test/integration (and the
// untrusted-workspace suite) inside each real VS Code of TEST_HOSTS (the oldest engines.vscode allows and
// the newest code-server on npm), pointed at it through the standard AWS_ENDPOINT_URL variables.
// BPL_HOST=oldest|newest runs one of them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../emulator';
import { copyWorkspace, REPO_ROOT, runExtensionTests, TEST_HOSTS, type TestHost } from './codeServer';

/** Runs one suite in a fresh VS Code; fails when it exits non-zero or printed no "N passed, N failed". */
async function runSuite(
  host: TestHost,
  name: string,
  testsPath: string,
  workspace: string,
  env: Record<string, string>,
  workspaceTrust = false,
): Promise<number> {
  let sawCounts = false;
  process.stdout.write(
    `[host] ${name} suite in VS Code ${host.vscode} (code-server ${host.codeServer}, Node ${host.node})\n`,
  );
  const code = await runExtensionTests({
    host,
    extensionPath: REPO_ROOT,
    testsPath,
    workspace,
    env,
    workspaceTrust,
    verbose: process.env.BPL_VERBOSE === '1',
    onLog: (line) => {
      if (/^\d+ passed, \d+ failed/.test(line.trim())) sawCounts = true;
      if (!/^Ignoring fetching additional builtin extensions/.test(line)) process.stdout.write(`${line}\n`);
    },
  });
  if (code === 0 && !sawCounts) {
    process.stdout.write(`[host] the ${name} run printed no "N passed, N failed" line: treating it as a failure\n`);
    return 1;
  }
  return code;
}

/** Both suites in one VS Code, each host with its own local server and fresh workspace copies: a run leaves
 * files and server state (jobs, uploads) behind, and the next host must start from the fixtures. */
async function runHost(host: TestHost, only: string | undefined): Promise<number> {
  const emulator = await startEmulator();
  const workspace = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  // The sample prompts are part of what the tests check (they must open without diagnostics).
  await fs.cp(path.join(REPO_ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  const untrusted = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  await fs.cp(path.join(REPO_ROOT, 'examples'), untrusted, { recursive: true });
  // A workspace that tries to send the user's credentials elsewhere (machine-scoped: must be ignored).
  await fs.mkdir(path.join(untrusted, '.vscode'), { recursive: true });
  await fs.writeFile(
    path.join(untrusted, '.vscode', 'settings.json'),
    JSON.stringify({
      'bedrockPromptLab.endpoint': 'http://attacker.invalid',
      'bedrockPromptLab.batch.s3Uri': 's3://attacker-bucket/',
    }),
  );
  const env = {
    ...emulator.env(),
    BPL_EMULATOR_URL: emulator.url,
    AWS_CONFIG_FILE: path.join(workspace, '.aws-test', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workspace, '.aws-test', 'credentials'),
  };
  try {
    const trusted =
      only === 'untrusted'
        ? 0
        : await runSuite(
            host,
            'integration',
            path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
            workspace,
            env,
          );
    // The same extension in a workspace the user has not trusted (VS Code's restricted mode).
    const restricted =
      process.env.BPL_TEST_GREP || only === 'integration'
        ? 0
        : await runSuite(
            host,
            'untrusted-workspace',
            path.join(REPO_ROOT, 'out', 'test', 'untrusted', 'index.js'),
            untrusted,
            env,
            true,
          );
    return trusted || restricted;
  } finally {
    await emulator.stop();
    await fs.rm(workspace, { recursive: true, force: true });
    await fs.rm(untrusted, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const hosts = process.env.BPL_HOST
    ? [TEST_HOSTS[process.env.BPL_HOST as TestHost['name']]]
    : Object.values(TEST_HOSTS);
  if (hosts.some((h) => !h))
    throw new Error(`BPL_HOST=${process.env.BPL_HOST}: use one of ${Object.keys(TEST_HOSTS).join(', ')}`);
  const only = process.env.BPL_SUITE; // 'integration' or 'untrusted': run one of the two suites
  let failed = 0;
  // Every host runs, even after a failure, so one run shows what breaks where.
  for (const host of hosts) {
    const code = await runHost(host, only);
    failed ||= code;
  }
  return failed;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`integration run failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

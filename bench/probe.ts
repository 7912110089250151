// Runs a probe inside a real VS Code (code-server + headless Chromium) against a fresh local server and
// returns the JSON it prints on a `BENCH {...}` line.
import path from 'node:path';
import { startEmulator } from '../test/emulator';
import { REPO_ROOT, copyWorkspace, runExtensionTests } from '../test/host/codeServer';

export async function runProbe<T>(probe: string): Promise<T> {
  const emulator = await startEmulator();
  const workspace = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  let data: T | undefined;
  try {
    const code = await runExtensionTests({
      extensionPath: REPO_ROOT,
      testsPath: path.join(REPO_ROOT, 'out', 'bench', `${probe}.js`),
      workspace,
      env: { ...emulator.env(), BPL_EMULATOR_URL: emulator.url },
      timeoutMs: 300_000,
      onLog: (line) => {
        const m = /^BENCH (.*)$/.exec(line.trim());
        if (m) data = JSON.parse(m[1]) as T;
        else if (/Error|failed/i.test(line)) process.stderr.write(`${line}\n`);
      },
    });
    if (code !== 0 || !data) throw new Error(`${probe} failed (exit ${code})`);
    return data;
  } finally {
    await emulator.stop();
  }
}

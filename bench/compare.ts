// Compare with 6 models streaming at once into the webview, beside the same 6 streams consumed by the
// raw SDK in the same extension host, in the same run.
import path from 'node:path';
import { startEmulator } from '../test/emulator';
import { REPO_ROOT, copyWorkspace, runExtensionTests } from '../test/host/codeServer';
import { median, report } from './report';

export async function benchCompare(): Promise<void> {
  const emulator = await startEmulator();
  const workspace = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  let data: { ours: number[]; raw: number[]; firstOpen: number; tokens: number; models: number } | undefined;
  try {
    const code = await runExtensionTests({
      extensionPath: REPO_ROOT,
      testsPath: path.join(REPO_ROOT, 'out', 'bench', 'compareProbe.js'),
      workspace,
      env: emulator.env(),
      timeoutMs: 300_000,
      onLog: (line) => {
        const m = /^BENCH (.*)$/.exec(line.trim());
        if (m) data = JSON.parse(m[1]);
        else if (/Error|failed/i.test(line)) process.stderr.write(`${line}\n`);
      },
    });
    if (code !== 0 || !data) throw new Error(`compare probe failed (exit ${code})`);
  } finally {
    await emulator.stop();
  }
  const ours = median(data.ours);
  const raw = median(data.raw);
  report(`compare ${data.models} models x ${data.tokens} tokens (re-run)`, `${ours.toFixed(0)} ms`, `raw SDK, same ${data.models} streams ${raw.toFixed(0)} ms`, ours / raw, 'webview path overhead');
  report('  the same, first run with opening the view', `${data.firstOpen.toFixed(0)} ms`, `raw SDK ${raw.toFixed(0)} ms`, data.firstOpen / raw, 'includes loading the webview');
}

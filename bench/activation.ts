// Activation time of the extension beside an empty extension, each in a fresh real VS Code host.
import path from 'node:path';
import { REPO_ROOT, copyWorkspace, runExtensionTests } from '../test/host/codeServer';
import { median, report } from './report';

async function activateOnce(
  extensionPath: string,
  id: string,
): Promise<{ ms: number; selfMs: number; loadMs: number; sdkLoaded: boolean }> {
  const workspace = await copyWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'));
  let result: { ms: number; selfMs: number; loadMs: number; sdkLoaded: boolean } | undefined;
  const code = await runExtensionTests({
    extensionPath,
    testsPath: path.join(REPO_ROOT, 'out', 'bench', 'activationProbe.js'),
    workspace,
    env: { BENCH_EXTENSION_ID: id },
    timeoutMs: 120_000,
    onLog: (line) => {
      const m = /^BENCH (.*)$/.exec(line.trim());
      if (m) result = JSON.parse(m[1]);
    },
  });
  if (code !== 0 || !result) throw new Error(`activation probe for ${id} failed (exit ${code})`);
  return result;
}

export async function benchActivation(rounds = 5): Promise<void> {
  const ours: number[] = [];
  const self: number[] = [];
  const load: number[] = [];
  const emptyLoad: number[] = [];
  const empty: number[] = [];
  let sdkLoaded = false;
  for (let i = 0; i < rounds; i++) {
    const a = await activateOnce(REPO_ROOT, 'bedrock-prompt-lab.bedrock-prompt-lab');
    ours.push(a.ms);
    self.push(a.selfMs);
    load.push(a.loadMs);
    sdkLoaded ||= a.sdkLoaded;
    const e = await activateOnce(path.join(REPO_ROOT, 'bench', 'fixtures', 'empty-extension'), 'bench.empty-extension');
    empty.push(e.ms);
    emptyLoad.push(e.loadMs);
  }
  // The host's own scheduling adds tens of ms of noise to each activation; the minimum over fresh hosts
  // is the least disturbed figure, the median is shown too.
  const o = Math.min(...ours);
  const e = Math.min(...empty);
  report(
    `activate() call, min of ${rounds} fresh hosts`,
    `${o.toFixed(1)} ms`,
    `empty extension ${e.toFixed(1)} ms`,
    o / e,
    `adds ${(o - e).toFixed(1)} ms; target < 10 ms`,
  );
  report(
    `activate() call, median of ${rounds} fresh hosts`,
    `${median(ours).toFixed(1)} ms`,
    `empty extension ${median(empty).toFixed(1)} ms`,
    median(ours) / median(empty),
  );
  report(
    'loading the main bundle (median)',
    `${median(load).toFixed(1)} ms`,
    `empty extension ${median(emptyLoad).toFixed(1)} ms`,
    median(load) / Math.max(0.01, median(emptyLoad)),
  );
  report('activate() body (median)', `${median(self).toFixed(1)} ms`, 'empty extension 0 ms');
  report('AWS SDK loaded during activation', sdkLoaded ? 'YES' : 'no', 'must be no');
}

// A real VS Code for tests, benchmarks and the demo: code-server's VS Code server (installed by
// scripts/install-test-host.sh) driven by headless Debian Chromium through playwright-core.
// See ARCHITECTURE.md ("The test host") for why this route.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A VS Code the suite runs in: a code-server release and the Node its VS Code ships with. */
export interface TestHost {
  name: 'oldest' | 'newest';
  codeServer: string;
  /** The VS Code inside it (its `product.json`). */
  vscode: string;
  node: 20 | 24;
  /** Server arguments that version needs. */
  serverArgs: string[];
}

/**
 * The oldest VS Code `engines.vscode` allows (1.100, Node 20) and the newest code-server on npm (VS Code
 * 1.139, Node 24: what most users have). scripts/install-test-host.sh installs both.
 */
export const TEST_HOSTS: Record<TestHost['name'], TestHost> = {
  oldest: { name: 'oldest', codeServer: '4.100.3', vscode: '1.100.3', node: 20, serverArgs: [] },
  newest: {
    name: 'newest',
    codeServer: '4.139.1',
    vscode: '1.139',
    node: 24,
    // Without it, VS Code 1.139's workbench ignores the test payload and the run waits forever.
    serverArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  },
};

/** The host of this run: BPL_HOST=oldest|newest (the demo and benchmarks default to the newest). */
export function selectedHost(fallback: TestHost['name'] = 'oldest'): TestHost {
  const name = (process.env.BPL_HOST ?? fallback) as TestHost['name'];
  const host = TEST_HOSTS[name];
  if (!host) throw new Error(`BPL_HOST=${name}: use one of ${Object.keys(TEST_HOSTS).join(', ')}`);
  return host;
}

export function codeServerDir(host: TestHost): string {
  return path.join(REPO_ROOT, '.vscode-test', `code-server-${host.codeServer}`);
}

/** The Node binary the host's server runs on (installed from the npm registry by scripts/install-node.sh). */
function nodeFor(host: TestHost): string {
  const out = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-node.sh'), String(host.node)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error(`could not install Node ${host.node} for code-server ${host.codeServer}`);
  return path.join(out.stdout.trim(), 'node');
}

export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** Extra environment for the server (and so for the extension host). */
  env?: Record<string, string>;
  /** Fixed port (the demo); a free one otherwise. */
  port?: number;
  /** Bind address; 127.0.0.1 unless the demo asks otherwise. */
  host?: string;
  /** User settings to seed. */
  settings?: Record<string, unknown>;
  /** Keep VS Code's workspace trust on: the folder then opens untrusted (restricted mode). */
  workspaceTrust?: boolean;
  /** Print the server's output. */
  verbose?: boolean;
  /** Extensions to install from .vsix or folders before start (the demo's packaged extension). */
  installExtensions?: string[];
  /** Which VS Code; selectedHost() when absent. */
  testHost?: TestHost;
}

export interface CodeServer {
  url: string;
  port: number;
  tmp: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const testHost = opts.testHost ?? selectedHost();
  const dir = codeServerDir(testHost);
  if (!existsSync(path.join(dir, '.complete'))) {
    throw new Error(`The VS Code test host is not installed. Run: bash scripts/install-test-host.sh (expected ${dir})`);
  }
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const node = nodeFor(testHost);
  // Short path: VS Code's IPC socket paths must stay under ~107 characters.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bpl-'));
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort());
  const userData = path.join(tmp, 'user-data');
  await fs.mkdir(path.join(userData, 'User'), { recursive: true });
  await fs.writeFile(path.join(tmp, 'config.yaml'), `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': opts.workspaceTrust === true,
    // With trust on, no modal asks: the folder simply stays untrusted.
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.untrustedFiles': 'open',
    ...opts.settings,
  };
  await fs.writeFile(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // Machine-scoped settings of the remote (code-server) side live here.
  await fs.mkdir(path.join(userData, 'Machine'), { recursive: true });
  await fs.writeFile(path.join(userData, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));

  const env = {
    ...process.env,
    ...opts.env,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    TMPDIR: tmp,
  };
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--config',
    path.join(tmp, 'config.yaml'),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    path.join(tmp, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...testHost.serverArgs,
  ];
  for (const ext of opts.installExtensions ?? []) {
    await new Promise<void>((resolve, reject) => {
      const p = spawn(node, [...args, '--install-extension', ext], {
        env,
        stdio: opts.verbose ? 'inherit' : 'ignore',
      });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`installing ${ext} failed (${code})`))));
    });
  }
  const child = spawn(node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (opts.verbose) process.stderr.write(d);
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining output so the pipes never fill up.
  child.stdout?.on('data', (d: Buffer) => opts.verbose && process.stderr.write(d));
  child.stderr?.on('data', (d: Buffer) => opts.verbose && process.stderr.write(d));
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    tmp,
    async stop() {
      killGroup(child);
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export interface ExtensionTestRun {
  extensionPath: string;
  /** Compiled test index (exports run()). */
  testsPath: string;
  workspace: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  timeoutMs?: number;
  /** Receives each console line relayed from the extension host. */
  onLog?: (line: string) => void;
  verbose?: boolean;
  host?: TestHost;
}

/** Runs an extension's test index inside the real workbench; resolves to the exit code (124 on timeout). */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const { chromium } = await import('playwright-core');
  const server = await startCodeServer({
    workspace: run.workspace,
    env: run.env,
    settings: run.settings,
    workspaceTrust: run.workspaceTrust,
    verbose: run.verbose,
    testHost: run.host,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const log = run.onLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        log(util.format(...(Array.isArray(args) ? args : [args])));
      });
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(run.extensionPath)],
      ['extensionTestsPath', remote(run.testsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timeoutMs = run.timeoutMs ?? 15 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`[host] the test run did not finish within ${Math.round(timeoutMs / 1000)} s`);
        resolve(124);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

/** Copies a fixture folder to a fresh temp folder, so runs never change the fixtures. */
export async function copyWorkspace(source: string): Promise<string> {
  const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'bpl-ws-'));
  await fs.cp(source, dest, { recursive: true });
  return dest;
}

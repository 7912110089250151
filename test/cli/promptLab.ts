// Runs the prompt-lab binary (dist/cli.js, as `npm ci && npm run build` leaves it) as a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../host/codeServer';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function promptLab(
  args: string[],
  opts: {
    cwd: string;
    env?: Record<string, string>;
    onStdout?: (text: string, kill: () => void) => void;
    onStderr?: (text: string) => void;
    /** Called every 20 ms while the child runs: the test interrupts it (Ctrl+C) when what it waits for is there. */
    whileRunning?: (kill: () => void) => void;
    /**
     * Run it on a pseudo-terminal, as in a user's shell: util-linux's `script` (Debian's essential bsdutils)
     * gives it one. Its stdout and stderr then arrive together on stdout, as a terminal shows them.
     */
    terminal?: boolean;
  },
): Promise<Ran> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const [command, commandArgs] = opts.terminal
    ? ['script', ['-qec', [process.execPath, CLI, ...args].map(quote).join(' '), '/dev/null']]
    : [process.execPath, [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: opts.cwd,
      // Only what a CI job would set: no profile files from this machine.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: opts.cwd,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...opts.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout, () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr);
    });
    // One Ctrl+C, however often the test asks: a second one would end the process before it reports.
    let interrupted = false;
    const interrupt = () => {
      if (!interrupted) child.kill('SIGINT');
      interrupted = true;
    };
    const poll = opts.whileRunning && setInterval(() => opts.whileRunning!(interrupt), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

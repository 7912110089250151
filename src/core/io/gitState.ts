// The commit a folder is at, for records that must say what they measured (evaluation history). Asks git
// itself (a repository's state has too many forms to read by hand: worktrees, packed refs, submodules),
// asynchronously, and answers undefined where git or a repository is missing.
import { execFile } from 'node:child_process';

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim()),
    );
  });
}

export async function gitState(folder: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  const commit = await git(['rev-parse', 'HEAD'], folder);
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  const status = await git(['status', '--porcelain', '--untracked-files=no'], folder);
  return { commit, dirty: !!status };
}

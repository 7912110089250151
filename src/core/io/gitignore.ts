// Which workspace files git would not track, as git decides it: `.git/info/exclude`, the root
// `.gitignore` and every nested `.gitignore` (its patterns relative to its own folder, deeper files
// overriding shallower ones, a negation re-including), and a file under an excluded folder stays
// excluded. `.git/` and `node_modules/` are never packed, ignore files or not. Matching is the `ignore`
// package's (the rules of `git check-ignore`).
import ignore, { type Ignore } from 'ignore';

/** Folders never read into a dataset, whatever the ignore files say. */
const ALWAYS_EXCLUDED = ignore().add(['.git/', 'node_modules/']);

/**
 * A predicate for paths (relative to the workspace folder, `/`-separated) that git ignores.
 * @param ignoreFiles `.gitignore` texts by the folder that holds them (`''` for the root)
 * @param excludeText the text of `.git/info/exclude` (root-relative, lowest precedence)
 */
export function gitignoreFilter(
  ignoreFiles: ReadonlyMap<string, string> | string,
  excludeText = '',
): (relPath: string) => boolean {
  const files = typeof ignoreFiles === 'string' ? new Map([['', ignoreFiles]]) : ignoreFiles;
  // Lowest precedence first: info/exclude, then each folder's .gitignore from the root down.
  const levels: { dir: string; ig: Ignore }[] = [];
  if (excludeText.trim()) levels.push({ dir: '', ig: ignore().add(excludeText) });
  for (const [dir, text] of [...files].sort((a, b) => depth(a[0]) - depth(b[0])))
    if (text.trim()) levels.push({ dir: dir.replace(/\/+$/, ''), ig: ignore().add(text) });

  const ignoredAt = (rel: string): boolean => {
    let ignored = false;
    for (const { dir, ig } of levels) {
      if (dir && !rel.startsWith(`${dir}/`)) continue;
      const inDir = dir ? rel.slice(dir.length + 1) : rel;
      if (!inDir) continue; // the folder that holds the .gitignore itself
      const r = ig.test(inDir);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  };
  return (rel) => {
    if (ALWAYS_EXCLUDED.ignores(rel)) return true;
    // A file in an ignored folder cannot be re-included (git does not look inside it).
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (ignoredAt(`${parts.slice(0, i).join('/')}/`)) return true;
    return ignoredAt(rel);
  };
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

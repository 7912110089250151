import ignore from 'ignore';

/** A predicate for paths (relative, `/`-separated) that a `.gitignore` text excludes. */
export function gitignoreFilter(gitignoreText: string): (relPath: string) => boolean {
  const ig = ignore().add(gitignoreText);
  return (rel) => ig.ignores(rel);
}

// The files a command works on: files given as they are (or as `given` maps them), folders searched for
// the names `matches` accepts; node_modules and dot-folders are skipped. Sorted, each once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BedrockError } from '../core/shared/bedrockError';

export interface FileSearch {
  /** A file name a folder search takes. */
  matches(name: string): boolean;
  /** The file to use for one given by path (throw to refuse it); the default takes it as it is. */
  given?(file: string): string;
  /** What to give, for the message about a path that does not exist ("prompts or folders that hold them"). */
  what: string;
}

export async function filesUnder(paths: string[], search: FileSearch): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (p: string): Promise<void> => {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new BedrockError('PromptInvalid', `${p} does not exist: give ${search.what}.`);
    if (stat.isFile()) {
      found.add(path.resolve(search.given ? search.given(p) : p));
      return;
    }
    for (const entry of await fs.readdir(p, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = path.join(p, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && search.matches(entry.name)) found.add(path.resolve(child));
    }
  };
  for (const p of paths) await walk(p);
  return [...found].sort();
}

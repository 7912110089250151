// A prompt's media and partials, read relative to the prompt file and only from inside its root (the
// workspace folder in the editor; the working directory or the prompt's own folder in the CLI): the real
// path, with symlinks resolved, must stay there, so a path (or a value that became one) cannot send
// `~/.ssh` to Bedrock. The one home of that rule: the editor and the CLI both read through it.
import { existsSync, promises as fs, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeContext } from '../format/analyze';
import type { PromptFiles } from '../format/render';

export const OUTSIDE = 'PathOutsideWorkspace';

export function outsideError(shown: string): Error {
  const err = new Error(
    `${shown} is outside the workspace folder: media and partials are read only from inside it. Copy the file into the workspace.`,
  );
  err.name = OUTSIDE;
  return err;
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Throws OUTSIDE when the file's real path is not under the root's; `shown` names it in the message. */
export async function requireInside(root: string, file: string, shown: string): Promise<void> {
  const [realRoot, realTarget] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
  if (!isInside(realRoot, realTarget)) throw outsideError(shown);
}

/**
 * PromptFiles for a prompt on disk. `read` reads a checked path (the editor passes its workspace file
 * system; the default is Node's); `shown` names a path in messages.
 */
export function confinedPromptFiles(
  promptPath: string,
  root: string,
  read: (file: string) => Promise<Uint8Array> = (file) => fs.readFile(file),
  shown: (file: string) => string = (file) => path.relative(root, file) || file,
): PromptFiles {
  const dir = path.dirname(promptPath);
  return {
    readBytes: async (rel) => {
      const file = path.join(dir, rel);
      await requireInside(root, file, shown(file));
      return read(file);
    },
    readPartial: async (name) => {
      const file = path.join(dir, `_${name}.prompt`);
      try {
        await requireInside(root, file, shown(file));
      } catch (err) {
        if ((err as Error).name === OUTSIDE) throw err;
        return undefined; // no such partial
      }
      try {
        return Buffer.from(await read(file)).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * What the analysis of a prompt on disk asks about the files around it: whether media and partials
 * exist, whether a media path leads outside the root, and the partials' templates (so inputs read inside
 * them count). The editor's diagnostics and `prompt-lab` read it the same way.
 */
export function diskAnalysisContext(
  promptPath: string,
  root: string,
): Required<Pick<AnalyzeContext, 'fileExists' | 'outsideWorkspace' | 'partialExists' | 'partialTemplates'>> {
  const dir = path.dirname(promptPath);
  const partialFile = (name: string) => path.join(dir, `_${name}.prompt`);
  return {
    fileExists: (rel) => existsSync(path.resolve(dir, rel)),
    outsideWorkspace: (rel) => {
      const target = path.resolve(dir, rel);
      try {
        return !isInside(realpathSync(root), realpathSync(target));
      } catch {
        return !isInside(root, target); // does not exist (yet): judged by the path as written
      }
    },
    partialExists: (name) => existsSync(partialFile(name)),
    // Partials are small and read on demand, when the analysis meets one.
    partialTemplates: new Proxy({} as Record<string, string>, {
      get: (_t, name) => {
        if (typeof name !== 'string') return undefined;
        try {
          return readFileSync(partialFile(name), 'utf8');
        } catch {
          return undefined;
        }
      },
    }),
  };
}

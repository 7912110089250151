// The dataset's files on disk: written to temporary names, renamed together or not at all, and never
// left behind. A write error (a full disk, a folder that is not writable) fails the build with words and
// removes the temporary files; it never leaves the build waiting. The pair is committed through a small
// journal so that an interrupted commit is finished by the next build instead of mixing two builds.
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';

export type OpenStream = (file: string) => WriteStream;

const defaultOpen: OpenStream = (file) =>
  // A 1 MB buffer: with the default 16 KB every record of a few KB waited for its own write; now queued
  // records go out together (writev), and memory stays bounded.
  createWriteStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024, flags: 'wx', mode: 0o600 });

const TEMP = /^(train|validation)\.jsonl\.(\d+)\.(\d+)\.tmp$/;
export const JOURNAL = '.bedrock-dataset-commit.json';

/** A file being written under a temporary name; the first write error is kept and reported once. */
export class TempFile {
  readonly tmp: string;
  readonly stream: WriteStream;
  bytes = 0;
  private failure?: Error;

  constructor(
    readonly finalPath: string,
    open: OpenStream = defaultOpen,
  ) {
    this.tmp = `${finalPath}.${process.pid}.${Date.now()}.tmp`;
    this.stream = open(this.tmp);
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Resolves at once, or when the stream has room again (back-pressure); rejects on a write error. */
  write(line: string): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.bytes += Buffer.byteLength(line) + 1;
    if (this.stream.write(`${line}\n`)) return undefined;
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', done);
        this.stream.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(this.failure ?? new Error('the file was closed while being written'));
      this.stream.once('drain', onDrain);
      this.stream.once('error', done);
      this.stream.once('close', onClose);
    });
  }

  /** Flushes and closes; rejects with the write error if there was one. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
    if (this.failure) throw this.failure;
  }

  async discard(): Promise<void> {
    if (!this.stream.closed) this.stream.destroy();
    await fs.rm(this.tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * Gives the new files their names. The journal is written first; then the old validation file goes,
 * then train, then validation are renamed in: at no moment does a new train.jsonl sit beside the old
 * validation.jsonl, and an interrupted commit is finished by `recoverOutput`.
 */
export async function commitDataset(dir: string, train: TempFile, validation: TempFile | undefined): Promise<void> {
  const journal = path.join(dir, JOURNAL);
  const entries: [string, string][] = [[path.basename(train.tmp), path.basename(train.finalPath)]];
  if (validation) entries.push([path.basename(validation.tmp), path.basename(validation.finalPath)]);
  try {
    await fs.writeFile(`${journal}.tmp`, JSON.stringify({ renames: entries }));
    await fs.rename(`${journal}.tmp`, journal);
  } catch (err) {
    await fs.rm(`${journal}.tmp`, { force: true }).catch(() => undefined);
    throw err;
  }
  await fs.rm(path.join(dir, 'validation.jsonl'), { force: true });
  for (const [from, to] of entries) await fs.rename(path.join(dir, from), path.join(dir, to));
  await fs.rm(journal, { force: true });
}

/**
 * Before a build (or an upload) reads the folder: finishes a commit that was interrupted, and removes
 * temporary files of earlier builds that are no longer running. Returns what it did, for the report.
 */
export async function recoverOutput(dir: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  const notes: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return notes; // no folder yet
  }
  const journal = path.join(dir, JOURNAL);
  const pending = new Set<string>();
  if (names.includes(JOURNAL)) {
    try {
      const { renames } = JSON.parse(await fs.readFile(journal, 'utf8')) as { renames: [string, string][] };
      for (const [from, to] of renames) {
        if (!TEMP.test(from) || !/^(train|validation)\.jsonl$/.test(to)) continue;
        if (names.includes(from)) {
          await fs.rename(path.join(dir, from), path.join(dir, to));
          pending.add(from);
        }
      }
      notes.push(
        'An earlier build was interrupted while its files were being renamed; its train.jsonl and validation.jsonl were completed.',
      );
    } catch {
      notes.push('An unreadable commit journal of an earlier build was removed.');
    }
    await fs.rm(journal, { force: true });
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || pending.has(name)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true });
    notes.push(`Removed ${name}, left by an earlier build that did not finish.`);
  }
  return notes;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** A write or folder error as a message that names the folder and the fix. */
export function outputErrorMessage(err: unknown, dir: string): string {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full: the dataset could not be written to ${dir}. Free some space, or choose another output folder. Nothing was kept.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `The output folder ${dir} is not writable (${code}): choose another folder, or allow writing to it. Nothing was kept.`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `The output folder ${dir} cannot be created: a file is in the way (${code}). Choose another folder.`;
    default:
      return `The dataset could not be written to ${dir} (${code ?? (err as Error)?.message ?? String(err)}). Nothing was kept.`;
  }
}

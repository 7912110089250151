import { promises as fs } from 'node:fs';

/**
 * Writes a file under a temporary name beside it, then renames it into place: a reader never sees half a
 * file, and a failed write leaves nothing behind (the temporary file is removed).
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, data, { mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

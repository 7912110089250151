import { readFile } from 'node:fs';

/**
 * Reads a UTF-8 file. The callback form of readFile, not fs.promises: for many small files it is
 * markedly faster (one read of the known size instead of chunked reads through a FileHandle).
 */
export function readTextFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => readFile(file, 'utf8', (err, text) => (err ? reject(err) : resolve(text))));
}

import { readFile } from 'node:fs';

/** A file whose bytes are not text in an encoding it declares (or UTF-8), with the line of the first bad byte. */
export class EncodingError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'EncodingError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Bytes as text: a UTF-8 byte order mark is dropped, UTF-16 with a byte order mark is decoded, anything
 * else must be valid UTF-8. Invalid bytes are an EncodingError naming the line, never U+FFFD slipped
 * into training data.
 */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return utf8.decode(bytes); // drops a UTF-8 BOM (ignoreBOM: false)
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const at = lenient.indexOf('\ufffd');
    const line = lenient.slice(0, Math.max(0, at)).split('\n').length;
    throw new EncodingError(
      `line ${line} has bytes that are not UTF-8: save the file as UTF-8 (or UTF-16 with a byte order mark).`,
      line,
    );
  }
}

/** Text with a leading byte order mark removed (files read as strings elsewhere). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads a text file (see decodeText). The callback form of readFile, not fs.promises: for many small files
 * it is markedly faster (one read of the known size instead of chunked reads through a FileHandle).
 */
export function readTextFile(file: string): Promise<string> {
  return new Promise((resolve, reject) =>
    readFile(file, (err, bytes) => {
      if (err) return reject(err);
      try {
        resolve(decodeText(bytes));
      } catch (e) {
        reject(e);
      }
    }),
  );
}

/** A file-system error as words: what is wrong with the path and what to do. */
export function fileErrorMessage(err: unknown): string {
  const code = (err as { code?: string })?.code;
  if (err instanceof EncodingError) return err.message;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied. Allow your user to read it, or leave it out of the sources.';
    case 'EISDIR':
      return 'is a folder, not a file.';
    case 'ENOENT':
      return 'does not exist (it was moved or deleted while the build ran).';
    default:
      return `cannot be read (${code ?? (err as Error)?.message ?? String(err)}).`;
  }
}

import { createReadStream, readFile } from 'node:fs';

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
export function decodeText(bytes: Uint8Array): string {
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

/**
 * A file's text a piece at a time, decoded by the same rules as decodeText (UTF-8, or UTF-16 with a byte
 * order mark; bytes that are not text are an EncodingError naming the line), in bounded memory.
 */
export async function* decodedPieces(file: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head = new Uint8Array(0);
  let line = 1;
  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      return decoder!.decode(bytes, { stream });
    } catch {
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const at = Math.max(0, lenient.indexOf('\ufffd'));
      const bad = line + (lenient.slice(0, at).match(/\n/g)?.length ?? 0);
      throw new EncodingError(
        `line ${bad} has bytes that are not UTF-8: save the file as UTF-8 (or UTF-16 with a byte order mark).`,
        bad,
      );
    }
  };
  const counted = (text: string) => {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
    return text;
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Uint8Array>) {
    let bytes = chunk;
    if (!decoder) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) continue;
      bytes = head;
      const bom =
        head[0] === 0xff && head[1] === 0xfe
          ? 'utf-16le'
          : head[0] === 0xfe && head[1] === 0xff
            ? 'utf-16be'
            : undefined;
      if (bom) {
        decoder = new TextDecoder(bom);
        bytes = head.subarray(2);
      } else decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    }
    const text = decode(bytes, true);
    if (text) yield counted(text);
  }
  if (!decoder) {
    // A file of fewer than three bytes.
    const text = decodeText(head);
    if (text) yield text;
    return;
  }
  const rest = decode(new Uint8Array(0), false);
  if (rest) yield counted(rest);
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

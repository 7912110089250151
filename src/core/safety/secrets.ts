// Secret scanning: credentials and keys must never end up in training data that leaves the machine.
// The rules are the project's table (src/core/shared/secretRules.ts, shared with log redaction); the dataset
// engine adds secretlint's maintained preset on top (secretScan.ts).
import { findSecrets, maskSecrets } from '../shared/secretRules';

export interface SecretFinding {
  kind: string;
  path: string;
  line: number;
  /** The match with its middle masked, for the report. */
  preview: string;
}

export function mask(s: string): string {
  if (s.length <= 8) return '****';
  return `${s.slice(0, 4)}${'*'.repeat(Math.min(12, s.length - 8))}${s.slice(-4)}`;
}

/** Finds secrets in `text` with the project's rule table; line numbers are counted from `firstLine`. */
export function scanSecrets(text: string, path: string, firstLine = 1): SecretFinding[] {
  return findSecrets(text).map((m) => ({
    kind: m.kind,
    path,
    line: firstLine + countNewlines(text, m.start),
    preview: mask(text.slice(m.start, m.end)),
  }));
}

/** Replaces every secret with `[REDACTED <kind>]`; a private key goes whole (header, body and footer). */
export function redactSecrets(text: string): string {
  return maskSecrets(redactKeyBlocks(text));
}

const KEY_HEADER = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

/**
 * Each PEM private key from its BEGIN line to its END line; without an END line (a truncated key), to the
 * end of its base64 body. One pass, no backtracking over the body.
 */
export function keyBlockRanges(text: string): { kind: string; start: number; end: number }[] {
  if (!text.includes('PRIVATE KEY')) return [];
  const out: { kind: string; start: number; end: number }[] = [];
  KEY_HEADER.lastIndex = 0;
  for (let m = KEY_HEADER.exec(text); m; m = KEY_HEADER.exec(text)) {
    const start = m.index;
    const footer = `-----END ${m[1]}-----`;
    const from = start + m[0].length;
    // The footer is looked for only up to the next header: every character is looked at about once.
    const limit = Math.min(text.length, nextHeader(text, from));
    const endAt = text.slice(from, limit).indexOf(footer);
    let end: number;
    if (endAt >= 0) end = from + endAt + footer.length;
    else {
      end = from;
      // Headers (`Proc-Type: …`), then the base64 body, possibly with escaped newlines (`\\n` in JSON).
      while (end < limit && /[A-Za-z0-9+/=\s:,\\-]/.test(text[end]) && !text.startsWith('-----', end)) end++;
    }
    out.push({ kind: 'private key', start, end });
    KEY_HEADER.lastIndex = end;
  }
  return out;
}

/** The text with each PEM private key replaced whole (header, body and footer). */
export function redactKeyBlocks(text: string): string {
  let out = '';
  let at = 0;
  for (const r of keyBlockRanges(text)) {
    out += `${text.slice(at, r.start)}[REDACTED private key]`;
    at = r.end;
  }
  return out + text.slice(at);
}

function nextHeader(text: string, from: number): number {
  const i = text.indexOf('-----BEGIN', from);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

export function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// Secret scanning: credentials and keys must never end up in training data that leaves the machine.

export interface SecretFinding {
  kind: string;
  path: string;
  line: number;
  /** The match with its middle masked, for the report. */
  preview: string;
}

const DETECTORS: { kind: string; pattern: RegExp }[] = [
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { kind: 'AWS secret access key', pattern: /(?:aws_secret_access_key|secretAccessKey|SecretAccessKey|AWS_SECRET_ACCESS_KEY)["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/g },
  { kind: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'GitHub token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'Stripe secret key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,}\b/g },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g },
  { kind: 'password assignment', pattern: /\b(?:password|passwd|pwd)["']?\s*[:=]\s*["'][^"'\s]{6,}["']/gi },
  { kind: 'connection string with password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]{4,}@[^\s/]+/gi },
];

function mask(s: string): string {
  if (s.length <= 8) return '****';
  return `${s.slice(0, 4)}${'*'.repeat(Math.min(12, s.length - 8))}${s.slice(-4)}`;
}

/** Something every detector's match contains: one cheap pass decides whether the detectors must run. */
const TRIGGER = /A[KSBC][IC]A|secret|PRIVATE KEY|gh[pousr]_|github_pat_|xox[abprs]-|AIza|_live_|eyJ|passw|pwd|:\/\//i;

/** Finds secrets in `text`; line numbers are counted from `firstLine`. */
export function scanSecrets(text: string, path: string, firstLine = 1): SecretFinding[] {
  if (!TRIGGER.test(text)) return [];
  const findings: SecretFinding[] = [];
  for (const { kind, pattern } of DETECTORS) {
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      const line = firstLine + countNewlines(text, m.index ?? 0);
      findings.push({ kind, path, line, preview: mask(m[0]) });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** Replaces every secret with `[REDACTED <kind>]`; a private key goes whole (header, body and footer). */
export function redactSecrets(text: string): string {
  if (!TRIGGER.test(text)) return text;
  let out = redactKeyBlocks(text);
  for (const { kind, pattern } of DETECTORS) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, `[REDACTED ${kind}]`);
  }
  return out;
}

const KEY_HEADER = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

/**
 * A PEM private key from its BEGIN line to its END line; without an END line (a truncated key), to the
 * end of its base64 body. One pass, no backtracking over the body.
 */
function redactKeyBlocks(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let at = 0;
  KEY_HEADER.lastIndex = 0;
  for (let m = KEY_HEADER.exec(text); m; m = KEY_HEADER.exec(text)) {
    const start = m.index;
    if (start < at) continue;
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
    out += `${text.slice(at, start)}[REDACTED private key]`;
    at = end;
    KEY_HEADER.lastIndex = end;
  }
  return out + text.slice(at);
}

function nextHeader(text: string, from: number): number {
  const i = text.indexOf('-----BEGIN', from);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

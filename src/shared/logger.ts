// The one logging interface. Pure code takes a Logger; the VS Code side backs it with a
// LogOutputChannel, tests with the null logger. Credentials never go through it (see redact()).

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************'],
  [/(aws_secret_access_key|secretAccessKey|SecretAccessKey)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{20,}/g, '$1$2****'],
  [/(aws_session_token|sessionToken|SessionToken|x-amz-security-token)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{20,}/gi, '$1$2****'],
  [/(Authorization["']?\s*[:=]\s*["']?)(AWS4-HMAC-SHA256|Bearer)[^"'\n]*/gi, '$1$2 ****'],
];

/** Masks AWS keys, secrets, session tokens and authorization headers in text bound for a log. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// The one logging interface. Pure code takes a Logger; the VS Code side backs it with a
// LogOutputChannel. Credentials never go through it (see redact()).
import { maskSecrets } from './secretRules';

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export function redact(text: string): string {
  // The scanner's own rule table; in a log even AWS's documented example keys are masked.
  return maskSecrets(
    text,
    (_m, value) => `${value.slice(0, 4)}${'*'.repeat(Math.min(16, Math.max(4, value.length - 4)))}`,
    { skipPlaceholders: false },
  );
}

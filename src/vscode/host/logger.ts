import vscode = require('vscode');
import { redact, type Logger } from '../../core/shared/logger';

/** The extension's one log: a LogOutputChannel (its level is the user's choice), with secrets masked. */
export class OutputLogger implements Logger, vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Bedrock Prompt Lab', { log: true });

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(redact(message), ...args.map(safe));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(redact(message), ...args.map(safe));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(redact(message), ...args.map(safe));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(redact(message), ...args.map(safe));
  }
  error(message: string | Error, ...args: unknown[]): void {
    const text = message instanceof Error ? `${message.name}: ${message.message}` : message;
    this.channel.error(redact(text), ...args.map(safe));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}

function safe(arg: unknown): unknown {
  if (typeof arg === 'string') return redact(arg);
  if (arg instanceof Error) return redact(`${arg.name}: ${arg.message}`);
  try {
    return redact(JSON.stringify(arg));
  } catch {
    return String(arg);
  }
}

// Progress of a long command on stderr: on a terminal, one line rewritten in place (done of total, cost so
// far, time left); piped (a CI log), a plain line at every tenth of the work; nothing with --quiet.
// Colors go through picocolors, which honours NO_COLOR, FORCE_COLOR and dumb terminals.
import pc from 'picocolors';
import { formatUsd } from '../core/shared/money';

export interface ProgressLine {
  /** `costUsd` undefined: the work costs nothing (a local build). */
  update(done: number, costUsd: number | undefined, note?: string): void;
  /** Clears the line on a terminal: before other output, and at the end (the command prints its summary). */
  end(): void;
}

export function progressLine(
  total: number,
  unit: string,
  opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): ProgressLine {
  const stream = opts.stream ?? process.stderr;
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastTenth = 0;
  if (opts.quiet || total === 0) return { update: () => undefined, end: () => undefined };
  const text = (done: number, costUsd: number | undefined, note?: string) => {
    const elapsed = performance.now() - started;
    const left = done > 0 && done < total ? ` · ~${Math.ceil(((elapsed / done) * (total - done)) / 1000)} s left` : '';
    const cost = costUsd === undefined ? '' : ` · ~${formatUsd(costUsd)}`;
    return `${done}/${total} ${unit}${cost}${left}${note ? ` · ${note}` : ''}`;
  };
  return {
    update(done, costUsd, note) {
      if (tty) {
        stream.write(`\r\x1b[K${text(done, costUsd, note)}`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${text(done, costUsd, note)}\n`);
      }
    },
    end() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}

/** Colors for stdout's reports (off with NO_COLOR, or when stdout is not a terminal and CI is unset). */
export const colors = pc;

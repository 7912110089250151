// Where things are in a .prompt file: the frontmatter between `---` lines and the template after it,
// with offsets so every problem can point at its place.

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  severity: Severity;
  message: string;
  range: Range;
  /** Stable identifier, e.g. 'yaml', 'unknown-key', 'undeclared-variable'. */
  code: string;
}

/** Maps offsets to line/character positions. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  offset(pos: Position): number {
    const start = this.starts[Math.max(0, Math.min(pos.line, this.starts.length - 1))];
    return Math.min(this.text.length, start + pos.character);
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

export interface PromptSource {
  text: string;
  /** Offsets of the frontmatter's content (between the fences); undefined when there is none. */
  frontmatter?: { start: number; end: number; text: string; closed: boolean };
  /** Offset where the template starts. */
  bodyStart: number;
  body: string;
}

/** Splits like Dotprompt: `---` on the first line, YAML, a `---` line, then the template. */
export function splitPrompt(text: string): PromptSource {
  // A byte order mark before the fence is not part of the prompt (editors on Windows write one).
  const open = /^\uFEFF?---[ \t]*(\r\n|\r|\n)/.exec(text);
  if (!open) return { text, bodyStart: 0, body: text };
  const start = open[0].length;
  const close = /(^|\r\n|\r|\n)---[ \t]*(\r\n|\r|\n|$)/g;
  close.lastIndex = start - 1;
  let m: RegExpExecArray | null;
  while ((m = close.exec(text))) {
    const fenceStart = m.index + m[1].length;
    if (fenceStart < start) continue;
    const end = m.index;
    const bodyStart = m.index + m[0].length;
    return {
      text,
      frontmatter: { start, end: Math.max(start, end), text: text.slice(start, Math.max(start, end)), closed: true },
      bodyStart,
      body: text.slice(bodyStart),
    };
  }
  return {
    text,
    frontmatter: { start, end: text.length, text: text.slice(start), closed: false },
    bodyStart: text.length,
    body: '',
  };
}

/** Media paths may be percent-encoded (Dotprompt cannot take spaces); a malformed one is used as is. */
export function safeDecodeUri(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** Whether a path (`/` or `\` separated) is a partial, `_name.prompt`: a piece of other prompts, not run on its own. */
export function isPartialPath(p: string): boolean {
  return /(^|[\\/])_[^\\/]+\.prompt$/.test(p);
}

/** Document names may hold letters, digits, single spaces, hyphens, parentheses and square brackets. */
export function documentName(url: string): string {
  const base = (safeDecodeUri(url).split(/[\\/]/).pop() ?? 'document').replace(/\.[^.]+$/, '');
  return (
    base
      .replace(/[^a-zA-Z0-9 \-()[\]]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200) || 'document'
  );
}

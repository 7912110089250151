// The conversation lives in the file: each run appends the model's answer as a `{{role "model"}}` turn
// (with the tool calls it made as `{{#toolUse}}` blocks), then the next user turn: empty for the next
// message, or `{{#toolResult}}` blocks for the user to fill in. This file is the one WRITER of that
// grammar; `conversationReader.ts` is the one reader (a property test checks that reading what was
// written gives back the same turns and texts). Text is escaped so the next run sends it back as the
// same text and never evaluates it as template syntax; comments are written so nothing can end them.

const ZWSP = '\u200b';
const MARKER_TAIL = '<dotprompt:';

/**
 * Makes text literal inside a Handlebars template, and reversibly: `conversationReader` and the renderer
 * give back exactly the text that went in.
 * - `{{` is escaped as `\{{` (Handlebars' own escape); backslashes right before `{{` would combine with
 *   that escape, so there one more backslash and an empty comment `{{!}}` go before `\{{`.
 * - Dotprompt's markers (`<<<dotprompt:role:system>>>`…) get one more zero-width space after `<<`, so
 *   another Dotprompt tool (Genkit) reads text, not structure; this project's renderer never reads markers
 *   from text and takes the one space out again (`unescapeMarkers`).
 *
 * It takes text in pieces (a stream) with the same result as in one piece, in time linear in the text:
 * a lone trailing `{` and a trailing start of `<dotprompt:` wait for the next piece.
 */
export class TemplateTextEscaper {
  private held = '';
  /** Whether the text written so far ends with a backslash (a `{{` next needs the `{{!}}` form). */
  private afterBackslash = false;
  /** How the text written so far ends, for markers: 0 other, 1 `<`, 2 `<<`, 3 `<<` then zero-width spaces. */
  private markerState: 0 | 1 | 2 | 3 = 0;

  push(chunk: string): string {
    const text = this.held + chunk;
    const cut = holdBackFrom(text);
    this.held = text.slice(cut);
    return this.escape(text.slice(0, cut));
  }

  /** The text still held back, escaped: call once at the end. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.escape(rest);
  }

  private escape(text: string): string {
    if (text.length === 0) return '';
    const out: string[] = [];
    let at = 0;
    for (const m of text.matchAll(/\{\{|<(?=dotprompt:)/g)) {
      const i = m.index;
      out.push(text.slice(at, i));
      if (m[0] === '{{') {
        const backslash = i > 0 ? text.charCodeAt(i - 1) === 92 : this.afterBackslash;
        out.push(backslash ? '\\{{!}}\\{{' : '\\{{');
        at = i + 2;
      } else {
        if (this.endsWithMarkerStart(text, i)) out.push(ZWSP);
        at = i;
      }
    }
    out.push(text.slice(at));
    this.afterBackslash = text.charCodeAt(text.length - 1) === 92;
    this.markerState = markerStateAfter(this.markerState, text);
    return out.join('');
  }

  /** Whether the text before offset `i` (with what was written before) ends with `<<` and zero-width spaces. */
  private endsWithMarkerStart(text: string, i: number): boolean {
    let j = i;
    while (j > 0 && text[j - 1] === ZWSP) j--;
    if (j === 0) return this.markerState >= 2;
    if (text[j - 1] !== '<') return false;
    // The `<` at the start of this text needs a `<` right before it in what was written.
    return j >= 2 ? text[j - 2] === '<' : this.markerState === 1 || this.markerState === 2;
  }
}

/** Where the part of `text` that may still change with what follows begins (a lone `{`, a start of `<dotprompt:`). */
function holdBackFrom(text: string): number {
  const n = text.length;
  // A trailing run of `{` pairs from its start: an odd run leaves its last `{` waiting for a partner.
  let braces = 0;
  while (braces < n && text.charCodeAt(n - 1 - braces) === 123) braces++;
  if (braces % 2 === 1) return n - 1;
  for (let k = Math.min(MARKER_TAIL.length - 1, n); k > 0; k--)
    if (text.endsWith(MARKER_TAIL.slice(0, k))) return n - k;
  return n;
}

function markerStateAfter(before: 0 | 1 | 2 | 3, text: string): 0 | 1 | 2 | 3 {
  let j = text.length;
  while (j > 0 && text[j - 1] === ZWSP) j--;
  const spaces = j < text.length;
  if (j === 0) return spaces ? (before >= 2 ? 3 : 0) : before;
  if (text[j - 1] !== '<') return 0;
  const twoLt = j >= 2 ? text[j - 2] === '<' : before === 1 || before === 2;
  if (twoLt) return spaces ? 3 : 2;
  return spaces ? 0 : 1;
}

export function escapeTemplateText(text: string): string {
  const e = new TemplateTextEscaper();
  return e.push(text) + e.end();
}

/** Takes out the zero-width space `escapeTemplateText` put into a Dotprompt marker: the text as it was. */
export function unescapeMarkers(text: string): string {
  return text.includes('<dotprompt:') ? text.replace(/<<(\u200b*)\u200b<(?=dotprompt:)/g, '<<$1<') : text;
}

export type TurnEnd = 'complete' | 'stopped' | 'failed';

export const MODEL_TURN_HEADER = '{{role "model"}}';
export const USER_TURN_HEADER = '{{role "user"}}';
/** Comments a run writes start with this (metrics, and the marker of a partial answer). */
export const RUN_COMMENT_PREFIX = 'bedrock:';
export const PARTIAL_ANSWER = /^bedrock: (stopped|failed)\b/;
export const REASONING_COMMENT_PREFIX = 'reasoning:';

/**
 * A Handlebars comment holding any text: not rendered, so never sent to the model. Every way Handlebars
 * ends a comment (`--}}`, `--~}}`, and `}}` for the short form) needs `}}`, so a space goes between any
 * two closing braces: nothing inside can end it.
 */
export function comment(text: string): string {
  return `{{!-- ${text.replace(/\}(?=\})/g, '} ')} --}}`;
}

/** The marker of a partial answer: the dataset build refuses such a turn. */
function turnMarker(end: TurnEnd, detail?: string): string {
  if (end === 'complete') return '';
  const what = end === 'stopped' ? 'stopped by the user' : `failed${detail ? `: ${detail}` : ''}`;
  return comment(`${RUN_COMMENT_PREFIX} ${what}; the answer above is partial`);
}

/** What goes before the streamed text: a newline if needed, then the model turn marker. */
export function modelTurnPrefix(documentText: string): string {
  const sep =
    documentText.length === 0 || documentText.endsWith('\n\n') ? '' : documentText.endsWith('\n') ? '\n' : '\n\n';
  return `${sep}${MODEL_TURN_HEADER}\n`;
}

/** What goes after the streamed text: tool calls, the end marker (if any), a metrics comment, the next user turn. */
export function modelTurnSuffix(end: TurnEnd, detail?: string, metrics?: string, calls: ToolCallText[] = []): string {
  const marker = turnMarker(end, detail);
  const info = metrics ? `${comment(metrics)}\n` : '';
  const tools = calls.map((c) => `\n${toolUseBlock(c)}`).join('');
  return `${tools}\n${marker ? `${marker}\n` : ''}${info}\n${nextUserTurn(end === 'complete' ? calls : [])}`;
}

/**
 * What came with an answer (what was retrieved for it, its citations, what a guardrail did), shown after it as a labelled comment:
 * readable, never sent back, the text in it (quoted documents, matched words) kept inert.
 */
export function labelledComment(
  label: 'citations' | 'guardrail' | 'retrieved' | 'agent',
  lines: readonly string[],
): string {
  return `${comment(`${label}:\n${lines.join('\n')}\n`)}\n`;
}

/** Reasoning is shown in the turn as a comment: readable, and never sent back. */
export function reasoningComment(reasoning: string): string {
  return `${comment(`${REASONING_COMMENT_PREFIX}\n${reasoning.trim()}\n`)}\n`;
}

export interface ToolCallText {
  name: string;
  toolUseId: string;
  input: unknown;
}

/** A hash argument's string literal: ids and names are [A-Za-z0-9_.:-], anything else is dropped. */
function literal(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.:-]/g, '');
}

/** A tool call the model made, as the file holds it: a block the next run sends back as a `toolUse`. */
function toolUseBlock(call: ToolCallText): string {
  const input = JSON.stringify(call.input ?? {});
  return `{{#toolUse id="${literal(call.toolUseId)}" name="${literal(call.name)}"}}${escapeTemplateText(input)}{{/toolUse}}`;
}

/** Where the user writes a tool's result (JSON or text): one block per call; the run sends them back. */
function toolResultBlock(call: ToolCallText): string {
  return `{{#toolResult id="${literal(call.toolUseId)}"}}\n\n{{/toolResult}}`;
}

/** The next user turn after an answer: empty, or the tool results to fill in. */
function nextUserTurn(calls: ToolCallText[]): string {
  return `${USER_TURN_HEADER}\n${calls.map((c) => `${toolResultBlock(c)}\n`).join('')}`;
}

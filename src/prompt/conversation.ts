// The conversation lives in the file: each run appends the model's answer as a `{{role "model"}}`
// turn (with the tool calls it made as `{{#toolUse}}` blocks), then the next user turn: empty for the
// next message, or `{{#toolResult}}` blocks for the user to fill in. The answer is escaped so the next run sends it
// back as the same text and never evaluates it as template syntax.

/** A marker Dotprompt would read as structure (role, media, history, section), made inert text. */
export function neutralizeMarkers(text: string): string {
  return text.includes('<<<dotprompt:') ? text.replace(/<<<(?=dotprompt:)/g, '<<\u200b<') : text;
}

/**
 * Makes text literal inside a Handlebars template: `{{` is escaped as `\{{` (Handlebars' own escape), and
 * Dotprompt's markers (`<<<dotprompt:role:system>>>`…) are broken by a zero-width space, so a model answer
 * written into the file cannot become structure, here or in another Dotprompt tool.
 */
export function escapeTemplateText(text: string): string {
  text = neutralizeMarkers(text);
  // Backslashes right before `{{` would combine with the escape: one more backslash makes them literal
  // (Handlebars drops one before a real mustache), an empty comment `{{!}}` ends that, then `\{{`.
  return text.replace(/(\\*)\{\{/g, (_m, slashes: string) => (slashes.length > 0 ? `${slashes}\\{{!}}\\{{` : '\\{{'));
}

export type TurnEnd = 'complete' | 'stopped' | 'failed';

/** A Handlebars comment: not rendered, so the marker is never sent to the model. */
function turnMarker(end: TurnEnd, detail?: string): string {
  if (end === 'complete') return '';
  const what = end === 'stopped' ? 'stopped by the user' : `failed${detail ? `: ${commentSafe(detail)}` : ''}`;
  return `{{!-- bedrock: ${what}; the answer above is partial --}}`;
}

export const MODEL_TURN_HEADER = '{{role "model"}}';
const USER_TURN_HEADER = '{{role "user"}}';

/** What goes before the streamed text: a newline if needed, then the model turn marker. */
export function modelTurnPrefix(documentText: string): string {
  const sep =
    documentText.length === 0 || documentText.endsWith('\n\n') ? '' : documentText.endsWith('\n') ? '\n' : '\n\n';
  return `${sep}${MODEL_TURN_HEADER}\n`;
}

/** What goes after the streamed text: tool calls, the end marker (if any), a metrics comment, the next user turn. */
export function modelTurnSuffix(end: TurnEnd, detail?: string, metrics?: string, calls: ToolCallText[] = []): string {
  const marker = turnMarker(end, detail);
  const info = metrics ? `{{!-- ${commentSafe(metrics)} --}}\n` : '';
  const tools = calls.map((c) => `\n${toolUseBlock(c)}`).join('');
  return `${tools}\n${marker ? `${marker}\n` : ''}${info}\n${nextUserTurn(end === 'complete' ? calls : [])}`;
}

/** Text that can sit inside a `{{!-- … --}}` comment without ending it. */
function commentSafe(text: string): string {
  return text.replace(/--\}\}/g, '- -}}').replace(/--(?=\s*\}\})/g, '- -');
}

/** Reasoning and tool calls are shown in the turn as comments: readable, and never sent back. */
export function reasoningComment(reasoning: string): string {
  return `{{!-- reasoning:\n${commentSafe(reasoning.trim())}\n--}}\n`;
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

const ROLE_TAG = /\{\{~?\s*role\s/;
const EMPTY_RESULTS = /\{\{#toolResult id="[^"]*"\}\}\s*\{\{\/toolResult\}\}/g;

/**
 * Where the file ends with an answer a run appended and nothing since (its metrics comment, then the
 * empty next user turn, or tool results not filled in): the offset of that answer's `{{role "model"}}`.
 * Run replaces the answer from there; undefined when the user has written on (Run then continues).
 */
export function appendedAnswerStart(text: string): number | undefined {
  const user = text.lastIndexOf(USER_TURN_HEADER);
  if (
    user < 0 ||
    text
      .slice(user + USER_TURN_HEADER.length)
      .replace(EMPTY_RESULTS, '')
      .trim() !== ''
  )
    return undefined;
  const before = text.slice(0, user).trimEnd();
  if (!before.endsWith('--}}')) return undefined;
  const metrics = before.lastIndexOf('{{!-- bedrock: ');
  if (metrics < 0 || ROLE_TAG.test(before.slice(metrics))) return undefined;
  const model = text.lastIndexOf(MODEL_TURN_HEADER, metrics);
  if (model < 0 || ROLE_TAG.test(text.slice(model + MODEL_TURN_HEADER.length, metrics))) return undefined;
  return model;
}

/**
 * The prompt a run, a comparison, a test or a batch sends: the file without an answer a run appended
 * and nothing was written after (that answer is what Run again replaces; it is not part of the prompt).
 */
export function promptTextForRun(text: string): string {
  const start = appendedAnswerStart(text);
  return start === undefined ? text : text.slice(0, start);
}

/** Whether the file's last user turn holds tool results (filled in or still to fill): Continue is not the next step then. */
export function waitsForToolResults(text: string): boolean {
  const user = text.lastIndexOf(USER_TURN_HEADER);
  return user >= 0 && text.includes('{{#toolResult', user);
}

// The conversation lives in the file: each run appends the model's answer as a `{{role "model"}}`
// turn, then an empty user turn for the next message. The answer is escaped so the next run sends it
// back as the same text and never evaluates it as template syntax.

/** Makes text literal inside a Handlebars template: `{{` is escaped as `\{{` (Handlebars' own escape). */
export function escapeTemplateText(text: string): string {
  // Backslashes right before `{{` would combine with the escape: one more backslash makes them literal
  // (Handlebars drops one before a real mustache), an empty comment `{{!}}` ends that, then `\{{`.
  return text.replace(/(\\*)\{\{/g, (_m, slashes: string) => (slashes.length > 0 ? `${slashes}\\{{!}}\\{{` : '\\{{'));
}

export type TurnEnd = 'complete' | 'stopped' | 'failed';

/** A Handlebars comment: not rendered, so the marker is never sent to the model. */
export function turnMarker(end: TurnEnd, detail?: string): string {
  if (end === 'complete') return '';
  const what = end === 'stopped' ? 'stopped by the user' : `failed${detail ? `: ${detail.replace(/--/g, '- -').replace(/\}\}/g, '} }')}` : ''}`;
  return `{{!-- bedrock: ${what}; the answer above is partial --}}`;
}

export const MODEL_TURN_HEADER = '{{role "model"}}';
export const USER_TURN_HEADER = '{{role "user"}}';

/** What goes before the streamed text: a newline if needed, then the model turn marker. */
export function modelTurnPrefix(documentText: string): string {
  const sep = documentText.length === 0 || documentText.endsWith('\n\n') ? '' : documentText.endsWith('\n') ? '\n' : '\n\n';
  return `${sep}${MODEL_TURN_HEADER}\n`;
}

/** What goes after the streamed text: the end marker (if any) and the next, empty user turn. */
export function modelTurnSuffix(end: TurnEnd, detail?: string): string {
  const marker = turnMarker(end, detail);
  return `\n${marker ? `${marker}\n` : ''}\n${USER_TURN_HEADER}\n`;
}

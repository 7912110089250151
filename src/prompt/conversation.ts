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
  const what = end === 'stopped' ? 'stopped by the user' : `failed${detail ? `: ${commentSafe(detail)}` : ''}`;
  return `{{!-- bedrock: ${what}; the answer above is partial --}}`;
}

export const MODEL_TURN_HEADER = '{{role "model"}}';
export const USER_TURN_HEADER = '{{role "user"}}';

/** What goes before the streamed text: a newline if needed, then the model turn marker. */
export function modelTurnPrefix(documentText: string): string {
  const sep = documentText.length === 0 || documentText.endsWith('\n\n') ? '' : documentText.endsWith('\n') ? '\n' : '\n\n';
  return `${sep}${MODEL_TURN_HEADER}\n`;
}

/** What goes after the streamed text: the end marker (if any), a metrics comment, the next user turn. */
export function modelTurnSuffix(end: TurnEnd, detail?: string, metrics?: string): string {
  const marker = turnMarker(end, detail);
  const info = metrics ? `{{!-- ${commentSafe(metrics)} --}}\n` : '';
  return `\n${marker ? `${marker}\n` : ''}${info}\n${USER_TURN_HEADER}\n`;
}

/** Text that can sit inside a `{{!-- … --}}` comment without ending it. */
export function commentSafe(text: string): string {
  return text.replace(/--\}\}/g, '- -}}').replace(/--(?=\s*\}\})/g, '- -');
}

/** Reasoning and tool calls are shown in the turn as comments: readable, and never sent back. */
export function reasoningComment(reasoning: string): string {
  return `{{!-- reasoning:\n${commentSafe(reasoning.trim())}\n--}}\n`;
}

export function toolCallComment(call: { name: string; toolUseId: string; input: unknown }): string {
  const args =
    call.input && typeof call.input === 'object' && !Array.isArray(call.input)
      ? Object.entries(call.input as Record<string, unknown>).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')
      : JSON.stringify(call.input);
  return `{{!-- tool call: ${commentSafe(`${call.name}(${args})`)} [${call.toolUseId}] --}}`;
}

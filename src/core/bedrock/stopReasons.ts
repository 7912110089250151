// Why an answer ended, in plain words, for the endings a user has to act on. The usual ones (end_turn,
// tool_use, stop_sequence) say nothing more. The one table: the metrics line (the file's comment, the
// CLI's stderr, the status bar) reads it.
const NOTES: Record<string, string> = {
  max_tokens: 'the answer reached its output token limit: raise config.maxOutputTokens',
  content_filtered: "the model's content filter stopped the answer",
  guardrail_intervened: 'a guardrail intervened (bedrock.guardrail, or one the account enforces)',
  malformed_model_output:
    'the model produced output it could not return well formed (often structured output): run again, or loosen output.schema',
  malformed_tool_use:
    "the model produced a tool call that does not fit the tool's inputSchema: run again, or simplify the schema",
  model_context_window_exceeded:
    "the conversation filled the model's context window: shorten the prompt or the history, or pick a model with a longer context",
};

/** What a stop reason means for the user, or undefined when the answer simply ended. */
export function stopReasonNote(stopReason: string | undefined): string | undefined {
  return stopReason && Object.hasOwn(NOTES, stopReason) ? NOTES[stopReason] : undefined;
}

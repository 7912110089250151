// How Bedrock counts a customization record's tokens. The formats and limits per model family live in the
// model registry (src/core/models/registry.ts, datasetRulesFor).

/** Bedrock's estimate for record limits: about 6 characters per token. */
export const CHARS_PER_TOKEN = 6;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

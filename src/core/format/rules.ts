// The rules a prompt is held to both when it is analysed (diagnostics, `prompt-lab check`) and when it is
// rendered for a run: one wording each, so the editor's squiggle and a run's error say the same thing.
// Bedrock's Converse limits on media are here too: render enforces them, the chat provider maps to them.

export const CONVERSE_LIMITS = {
  imageBytes: 3_750_000,
  documentBytes: 4_500_000,
  imagesPerRequest: 20,
  documentsPerRequest: 5,
} as const;

export const PROMPT_RULES = {
  unclosedFrontmatter: 'The frontmatter is not closed: add a line with `---` after the YAML.',
  unknownPartial: (name: string) => `Unknown partial \`${name}\`: create \`_${name}.prompt\` beside this file.`,
  undefinedTool: (name: string) =>
    `Tool \`${name}\` is listed in \`tools\` but not defined in \`toolDefs\` (name, description, inputSchema).`,
  imageTooLarge: (what: string, bytes: number) =>
    `${what} is ${(bytes / 1e6).toFixed(1)} MB; Bedrock takes images up to ${CONVERSE_LIMITS.imageBytes / 1e6} MB.`,
  documentTooLarge: (what: string, bytes: number) =>
    `${what} is ${(bytes / 1e6).toFixed(1)} MB; Bedrock takes documents up to ${CONVERSE_LIMITS.documentBytes / 1e6} MB.`,
} as const;

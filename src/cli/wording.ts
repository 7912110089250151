// The engine's messages name the fix in the extension's terms (a setting, the status bar); in a terminal
// the fix is a flag. The extension's wording stays the one source; this maps its settings to flags.
const SETTING_TO_FLAG: [RegExp, string][] = [
  [/Choose a region \(status bar or the bedrockPromptLab\.region setting\)/g, 'Pass --region'],
  [/bedrockPromptLab\.region\b/g, '--region'],
  [/bedrockPromptLab\.endpoint\b/g, '--endpoint'],
  [/bedrockPromptLab\.run\.stallTimeoutSeconds\b/g, '--stall-timeout'],
  [/\bor choose another profile\b/g, 'or pass --profile'],
  [/\bwith secrets set to redact\b/g, 'with --secrets redact'],
  [/\badd it to bedrockPromptLab\.pricing\b/g, 'add it to a --prices file'],
];

export function cliWording(message: string): string {
  return SETTING_TO_FLAG.reduce((text, [pattern, flag]) => text.replace(pattern, flag), message);
}

// One edit of a prompt's frontmatter through the YAML library, so its comments and other keys stay as they
// were; a prompt without frontmatter gets one. The editor applies it as a workspace edit ("Use in Prompt",
// Deploy as Agent), the CLI to the file's text (`prompt-lab agent deploy --write`).
import { Document, isMap, parseDocument } from 'yaml';
import { splitPrompt } from './document';

/** The replacement that makes the change: the text between `start` and `end` becomes `text`. */
export interface FrontmatterEdit {
  start: number;
  end: number;
  text: string;
}

/** `what` names the change in the message when the YAML is broken. */
export function frontmatterEdit(promptText: string, what: string, change: (yaml: Document) => void): FrontmatterEdit {
  const source = splitPrompt(promptText);
  if (source.frontmatter) {
    const yaml = parseDocument(source.frontmatter.text);
    if (yaml.errors.length > 0) throw new Error(`The frontmatter is not valid YAML: fix it first, then ${what} again.`);
    change(yaml);
    // The range ends before the newline that precedes the closing fence.
    return { start: source.frontmatter.start, end: source.frontmatter.end, text: stringify(yaml).replace(/\n$/, '') };
  }
  const yaml = new Document({});
  change(yaml);
  return { start: 0, end: 0, text: `---\n${stringify(yaml)}---\n` };
}

/** YAML written back as the user wrote it, as far as the library can: long lines not folded, `[a, b]` not padded. */
export const AS_WRITTEN = { lineWidth: 0, flowCollectionPadding: false } as const;

function stringify(yaml: Document): string {
  return yaml.toString(AS_WRITTEN);
}

/** The prompt's text with the edit made. */
export function applyFrontmatterEdit(promptText: string, edit: FrontmatterEdit): string {
  return promptText.slice(0, edit.start) + edit.text + promptText.slice(edit.end);
}

/** Each kind of agent's own keys: pointing a prompt at one kind removes the others'. */
const KIND_KEYS = {
  harness: ['harness', 'name', 'tools', 'skills', 'memory', 'allowedTools', 'maxIterations', 'timeoutSeconds'],
  runtime: ['runtime', 'payload'],
  agentId: ['agentId', 'aliasId'],
} as const;

/**
 * Points the prompt's `bedrock.agent` at a harness, a runtime (and its endpoint) or a classic agent's
 * alias. Its other fields stay, but another kind of agent's go (a prompt has one agent); the endpoint
 * (`qualifier`) is the new agent's, or none.
 */
export function setAgent(
  yaml: Document,
  agent: { harness: string } | { runtime: string; qualifier?: string } | { agentId: string; aliasId: string },
): void {
  if (!isMap(yaml.get('bedrock.agent'))) yaml.set('bedrock.agent', yaml.createNode({}));
  const kind = (Object.keys(KIND_KEYS) as (keyof typeof KIND_KEYS)[]).find((k) => k in agent)!;
  for (const [other, keys] of Object.entries(KIND_KEYS))
    if (other !== kind) for (const key of keys) yaml.deleteIn(['bedrock.agent', key]);
  yaml.deleteIn(['bedrock.agent', 'qualifier']);
  for (const [key, value] of Object.entries(agent)) if (value !== undefined) yaml.setIn(['bedrock.agent', key], value);
}

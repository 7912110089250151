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

/** As the user wrote it, as far as the library can: long lines not folded, `[a, b]` not padded. */
function stringify(yaml: Document): string {
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The prompt's text with the edit made. */
export function applyFrontmatterEdit(promptText: string, edit: FrontmatterEdit): string {
  return promptText.slice(0, edit.start) + edit.text + promptText.slice(edit.end);
}

/**
 * Points the prompt's `bedrock.agent` at a harness, or at a runtime (and its endpoint); the other fields
 * stay, but the other kind of agent goes (a prompt has one agent).
 */
export function setAgent(yaml: Document, agent: { harness: string } | { runtime: string; qualifier?: string }): void {
  if (!isMap(yaml.get('bedrock.agent'))) yaml.set('bedrock.agent', yaml.createNode({}));
  const other = 'harness' in agent ? ['runtime', 'payload', 'qualifier'] : ['harness'];
  for (const key of other) yaml.deleteIn(['bedrock.agent', key]);
  for (const [key, value] of Object.entries(agent))
    if (value !== undefined) yaml.setIn(['bedrock.agent', key], value);
    else yaml.deleteIn(['bedrock.agent', key]);
}

// A `.prompt` template as Bedrock's own prompt services take it: plain text with `{{variable}}`
// placeholders and nothing else (Advanced Prompt Optimization's `promptTemplate`; Prompt Management's text
// prompts use the same placeholders). Dotprompt features are flattened where the meaning is kept and
// refused, with the reason, where it is not. The one home of that rule.
//
// Kept, flattened:
// - role markers: the turns' texts joined in order (a system turn first, as written), with a note;
// - comments (`{{! … }}`, `{{!-- … --}}`) dropped; `{{{name}}}` becomes `{{name}}`.
// Refused:
// - block helpers (`{{#if}}`, `{{#each}}`, `{{^…}}`), partials, `{{media}}`, `{{history}}`, tool turns,
//   example (model) turns, passages from a knowledge base, and any other expression than a plain
//   `{{name}}` (a path such as `{{order.id}}`, a helper call): there is nothing to substitute them with.
import type { PromptAnalysis } from './analyze';
import { splitPrompt } from './document';

export interface PlainTemplate {
  /** The template text, or undefined when it cannot be made plain (`refused` says why). */
  text?: string;
  /** The variables it reads, in order of first use. */
  variables: string[];
  /** How it was flattened (for the user). */
  notes: string[];
  /** Why it cannot be made plain, each with what to change. */
  refused: string[];
}

const ROLE = /\{\{~?\s*role\s+"(\w+)"\s*~?\}\}/g;
const COMMENT = /\{\{!--[\s\S]*?--\}\}|\{\{![^}]*\}\}/g;

export interface TemplateTurn {
  role: string;
  text: string;
}

/** The template's turns in order, comments dropped, markers removed; text before any marker is a user turn. */
export function templateTurns(promptText: string): TemplateTurn[] {
  const body = splitPrompt(promptText).body.replace(COMMENT, '');
  const turns: TemplateTurn[] = [];
  let last = 0;
  let role = 'user';
  for (const m of body.matchAll(ROLE)) {
    turns.push({ role, text: body.slice(last, m.index) });
    role = m[1];
    last = (m.index ?? 0) + m[0].length;
  }
  turns.push({ role, text: body.slice(last) });
  return turns.map((t) => ({ ...t, text: t.text.trim() })).filter((t) => t.text.length > 0);
}

/**
 * What a Bedrock template cannot hold, each with the fix: Dotprompt features with nothing to stand for
 * them, and expressions other than a plain `{{name}}`. `examples`: example (model) turns are kept (a chat
 * template has assistant messages). Also returns the variables the texts read, in order.
 */
export function unsupportedFeatures(
  analysis: PromptAnalysis,
  turns: readonly TemplateTurn[],
  opts: { examples: boolean },
): { refused: string[]; variables: string[] } {
  const refused: string[] = [];
  if (analysis.partials.length)
    refused.push(
      `it uses partials (${analysis.partials.map((p) => `{{> ${p.name}}}`).join(', ')}): paste their text in`,
    );
  if (analysis.media.length) refused.push('it attaches media ({{media}}): Bedrock prompt templates hold text only');
  if (analysis.toolTurns.length) refused.push('it holds tool turns: a Bedrock template has no tool calls');
  if (analysis.passageReads.length)
    refused.push('it quotes passages from a knowledge base (@passages): they exist only at run time');
  const text = turns.map((t) => t.text).join('\n');
  if (/\{\{~?\s*history\b/.test(text))
    refused.push('it inserts the conversation ({{history}}): a Bedrock template cannot');
  if (!opts.examples && turns.some((t) => t.role === 'model'))
    refused.push('it has example turns ({{role "model"}}): write them into the text as examples');
  const variables: string[] = [];
  const blocks = new Set<string>();
  const others = new Set<string>();
  for (const m of text.matchAll(/\{\{(\{?)([^}]*)\}?\}\}/g)) {
    const inner = m[2].trim();
    if (/^[#^]/.test(inner) || inner === 'else') blocks.add(inner.split(/\s/)[0]);
    else if (inner.startsWith('/')) continue;
    else if (/^[A-Za-z_][\w-]*$/.test(inner)) {
      if (!variables.includes(inner)) variables.push(inner);
    } else if (!/^>/.test(inner) && !/^(media|history)\b/.test(inner)) others.add(`{{${inner}}}`);
  }
  if (blocks.size)
    refused.push(
      `it uses block helpers (${[...blocks].map((b) => `{{${b}}}`).join(', ')}): write the text each case needs, or split the prompt`,
    );
  if (others.size)
    refused.push(
      `it uses expressions other than a plain {{variable}} (${[...others].slice(0, 3).join(', ')}): pass the value as its own input`,
    );
  return { refused, variables };
}

/** `{{{name}}}` as Bedrock writes a placeholder: `{{name}}`. */
export function bedrockPlaceholders(text: string): string {
  return text.replace(/\{\{\{\s*([A-Za-z_][\w-]*)\s*\}\}\}/g, '{{$1}}');
}

/** The prompt's template (without a run's answer: pass `promptTextForRun`'s text) as a plain template. */
export function plainTemplate(promptText: string, analysis: PromptAnalysis): PlainTemplate {
  const turns = templateTurns(promptText);
  const { refused, variables } = unsupportedFeatures(analysis, turns, { examples: false });
  const notes: string[] = [];
  if (turns.length > 1)
    notes.push(
      `The ${turns.map((t) => t.role).join(' and ')} turns are one text here, in their order (Bedrock's template is a single text).`,
    );
  if (refused.length) return { variables, notes, refused };
  return { text: bedrockPlaceholders(turns.map((t) => t.text).join('\n\n')), variables, notes, refused };
}

const PARTIAL = /\{\{~?>\s*([A-Za-z0-9_-]+)\s*~?\}\}/g;

/**
 * The template with each `{{> name}}` (a partial without arguments) replaced by the partial's own
 * template, nested ones too (5 deep): the meaning is kept, so a service without partials can take it. A
 * partial with arguments, or one that cannot be read, stays as it is (and is refused with the reason).
 */
export async function withPartialsInlined(
  promptText: string,
  read: (name: string) => Promise<string | undefined>,
): Promise<{ text: string; inlined: string[] }> {
  const source = splitPrompt(promptText);
  const head = promptText.slice(0, source.bodyStart);
  const inlined: string[] = [];
  let body = source.body;
  for (let depth = 0; depth < 5 && PARTIAL.test(body); depth++) {
    PARTIAL.lastIndex = 0;
    const names = [...new Set([...body.matchAll(PARTIAL)].map((m) => m[1]))];
    const texts = new Map<string, string>();
    for (const name of names) {
      const partial = await read(name);
      if (partial !== undefined) texts.set(name, splitPrompt(partial).body.replace(/\n+$/, ''));
    }
    if (texts.size === 0) break;
    body = body.replace(PARTIAL, (all, name: string) => {
      const text = texts.get(name);
      if (text === undefined) return all;
      if (!inlined.includes(name)) inlined.push(name);
      return text;
    });
  }
  PARTIAL.lastIndex = 0;
  return { text: head + body, inlined };
}

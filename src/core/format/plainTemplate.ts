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

/** The prompt's template (without a run's answer: pass `promptTextForRun`'s text) as a plain template. */
export function plainTemplate(promptText: string, analysis: PromptAnalysis): PlainTemplate {
  const refused: string[] = [];
  const notes: string[] = [];
  const body = splitPrompt(promptText).body.replace(COMMENT, '');
  if (analysis.partials.length)
    refused.push(
      `it uses partials (${analysis.partials.map((p) => `{{> ${p.name}}}`).join(', ')}): paste their text in`,
    );
  if (analysis.media.length) refused.push('it attaches media ({{media}}): Bedrock prompt templates hold text only');
  if (analysis.toolTurns.length) refused.push('it holds tool turns: a plain template has no tool calls');
  if (analysis.passageReads.length)
    refused.push('it quotes passages from a knowledge base (@passages): they exist only at run time');
  if (/\{\{~?\s*history\b/.test(body))
    refused.push('it inserts the conversation ({{history}}): a plain template has one text');
  const roles = analysis.roles.map((r) => r.role);
  if (roles.includes('model'))
    refused.push('it has example turns ({{role "model"}}): write them into the text as examples');

  // The turns' texts, in order, without their markers.
  const turns: { role: string; text: string }[] = [];
  let last = 0;
  let role = 'user';
  for (const m of body.matchAll(ROLE)) {
    turns.push({ role, text: body.slice(last, m.index) });
    role = m[1];
    last = (m.index ?? 0) + m[0].length;
  }
  turns.push({ role, text: body.slice(last) });
  const kept = turns.map((t) => ({ ...t, text: t.text.trim() })).filter((t) => t.text.length > 0);
  const text = kept.map((t) => t.text).join('\n\n');
  if (new Set(kept.map((t) => t.role)).size > 1 || kept.length > 1)
    notes.push(
      `The ${kept.map((t) => t.role).join(' and ')} turns are one text here, in their order (Bedrock's template is a single text).`,
    );

  const variables: string[] = [];
  const blocks = new Set<string>();
  const others = new Set<string>();
  for (const m of text.matchAll(/\{\{(\{?)([^}]*)\}?\}\}/g)) {
    const inner = m[2].trim();
    if (/^[#^/]/.test(inner) || inner === 'else') blocks.add(inner.split(/\s/)[0]);
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
  if (refused.length) return { variables, notes, refused };
  return { text: text.replace(/\{\{\{\s*([A-Za-z_][\w-]*)\s*\}\}\}/g, '{{$1}}'), variables, notes, refused };
}

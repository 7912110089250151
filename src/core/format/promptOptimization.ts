// Bedrock's OptimizePrompt takes one text and gives one back, so a `.prompt` is flattened for it and rebuilt
// from its answer (issue 23, part 2):
//
// - What is sent: the template as written (the body after the frontmatter, without a run's answer at its
//   end), role markers included: `{{role "system"}}` and `{{role "user"}}` are plain lines of text to the
//   optimizer, and `{{variables}}` are the placeholder syntax Bedrock's own prompts use, so both usually
//   come back. The frontmatter (model, config, schemas) is not sent: it is not prompt text, and it is kept
//   byte for byte.
// - What comes back is rebuilt as the new template under the same frontmatter:
//   - the same role markers in the same order: the turns are kept as they were;
//   - no role markers, where the prompt had turns other than one user turn: the whole text becomes one
//     user turn (a template without markers is a user turn), and the note says the system instructions
//     now sit in it;
//   - other markers: kept as the optimizer wrote them, and the note names the turns before and after.
// - Before it can be applied, what it reads is compared with the prompt (templateDifferences, the one
//   comparison the local optimizer uses too): a variable dropped, renamed or added, media or a partial
//   lost. Those are warnings the user weighs; a template that does not parse cannot be applied.
import type { PromptAnalysis } from './analyze';
import { splitPrompt } from './document';
import { templateDifferences, withTemplate } from './promptRewrite';

/** The text OptimizePrompt is sent: the template, role markers and variables as written. */
export function optimizerText(promptText: string): string {
  return splitPrompt(promptText).body.trim();
}

export interface RebuiltPrompt {
  /** The prompt file's new text: the frontmatter as written, the optimized template. */
  text: string;
  /** How the turns were rebuilt. */
  notes: string[];
  /** What the optimized template reads differently (a variable dropped or renamed …), for the user to weigh. */
  warnings: string[];
  /** Why it cannot be applied (it does not parse), or undefined. */
  problem?: string;
}

const turnsOf = (a: PromptAnalysis) => a.roles.map((r) => r.role);

export function rebuiltPrompt(
  promptText: string,
  optimized: string,
  original: PromptAnalysis,
  analyze: (text: string) => PromptAnalysis,
): RebuiltPrompt {
  const text = withTemplate(promptText, optimized);
  const analysis = analyze(text);
  const before = turnsOf(original);
  const after = turnsOf(analysis);
  const notes: string[] = [];
  const oneUserTurn = before.length === 0 || (before.length === 1 && before[0] === 'user');
  if (after.join() === before.join()) {
    if (before.length > 1) notes.push(`The turns are kept as they were (${before.join(', ')}).`);
  } else if (after.length === 0 && !oneUserTurn) {
    notes.push(
      `The optimizer merged the turns (${before.join(', ')}) into one text: it is one user turn now, with the ${before.includes('system') ? 'system instructions' : 'other turns'} in it. Add {{role "system"}} back where they should start, if you want them apart.`,
    );
  } else {
    notes.push(`The optimizer changed the turns: ${before.join(', ') || 'user'} became ${after.join(', ') || 'user'}.`);
  }
  if (!analysis.templateParsed)
    return {
      text,
      notes,
      warnings: [],
      problem: `The optimized prompt does not parse (${analysis.problems.find((p) => p.severity === 'error')?.message ?? 'a syntax error'}): it cannot be applied as it is.`,
    };
  return {
    text,
    notes,
    warnings: templateDifferences(original, analysis).map((w) => `The optimized prompt ${w.replace(/^it /, '')}.`),
  };
}

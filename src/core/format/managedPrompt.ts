// Prompt Management (issue 23, part 5): a `.prompt` (and its Dotprompt variants) as a Bedrock managed
// prompt's variants, and a managed prompt back as a `.prompt`.
//
// Shapes [sdk: client-bedrock-agent 3.1178, PromptVariant]: a CHAT template (`system`, `messages` with
// user and assistant turns, `inputVariables` by name), the variant's `modelId` and
// `inferenceConfiguration.text` (temperature, topP, maxTokens, stopSequences). What a managed prompt cannot
// hold follows the one rule of src/core/format/plainTemplate.ts (refused with the fix); example turns are
// kept (assistant messages). Kept with a note: the inputs' types and descriptions (a managed prompt knows
// variable names only), config keys it has no field for, an output schema. Refused: tools (publish
// without them, or add them in the console).
import { Document } from 'yaml';
import type { PromptAnalysis } from './analyze';
import { AS_WRITTEN } from './frontmatterEdit';
import { bedrockPlaceholders, templateTurns, unsupportedFeatures } from './plainTemplate';

/** Bedrock's rule for prompt and variant names. */
const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;

/** A name Bedrock takes, from a file's or a variant's name (`reply-drafter.prompt` → `reply-drafter`). */
export function managedName(name: string): string {
  const cleaned = name
    .replace(/\.prompt$/, '')
    .replace(/[^0-9a-zA-Z_-]+/g, '-')
    .replace(/[_-]{2,}/g, '-')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 100);
  return NAME.test(cleaned) ? cleaned : 'prompt';
}

const KEPT_CONFIG = new Set(['temperature', 'topP', 'maxOutputTokens', 'stopSequences']);

export interface ManagedVariant {
  variant?: Record<string, unknown>;
  refused: string[];
  notes: string[];
}

/** One `.prompt` (its text without a run's answer) as a managed prompt's CHAT variant. */
export function managedVariant(name: string, promptText: string, analysis: PromptAnalysis): ManagedVariant {
  const turns = templateTurns(promptText);
  const { refused, variables } = unsupportedFeatures(analysis, turns, { examples: true });
  const notes: string[] = [];
  const fm = analysis.frontmatter;
  const modelId = analysis.model?.modelId;
  if (!modelId) refused.push('it names no model: a managed prompt variant runs on one');
  if (fm.tools !== undefined || fm.toolDefs !== undefined)
    refused.push('it declares tools: publish it without them, or add them in the Prompt Management console');
  if (analysis.declaredInputs.size)
    notes.push('the inputs are published by name only (a managed prompt has no types, descriptions or defaults)');
  const config = (fm.config && typeof fm.config === 'object' ? fm.config : {}) as Record<string, unknown>;
  const dropped = Object.keys(config).filter((k) => !KEPT_CONFIG.has(k));
  if (dropped.length) notes.push(`config ${dropped.join(', ')} has no place in a managed prompt and is left out`);
  if (fm.output !== undefined) notes.push('the output format and schema are left out (a managed prompt has none)');
  if (refused.length || !modelId) return { refused, notes };
  const system = turns.filter((t) => t.role === 'system');
  const messages = turns
    .filter((t) => t.role !== 'system')
    .map((t) => ({
      role: t.role === 'model' ? 'assistant' : 'user',
      content: [{ text: bedrockPlaceholders(t.text) }],
    }));
  const num = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const inference = {
    temperature: num('temperature'),
    topP: num('topP'),
    maxTokens: num('maxOutputTokens'),
    stopSequences: Array.isArray(config.stopSequences)
      ? config.stopSequences.filter((s) => typeof s === 'string')
      : undefined,
  };
  const hasInference = Object.values(inference).some((v) => v !== undefined);
  return {
    refused,
    notes,
    variant: {
      name: managedName(name),
      templateType: 'CHAT',
      modelId,
      templateConfiguration: {
        chat: {
          ...(system.length ? { system: system.map((t) => ({ text: bedrockPlaceholders(t.text) })) } : {}),
          messages,
          inputVariables: variables.map((v) => ({ name: v })),
        },
      },
      ...(hasInference ? { inferenceConfiguration: { text: JSON.parse(JSON.stringify(inference)) } } : {}),
    },
  };
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const textsOf = (blocks: unknown) =>
  (Array.isArray(blocks) ? blocks : [])
    .map((b) => obj(b).text)
    .filter((t): t is string => typeof t === 'string')
    .join('\n');

/**
 * A managed prompt's variant (GetPrompt's answer, read as data) as a `.prompt`: its model and inference
 * settings in the frontmatter, its variables as string inputs, its system turn and messages as role turns
 * (a TEXT template: one user turn).
 */
export function importedPromptText(prompt: unknown, variantName?: string): { text: string; variant: string } {
  const p = obj(prompt);
  const variants = (Array.isArray(p.variants) ? p.variants : []).map(obj);
  const wanted = variantName ?? (typeof p.defaultVariant === 'string' ? p.defaultVariant : undefined);
  const v = variants.find((x) => x.name === wanted) ?? variants[0];
  if (!v) throw new Error('The managed prompt has no variant to import.');
  const template = obj(v.templateConfiguration);
  const chat = obj(template.chat);
  const text = obj(template.text);
  const inference = obj(obj(v.inferenceConfiguration).text);
  const vars = (
    Array.isArray(chat.inputVariables)
      ? chat.inputVariables
      : Array.isArray(text.inputVariables)
        ? text.inputVariables
        : []
  )
    .map((x) => obj(x).name)
    .filter((n): n is string => typeof n === 'string' && /^[A-Za-z_][\w-]*$/.test(n));
  const config: Record<string, unknown> = {};
  if (typeof inference.temperature === 'number') config.temperature = inference.temperature;
  if (typeof inference.topP === 'number') config.topP = inference.topP;
  if (typeof inference.maxTokens === 'number') config.maxOutputTokens = inference.maxTokens;
  if (Array.isArray(inference.stopSequences))
    config.stopSequences = inference.stopSequences.filter((s) => typeof s === 'string');
  const front: Record<string, unknown> = {};
  if (typeof p.description === 'string' && p.description) front.description = p.description;
  if (typeof v.modelId === 'string') front.model = v.modelId;
  if (Object.keys(config).length) front.config = config;
  if (vars.length) front.input = { schema: Object.fromEntries(vars.map((n) => [n, 'string'])) };
  const doc = new Document(front);
  doc.commentBefore = ` Imported from Bedrock Prompt Management: ${typeof p.arn === 'string' ? p.arn : String(p.name ?? '')} (variant ${String(v.name ?? '')}${typeof p.version === 'string' ? `, version ${p.version}` : ''}).`;
  // Text from the service stays text: only a plain `{{name}}` stays a placeholder; any other `{{` (a role
  // marker, media, a partial, a block) is escaped (Handlebars prints `\{{` as `{{`), so it cannot become structure.
  const inert = (t: string) => t.replace(/\{\{(?!\s*[A-Za-z_][\w-]*\s*\}\}(?!\}))/g, '\\{{');
  let body: string;
  if (typeof text.text === 'string') body = `${inert(text.text)}\n`;
  else {
    const parts: string[] = [];
    const system = textsOf(chat.system);
    if (system) parts.push(`{{role "system"}}\n${inert(system)}`);
    for (const m of Array.isArray(chat.messages) ? chat.messages : []) {
      const role = obj(m).role === 'assistant' ? 'model' : 'user';
      parts.push(`{{role "${role}"}}\n${inert(textsOf(obj(m).content))}`);
    }
    body = `${parts.join('\n\n')}\n`;
  }
  return { text: `---\n${doc.toString(AS_WRITTEN)}---\n${body}`, variant: String(v.name ?? '') };
}

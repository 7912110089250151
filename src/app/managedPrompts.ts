// Prompt Management (issue 23, part 5), for the editor and `prompt-lab managed-prompt`: publish a `.prompt`
// and its Dotprompt variants as a Bedrock managed prompt (a new one, or the draft of the one with its name,
// updated) and a version of it; list the account's managed prompts and their versions; import one as a
// `.prompt`; run a version by its ARN with promptVariables (Converse's rules for prompt ARNs: nothing of the
// caller's own system, inference or tool configuration is sent).
import { callCost, converseOnce } from '../core/bedrock/invoke';
import type { ManagedPromptInfo } from '../core/bedrock/clients';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import type { PromptAnalysis } from '../core/format/analyze';
import { promptEngine } from '../core/format/loadEngine';
import { importedPromptText, managedName, managedVariant } from '../core/format/managedPrompt';
import { withPartialsInlined } from '../core/format/plainTemplate';
import { BedrockError } from '../core/shared/bedrockError';
import type { Host } from './host';

/** A `.prompt` to publish: the base file and its variants (`name.<variant>.prompt`), each with its analysis. */
export interface PublishedFile {
  /** `base` for the prompt itself, else the variant's name. */
  variant: string;
  file: string;
  text: string;
  analysis: PromptAnalysis;
  /** Its partials (`_name.prompt` beside it), so they can be inlined; and how its text is analysed then. */
  partials?: { read: (name: string) => Promise<string | undefined>; analyze: (text: string) => PromptAnalysis };
}

export interface PublishedPrompt {
  prompt: ManagedPromptInfo;
  version: ManagedPromptInfo;
  created: boolean;
  variants: string[];
  notes: string[];
}

/** Bedrock keeps at most three variants in a prompt. */
const MAX_VARIANTS = 3;

export async function publishPrompt(
  host: Pick<Host, 'clients' | 'log'>,
  files: readonly PublishedFile[],
  opts: { name: string; description?: string; versionDescription?: string },
): Promise<PublishedPrompt> {
  const refused: string[] = [];
  const notes: string[] = [];
  const variants: Record<string, unknown>[] = [];
  if (files.length > MAX_VARIANTS)
    refused.push(
      `a managed prompt holds at most ${MAX_VARIANTS} variants, and there are ${files.length} (${files.map((f) => f.file).join(', ')}): move the others aside`,
    );
  for (const f of files) {
    let text = promptEngine().promptTextForRun(f.text);
    let analysis = f.analysis;
    // A partial without arguments keeps its meaning inlined: a managed prompt has no partials.
    if (f.partials && analysis.partials.length) {
      const inlined = await withPartialsInlined(text, f.partials.read);
      if (inlined.inlined.length) {
        text = inlined.text;
        analysis = f.partials.analyze(text);
        notes.push(`${f.file}: the partials ${inlined.inlined.map((n) => `{{> ${n}}}`).join(', ')} are inlined`);
      }
    }
    const built = managedVariant(f.variant, text, analysis);
    refused.push(...built.refused.map((r) => `${f.file}: ${r}`));
    notes.push(...built.notes.map((n) => `${f.file}: ${n}`));
    if (built.variant) variants.push(built.variant);
  }
  if (refused.length)
    throw new BedrockError('Validation', `Not published:\n${refused.map((r) => `- ${r}.`).join('\n')}`);
  // What is published is stored in the account: nothing goes with a secret in it.
  const secret = (await datasetEngine().scanSecretsDeep(JSON.stringify(variants), 'the prompt', 1))[0];
  if (secret)
    throw new BedrockError(
      'Validation',
      `Not published: a secret (${secret.kind}) is in the prompt or a variant. Remove it, then publish again.`,
    );
  const name = managedName(opts.name);
  const input = { name, description: opts.description, defaultVariant: String(variants[0].name), variants };
  const pm = host.clients().managedPrompts;
  const existing = (await pm.list()).find((p) => p.name === name);
  host.log.info(`${existing ? 'update' : 'create'} managed prompt ${name} (${variants.length} variant(s))`);
  const prompt = existing ? await pm.update(existing.id, input) : await pm.create(input);
  const version = await pm.createVersion(prompt.id, opts.versionDescription);
  return { prompt, version, created: !existing, variants: variants.map((v) => String(v.name)), notes };
}

/** A managed prompt (a version, or its draft) as a `.prompt`'s text. */
export async function importManagedPrompt(
  host: Pick<Host, 'clients'>,
  promptIdOrArn: string,
  opts: { version?: string; variant?: string } = {},
): Promise<{ name: string; text: string; variant: string }> {
  const { id, version } = promptRef(promptIdOrArn);
  const got = await host.clients().managedPrompts.get(id, opts.version ?? version);
  const { text, variant } = importedPromptText(got, opts.variant);
  return { name: managedName(String(got.name ?? id)), text, variant };
}

/** `arn:…:prompt/ID[:version]` or a bare id, as the id and the version. */
export function promptRef(idOrArn: string): { id: string; version?: string } {
  const m = /:prompt\/([0-9a-zA-Z]{10})(?::(\d+|DRAFT))?$/.exec(idOrArn.trim());
  return m ? { id: m[1], version: m[2] } : { id: idOrArn.trim() };
}

/** The variables a version's default variant reads, and its model. */
export async function managedPromptVariables(
  host: Pick<Host, 'clients'>,
  arn: string,
): Promise<{ names: string[]; modelId?: string }> {
  const { id, version } = promptRef(arn);
  const got = await host.clients().managedPrompts.get(id, version);
  const variants = (Array.isArray(got.variants) ? got.variants : []) as Record<string, unknown>[];
  const variant = variants.find((v) => v.name === got.defaultVariant) ?? variants[0];
  const template = (variant?.templateConfiguration ?? {}) as {
    chat?: { inputVariables?: { name?: string }[] };
    text?: { inputVariables?: { name?: string }[] };
  };
  const names = (template.chat?.inputVariables ?? template.text?.inputVariables ?? [])
    .map((v) => v.name)
    .filter((n): n is string => typeof n === 'string');
  return { names, modelId: typeof variant?.modelId === 'string' ? variant.modelId : undefined };
}

export interface ManagedRun {
  text: string;
  modelId?: string;
  latencyMs?: number;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * Runs a version of a managed prompt by its ARN: Converse on the ARN with the variables as promptVariables,
 * and nothing else (a prompt ARN brings its own system, inference and tool configuration). The variables
 * its default variant reads are checked first, so a missing one is named with the fix.
 */
export async function runManagedPrompt(
  host: Pick<Host, 'clients' | 'costOf' | 'log' | 'profile'>,
  arn: string,
  variables: Record<string, string>,
  opts: { signal?: AbortSignal } = {},
): Promise<ManagedRun> {
  const { id, version } = promptRef(arn);
  if (!version || version === 'DRAFT')
    throw new BedrockError(
      'Validation',
      `${arn} is not a version's ARN: Converse runs a version (…:prompt/${id}:<version>). Publish one, or pick a version.`,
    );
  const { names: wanted, modelId } = await managedPromptVariables(host, arn);
  const missing = wanted.filter((n) => !Object.hasOwn(variables, n));
  if (missing.length)
    throw new BedrockError(
      'PromptInvalid',
      `No value for ${missing.map((n) => `{{${n}}}`).join(', ')}: pass ${missing.map((n) => `--input ${n}=…`).join(' ')}.`,
    );
  const promptVariables = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { text: v }]));
  host.log.info(`run managed prompt ${arn}`);
  const out = await converseOnce(
    host.clients().runtime,
    { modelId: arn, promptVariables },
    { operation: `run ${arn}`, modelId: arn, profile: host.profile() },
    { signal: opts.signal },
  );
  if (out.error) throw out.error;
  return {
    text: out.text,
    modelId,
    latencyMs: out.latencyMs,
    costUsd: modelId ? callCost((m, u) => host.costOf(m, u), modelId, out)?.usd : undefined,
    inputTokens: out.usage?.inputTokens,
    outputTokens: out.usage?.outputTokens,
  };
}

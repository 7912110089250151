// `prompt-lab managed-prompt publish|list|import|run`: Bedrock Prompt Management from a terminal, over the
// same use cases as the editor's Managed Prompts view (src/app/managedPrompts.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../app/host';
import { promptVariants } from '../app/evaluate';
import {
  importManagedPrompt,
  promptRef,
  publishPrompt,
  runManagedPrompt,
  type PublishedFile,
} from '../app/managedPrompts';
import { promptEngine } from '../core/format/loadEngine';
import { diskAnalysisContext } from '../core/io/promptFiles';
import { BedrockError } from '../core/shared/bedrockError';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { formatUsd } from '../core/shared/money';
import { EXIT } from './exitCodes';
import { cliRoot, loadPrompt } from './runCommand';

const say = (quiet: boolean | undefined, line: string) => {
  if (!quiet) process.stderr.write(`${line}\n`);
};

export async function managedPromptPublish(
  host: Host,
  file: string,
  opts: {
    name?: string;
    description?: string;
    versionDescription?: string;
    variants: boolean;
    json?: boolean;
    quiet?: boolean;
  },
): Promise<number> {
  const base = await loadPrompt(file);
  const found = opts.variants ? await promptVariants(base.promptPath) : { base: base.promptPath, variants: [] };
  const fileOf = (variant: string, loaded: Awaited<ReturnType<typeof loadPrompt>>): PublishedFile => ({
    variant,
    file: path.basename(loaded.promptPath),
    text: loaded.text,
    analysis: loaded.analysis,
    partials: {
      read: (name) => loaded.files.readPartial(name),
      analyze: (text) =>
        promptEngine().analyzePrompt(text, diskAnalysisContext(loaded.promptPath, cliRoot(loaded.promptPath))),
    },
  });
  const files: PublishedFile[] = [fileOf('base', base)];
  for (const v of found.variants) files.push(fileOf(v.variant, await loadPrompt(v.file)));
  const description =
    opts.description ??
    (typeof base.analysis.frontmatter.description === 'string' ? base.analysis.frontmatter.description : undefined);
  const published = await publishPrompt(host, files, {
    name: opts.name ?? path.basename(base.promptPath),
    description,
    versionDescription: opts.versionDescription,
  });
  for (const n of published.notes) say(opts.quiet, `note: ${n}`);
  if (opts.json) process.stdout.write(`${JSON.stringify(published, null, 2)}\n`);
  else process.stdout.write(`${published.version.arn}\n`);
  say(
    opts.quiet,
    `${published.created ? 'created' : 'updated'} ${published.prompt.name} (${published.prompt.id}) with variant(s) ${published.variants.join(', ')}; version ${published.version.version}. Run it: prompt-lab managed-prompt run ${published.version.arn} --input name=value`,
  );
  return EXIT.ok;
}

export async function managedPromptList(host: Host, id: string | undefined, opts: { json?: boolean }): Promise<number> {
  const pm = host.clients().managedPrompts;
  const list = id ? await pm.versions(promptRef(id).id) : await pm.list();
  if (opts.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else
    for (const p of list)
      process.stdout.write(`${p.name}\t${p.version}\t${p.arn}${p.description ? `\t${p.description}` : ''}\n`);
  return EXIT.ok;
}

export async function managedPromptImport(
  host: Host,
  ref: string,
  opts: { version?: string; variant?: string; output?: string; force?: boolean; quiet?: boolean },
): Promise<number> {
  const imported = await importManagedPrompt(host, ref, opts);
  const target = path.resolve(opts.output ?? `${imported.name}.prompt`);
  if (!target.endsWith('.prompt'))
    throw new BedrockError('PromptInvalid', `-o ${opts.output}: give a .prompt file name.`);
  if (existsSync(target) && !opts.force)
    throw new BedrockError(
      'PromptInvalid',
      `${path.relative(process.cwd(), target)} exists: give another -o, or --force to replace it.`,
    );
  await writeFileAtomically(target, imported.text);
  const problems = promptEngine()
    .analyzePrompt(imported.text, diskAnalysisContext(target, cliRoot(target)))
    .problems.filter((p) => p.severity === 'error');
  say(
    opts.quiet,
    `imported variant ${imported.variant} as ${path.relative(process.cwd(), target) || target}${problems.length ? ` (${problems.length} problem(s): run prompt-lab check on it)` : ''}`,
  );
  return EXIT.ok;
}

export async function managedPromptRun(
  host: Host,
  arn: string,
  opts: { input: string[]; json?: boolean; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const variables: Record<string, string> = {};
  for (const pair of opts.input) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new BedrockError('PromptInvalid', `--input ${pair}: write it as name=value.`);
    Object.defineProperty(variables, pair.slice(0, eq), { value: pair.slice(eq + 1), enumerable: true });
  }
  const ran = await runManagedPrompt(host, arn, variables, { signal });
  if (opts.json) process.stdout.write(`${JSON.stringify(ran, null, 2)}\n`);
  else process.stdout.write(`${ran.text}\n`);
  say(
    opts.quiet,
    [
      ran.modelId,
      ran.latencyMs !== undefined ? `${Math.round(ran.latencyMs)} ms` : undefined,
      ran.inputTokens !== undefined ? `${ran.inputTokens} in / ${ran.outputTokens ?? 0} out` : undefined,
      ran.costUsd !== undefined ? `~${formatUsd(ran.costUsd)}` : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  return EXIT.ok;
}

// Prompt Management in the editor: Publish as Managed Prompt… (the prompt and its variants, then a
// version), the Managed Prompts view (prompts, their draft and versions), Import as .prompt, Run Managed
// Prompt Version… (its variables asked for, the answer shown as text) and Copy ARN. The same use cases as
// `prompt-lab managed-prompt` (app/managedPrompts.ts).
import vscode = require('vscode');
import path from 'node:path';
import { promptVariants } from '../../app/evaluate';
import {
  importManagedPrompt,
  managedPromptVariables,
  publishPrompt,
  runManagedPrompt,
  type ManagedRun,
  type PublishedFile,
  type PublishedPrompt,
} from '../../app/managedPrompts';
import { toBedrockError } from '../../core/bedrock/errors';
import { BedrockError } from '../../core/shared/bedrockError';
import { formatUsd } from '../../core/shared/money';
import type { Services } from '../services';
import { ask } from '../host/inputBox';
import { promptFilesFor, promptUriFor } from '../host/promptFiles';
import { showText } from '../host/proposals';
import { requireTrust } from '../host/trust';
import type { ManagedPromptNode } from '../views/managedPromptsTree';

export type ManagedPromptServices = Pick<Services, 'host' | 'analyses' | 'session' | 'logger' | 'managedPrompts'>;

export interface PublishOptions {
  uri?: string;
  versionDescription?: string;
  /** Publish the variants beside the prompt too (default: yes). */
  variants?: boolean;
}

export async function publishPromptCommand(
  s: ManagedPromptServices,
  opts: PublishOptions = {},
): Promise<PublishedPrompt | undefined> {
  const promptUri = await promptUriFor(
    opts.uri ? vscode.Uri.parse(opts.uri) : undefined,
    'Publish as a managed prompt',
  );
  if (!promptUri) return undefined;
  requireTrust('Publishing a prompt');
  const open = async (uri: vscode.Uri, variant: string): Promise<PublishedFile> => {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty)
      throw new BedrockError(
        'Validation',
        `${vscode.workspace.asRelativePath(uri)} has unsaved changes: save it first.`,
      );
    const files = promptFilesFor(uri);
    return {
      variant,
      file: path.basename(uri.fsPath),
      text: doc.getText(),
      analysis: s.analyses.get(doc),
      partials: { read: (name) => files.readPartial(name), analyze: (text) => s.analyses.analyzeText(doc, text) },
    };
  };
  const base = await open(promptUri, 'base');
  const files = [base];
  if (opts.variants !== false)
    for (const v of (await promptVariants(promptUri.fsPath)).variants)
      files.push(await open(vscode.Uri.file(v.file), v.variant));
  const versionDescription =
    opts.versionDescription ??
    (await ask(undefined, { title: 'What does this version change? (its description; empty: none)' }));
  if (versionDescription === undefined) return undefined;
  const description =
    typeof base.analysis.frontmatter.description === 'string' ? base.analysis.frontmatter.description : undefined;
  const published = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Publishing ${base.file}` },
    async () => {
      try {
        return await publishPrompt(s.host, files, {
          name: base.file,
          description,
          versionDescription: versionDescription || undefined,
        });
      } catch (err) {
        throw toBedrockError(err, { operation: `publish ${base.file}`, profile: s.session.profile });
      }
    },
  );
  for (const n of published.notes) s.logger.info(`publish: ${n}`);
  void s.managedPrompts.refresh();
  void vscode.window
    .showInformationMessage(
      `${published.created ? 'Created' : 'Updated'} managed prompt ${published.prompt.name} (${published.variants.join(', ')}) and published version ${published.version.version}.${published.notes.length ? ` ${published.notes.length} note(s) in the log.` : ''}`,
      'Copy Version ARN',
    )
    .then((pick) => pick && vscode.env.clipboard.writeText(published.version.arn));
  return published;
}

/** A node of the view, or what a test or another command names. */
type PromptRef = ManagedPromptNode | { ref: string; version?: string };
const refOf = (r: PromptRef) =>
  'kind' in r
    ? { ref: r.prompt.id, version: r.prompt.version === 'DRAFT' ? undefined : r.prompt.version }
    : { ref: r.ref, version: r.version };

export async function importManagedPromptCommand(
  s: ManagedPromptServices,
  node: PromptRef,
  opts: { target?: string; overwrite?: boolean } = {},
): Promise<{ file: string } | undefined> {
  requireTrust('Importing a managed prompt');
  const { ref, version } = refOf(node);
  const imported = await importManagedPrompt(s.host, ref, { version });
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new BedrockError('Validation', 'Open a folder to import the prompt into.');
  const target = opts.target
    ? vscode.Uri.file(opts.target)
    : await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder.uri, `${imported.name}.prompt`),
        filters: { Prompts: ['prompt'] },
        title: `Import ${imported.name} as`,
      });
  if (!target) return undefined;
  if (!target.path.endsWith('.prompt')) throw new BedrockError('Validation', 'Give the file a .prompt name.');
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists && opts.target && !opts.overwrite)
    throw new BedrockError('Validation', `${vscode.workspace.asRelativePath(target)} exists: choose another name.`);
  // Written to a temporary name, then renamed: the file is never half-written.
  const tmp = target.with({ path: `${target.path}.tmp` });
  await vscode.workspace.fs.writeFile(tmp, Buffer.from(imported.text, 'utf8'));
  await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  await vscode.window.showTextDocument(target);
  return { file: target.fsPath };
}

export async function runManagedPromptCommand(
  s: ManagedPromptServices,
  node: PromptRef | { arn: string },
  opts: { variables?: Record<string, string> } = {},
): Promise<ManagedRun | undefined> {
  requireTrust('Running a managed prompt');
  const arn = 'arn' in node ? node.arn : 'kind' in node ? node.prompt.arn : node.ref;
  const { names } = await managedPromptVariables(s.host, arn);
  const variables: Record<string, string> = {};
  for (const name of names) {
    const given = opts.variables && Object.hasOwn(opts.variables, name) ? opts.variables[name] : undefined;
    const value = given ?? (await ask(undefined, { title: `{{${name}}}`, prompt: `The value of ${name}` }));
    if (value === undefined) return undefined;
    Object.defineProperty(variables, name, { value, enumerable: true });
  }
  const ran = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${arn}`, cancellable: true },
    async (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await runManagedPrompt(s.host, arn, variables, { signal: controller.signal });
      } catch (err) {
        throw toBedrockError(err, { operation: `run ${arn}`, profile: s.session.profile });
      }
    },
  );
  const metrics = [
    ran.modelId,
    ran.latencyMs !== undefined ? `${Math.round(ran.latencyMs)} ms` : undefined,
    ran.inputTokens !== undefined ? `${ran.inputTokens} in / ${ran.outputTokens ?? 0} out` : undefined,
    ran.costUsd !== undefined ? `~${formatUsd(ran.costUsd)}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  // The answer as plain text, read-only: model output is shown, never rendered.
  await showText(`${arn.split('/').pop()} · answer`, `${ran.text}\n\n-- ${metrics}\n`);
  return ran;
}

export async function copyManagedPromptArn(node: ManagedPromptNode): Promise<void> {
  await vscode.env.clipboard.writeText(node.prompt.arn);
}

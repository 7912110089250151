import path from 'node:path';
import vscode = require('vscode');
import {
  buildDataset,
  customizationName,
  datasetSources,
  defaultDatasetDir,
  type DatasetResult,
} from '../../app/buildDataset';
import { BedrockError } from '../../core/shared/bedrockError';
import type { FoundationModel } from '../../core/models/catalogue';
import { CUSTOMIZATION_KINDS, datasetRulesFor, type Customization } from '../../core/models/registry';
import type { DatasetFile, FieldMap } from '../../core/dataset/sources';
import type { CatalogueService } from '../host/catalogueService';
import type { Services } from '../services';
import { promptFilesFor } from '../host/promptFiles';
import type { ModelNode } from '../views/modelsTree';

export interface CreateDatasetOptions {
  /** Globs relative to the workspace folder (or absolute file paths). */
  sources?: string[];
  /** Base model id (the customization variant, e.g. `amazon.nova-lite-v1:0:300k`, or its on-demand id). */
  targetModel?: string;
  customization?: Customization;
  /** Output folder, relative to the workspace folder or absolute. */
  outputPath?: string;
  validationSplit?: number;
  seed?: number;
  secrets?: 'block' | 'redact';
  pairing?: { input: string; output: string };
  fields?: FieldMap;
  /** Open the report when done (default true). */
  showReport?: boolean;
  /** Cancels the build (the progress notification's Cancel does the same). */
  signal?: AbortSignal;
}

export type CreateDatasetResult = DatasetResult;

const DEFAULT_SOURCES = '**/*.{prompt,jsonl,json,csv,txt,md}';

/**
 * "Create Fine-tuning Dataset": asks for what is missing (model, customization type, sources), then
 * builds train.jsonl / validation.jsonl and a report with progress and Cancel.
 */
export async function createDataset(
  { catalogue, host }: Pick<Services, 'catalogue' | 'host'>,
  arg?: CreateDatasetOptions | vscode.Uri | ModelNode,
  uris?: vscode.Uri[],
): Promise<CreateDatasetResult | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new BedrockError('PromptInvalid', 'Open a workspace folder: datasets are built from its files.');
  const opts: CreateDatasetOptions = arg instanceof vscode.Uri ? {} : arg && 'kind' in arg ? {} : (arg ?? {});
  const picked: vscode.Uri[] = arg instanceof vscode.Uri ? (uris && uris.length > 0 ? uris : [arg]) : [];
  const node = arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'model' ? arg.model : undefined;

  const modelId = opts.targetModel ?? node?.modelId ?? (await pickModel(catalogue));
  if (!modelId) return undefined;
  const customization = opts.customization ?? (await pickCustomization(modelId, catalogue));
  if (!customization) return undefined;
  if (!datasetRulesFor(modelId, customization))
    throw new BedrockError(
      'Validation',
      `Bedrock does not offer ${customizationName(customization)} for ${modelId}. Pick a customizable model (the Models view's "Can be customized" filter lists them).`,
    );

  const outputDir = path.resolve(folder.uri.fsPath, opts.outputPath ?? defaultDatasetDir(modelId));
  const files = await findSources(folder, picked.length > 0 ? picked : undefined, opts.sources, outputDir);
  if (files.length === 0)
    throw new BedrockError(
      'Validation',
      'No source files matched. Choose files or folders (Explorer: right-click → Create Fine-tuning Dataset) or give source globs.',
    );

  const controller = new AbortController();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', () => controller.abort());
  const result: CreateDatasetResult = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Building a ${customizationName(customization)} dataset for ${modelId}`,
      cancellable: true,
    },
    async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let last = 0;
      return buildDataset(host, {
        files,
        modelId,
        customization,
        outputDir,
        validationSplit: opts.validationSplit,
        seed: opts.seed,
        secrets: opts.secrets,
        pairing: opts.pairing,
        fields: opts.fields,
        signal: controller.signal,
        // An untrusted workspace's prompts are not rendered (a template runs code paths chosen by the
        // file's author); its JSONL, CSV and paired files are still packaged.
        promptsSkipped: vscode.workspace.isTrusted
          ? undefined
          : '.prompt files are rendered only in a trusted workspace (Manage Workspace Trust)',
        promptFiles: vscode.workspace.isTrusted
          ? (rel) => promptFilesFor(vscode.Uri.joinPath(folder.uri, rel))
          : undefined,
        onProgress: (done, total, records) => {
          const pct = (done / total) * 100;
          progress.report({ increment: pct - last, message: `${done}/${total} files, ${records} records` });
          last = pct;
        },
      });
    },
  );
  if (result.failure?.startsWith('Cancelled')) {
    void vscode.window.showInformationMessage('Dataset build cancelled: nothing was written.');
    return result;
  }
  if (result.ok && !result.reportFile)
    void vscode.window.showWarningMessage(
      `The dataset was built, but its report could not be written to ${vscode.workspace.asRelativePath(outputDir)}.`,
    );
  if (opts.showReport !== false && result.reportFile)
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(result.reportFile));
  if (result.ok) {
    void vscode.window.showInformationMessage(
      `Dataset ready: ${result.train} training and ${result.validation} validation records in ${vscode.workspace.asRelativePath(outputDir)}.`,
    );
  } else {
    void vscode.window.showErrorMessage(`The dataset was not built: ${result.failure}`);
  }
  return result;
}

async function findSources(
  folder: vscode.WorkspaceFolder,
  picked: vscode.Uri[] | undefined,
  globs: string[] | undefined,
  outputDir: string,
): Promise<DatasetFile[]> {
  const uris: vscode.Uri[] = [];
  if (picked) {
    for (const u of picked) {
      const stat = await vscode.workspace.fs.stat(u);
      if (stat.type & vscode.FileType.Directory)
        uris.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(u, DEFAULT_SOURCES))));
      else uris.push(u);
    }
  } else {
    // `undefined` exclude applies files.exclude; .gitignore is applied below.
    for (const g of globs ?? [DEFAULT_SOURCES])
      uris.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(folder, g))));
  }
  return datasetSources(
    folder.uri.fsPath,
    uris.map((u) => u.fsPath),
    outputDir,
  );
}

async function pickModel(catalogue: CatalogueService): Promise<string | undefined> {
  if (!catalogue.current) await catalogue.refresh();
  const models = (catalogue.current?.foundationModels.items ?? []).filter(
    (m: FoundationModel) => m.customizations.length > 0 || datasetRulesFor(m.modelId, 'REINFORCEMENT_FINE_TUNING'),
  );
  if (models.length === 0)
    throw new BedrockError(
      'Validation',
      'No model in this region can be customized (or the catalogue could not be listed). Try another region.',
    );
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({
      label: m.modelName,
      description: m.modelId,
      detail: m.customizations.map((c) => c.toLowerCase().replace(/_/g, ' ')).join(', '),
      id: m.modelId,
    })),
    { title: 'Base model to customize', placeHolder: 'Only models that support customization are listed' },
  );
  return pick?.id;
}

async function pickCustomization(modelId: string, catalogue: CatalogueService): Promise<Customization | undefined> {
  // ListFoundationModels cannot say "reinforcement fine-tuning" (its enum has no such value): the
  // registry's dataset rules are what offers it.
  const listed = catalogue.current?.foundationModels.items.find((m) => m.modelId === modelId)?.customizations;
  const options = (Object.keys(CUSTOMIZATION_KINDS) as Customization[]).filter(
    (c) => datasetRulesFor(modelId, c) && (!listed || listed.includes(c) || c === 'REINFORCEMENT_FINE_TUNING'),
  );
  if (options.length === 1) return options[0];
  const pick = await vscode.window.showQuickPick(
    options.map((c) => ({ label: CUSTOMIZATION_KINDS[c].label, detail: CUSTOMIZATION_KINDS[c].detail, id: c })),
    { title: `Customize ${modelId}` },
  );
  return pick?.id;
}

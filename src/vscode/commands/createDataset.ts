import { missingVariables } from '../../core/format/inputs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import vscode = require('vscode');
import { BedrockError } from '../../core/bedrock/errors';
import type { FoundationModel } from '../../core/bedrock/catalogue';
import type { DatasetReport } from '../../core/dataset/build';
import type { Customization } from '../../core/dataset/formats';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import { readTextFile } from '../../core/io/readText';
import type { DatasetFile, FieldMap } from '../../core/dataset/sources';
import type { CatalogueService } from '../host/catalogueService';
import type { Services } from '../services';
import { promptEngine } from '../../core/format/loadEngine';
import { promptFilesFor } from '../host/promptFiles';
import type { ModelNode } from '../views/modelsTree';
import { writeFileAtomically } from '../../core/shared/atomicWrite';

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

export interface CreateDatasetResult extends DatasetReport {
  reportFile?: string;
}

const DEFAULT_SOURCES = '**/*.{prompt,jsonl,json,csv,txt,md}';

/**
 * "Create Fine-tuning Dataset": asks for what is missing (model, customization type, sources), then
 * builds train.jsonl / validation.jsonl and a report with progress and Cancel.
 */
export async function createDataset(
  { catalogue, logger }: Pick<Services, 'catalogue' | 'logger'>,
  arg?: CreateDatasetOptions | vscode.Uri | ModelNode,
  uris?: vscode.Uri[],
): Promise<CreateDatasetResult | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new BedrockError('PromptInvalid', 'Open a workspace folder: datasets are built from its files.');
  const opts: CreateDatasetOptions = arg instanceof vscode.Uri ? {} : arg && 'kind' in arg ? {} : (arg ?? {});
  const picked: vscode.Uri[] = arg instanceof vscode.Uri ? (uris && uris.length > 0 ? uris : [arg]) : [];
  const node = arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'model' ? arg.model : undefined;

  const engine = datasetEngine();
  const modelId = opts.targetModel ?? node?.modelId ?? (await pickModel(catalogue));
  if (!modelId) return undefined;
  const customization = opts.customization ?? (await pickCustomization(modelId, catalogue));
  if (!customization) return undefined;
  const rules = engine.rulesFor(modelId, customization);
  if (!rules) {
    throw new BedrockError(
      'Validation',
      `Bedrock does not offer ${customization === 'FINE_TUNING' ? 'fine-tuning' : 'continued pre-training'} for ${modelId}. Pick a customizable model (the Models view's "Can be customized" filter lists them).`,
    );
  }

  const outputDir = path.resolve(
    folder.uri.fsPath,
    opts.outputPath ?? path.join('datasets', `${modelId.split(':')[0].replace(/[^\w.-]/g, '-')}-${timestamp()}`),
  );
  const files = await findSources(folder, picked.length > 0 ? picked : undefined, opts.sources, outputDir);
  if (files.length === 0)
    throw new BedrockError(
      'Validation',
      'No source files matched. Choose files or folders (Explorer: right-click → Create Fine-tuning Dataset) or give source globs.',
    );

  const controller = new AbortController();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', () => controller.abort());
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building a ${rules.family} dataset`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let last = 0;
      return engine.buildDataset(files, {
        rules,
        modelId,
        outputDir,
        validationSplit: opts.validationSplit ?? (rules.validationAllowed ? 0.1 : 0),
        seed: opts.seed ?? 42,
        secrets: opts.secrets ?? 'block',
        signal: controller.signal,
        source: {
          pairing: opts.pairing,
          fields: opts.fields,
          // An untrusted workspace's prompts are not rendered (a template runs code paths chosen by the
          // file's author); its JSONL, CSV and paired files are still packaged.
          promptsSkipped: vscode.workspace.isTrusted
            ? undefined
            : '.prompt files are rendered only in a trusted workspace (Manage Workspace Trust)',
          renderPrompt: !vscode.workspace.isTrusted
            ? undefined
            : async (text, rel) => {
                // The one rule for inputs: a prompt that needs a value it has no default for would train on blanks.
                const missing = missingVariables(promptEngine().analyzePrompt(text), {});
                if (missing.length > 0)
                  throw new Error(
                    `Needs ${missing.map((n) => `{{${n}}}`).join(', ')}, which have no default: add them to \`input.default\` (or make them optional) so the example holds what a run would send.`,
                  );
                return engine.conversationFromRequest(
                  await promptEngine().renderForDataset(text, promptFilesFor(vscode.Uri.joinPath(folder.uri, rel))),
                );
              },
        },
        onProgress: (done, total, records) => {
          const pct = (done / total) * 100;
          progress.report({ increment: pct - last, message: `${done}/${total} files, ${records} records` });
          last = pct;
        },
      });
    },
  );

  const result: CreateDatasetResult = { ...report };
  if (report.failure?.startsWith('Cancelled')) {
    void vscode.window.showInformationMessage('Dataset build cancelled: nothing was written.');
    return result;
  }
  const reportFile = path.join(outputDir, 'dataset-report.md');
  try {
    await fs.mkdir(outputDir, { recursive: true });
    await writeFileAtomically(reportFile, engine.reportMarkdown(report));
    result.reportFile = reportFile;
  } catch {
    // The folder could not take the report either (the build's own message says why): no half report.
    if (report.ok)
      void vscode.window.showWarningMessage(
        `The dataset was built, but its report could not be written to ${vscode.workspace.asRelativePath(outputDir)}.`,
      );
  }
  logger.info(
    `dataset for ${modelId}: ${report.ok ? `${report.train} train / ${report.validation} validation` : report.failure}`,
  );
  if (opts.showReport !== false && result.reportFile)
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(reportFile));
  if (report.ok) {
    void vscode.window.showInformationMessage(
      `Dataset ready: ${report.train} training and ${report.validation} validation records in ${vscode.workspace.asRelativePath(outputDir)}.`,
    );
  } else {
    void vscode.window.showErrorMessage(`The dataset was not built: ${report.failure}`);
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
  // Every .gitignore (nested ones too) and .git/info/exclude, as git applies them. (The `ignore` package
  // lives in the dataset engine bundle.)
  const ignoreFiles = new Map<string, string>();
  for (const u of await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '**/.gitignore'),
    '**/node_modules/**',
  )) {
    const dir = path.relative(folder.uri.fsPath, path.dirname(u.fsPath)).split(path.sep).join('/');
    if (!dir.startsWith('..')) ignoreFiles.set(dir, await fs.readFile(u.fsPath, 'utf8').catch(() => ''));
  }
  const exclude = await fs.readFile(path.join(folder.uri.fsPath, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
  const ignored = datasetEngine().gitignoreFilter(ignoreFiles, exclude);
  const seen = new Set<string>();
  const files: DatasetFile[] = [];
  for (const u of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const rel = path.relative(folder.uri.fsPath, u.fsPath).split(path.sep).join('/');
    if (seen.has(rel) || rel.startsWith('..') || ignored(rel) || u.fsPath.startsWith(outputDir + path.sep)) continue;
    if (/(^|\/)(dataset-report\.md|train\.jsonl|validation\.jsonl)$/.test(rel)) continue;
    seen.add(rel);
    files.push({ path: rel, read: () => readTextFile(u.fsPath), fsPath: u.fsPath });
  }
  return files;
}

async function pickModel(catalogue: CatalogueService): Promise<string | undefined> {
  if (!catalogue.current) await catalogue.refresh();
  const models = (catalogue.current?.foundationModels.items ?? []).filter((m: FoundationModel) =>
    m.customizations.some((c) => c === 'FINE_TUNING' || c === 'CONTINUED_PRE_TRAINING'),
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
  const supported = catalogue.current?.foundationModels.items.find((m) => m.modelId === modelId)?.customizations ?? [
    'FINE_TUNING',
    'CONTINUED_PRE_TRAINING',
  ];
  const options = (['FINE_TUNING', 'CONTINUED_PRE_TRAINING'] as const).filter(
    (c) => supported.includes(c) && datasetEngine().rulesFor(modelId, c),
  );
  if (options.length === 1) return options[0];
  const pick = await vscode.window.showQuickPick(
    options.map((c) => ({
      label: c === 'FINE_TUNING' ? 'Fine-tuning' : 'Continued pre-training',
      detail:
        c === 'FINE_TUNING'
          ? 'labelled examples: prompts and the answers you want'
          : 'unlabelled text: documents the model should learn from',
      id: c,
    })),
    { title: `Customize ${modelId}` },
  );
  return pick?.id;
}

function timestamp(): string {
  return new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
}

// Build a customization dataset from workspace files: which files (git's ignore rules, never the output
// folder or an earlier build's files), the model's rules, prompts rendered into examples, the secret scan,
// train/validation JSONL and the report beside them. Shared by "Create Fine-tuning Dataset" and
// `prompt-lab dataset`; each front end finds candidate files and shows progress its own way.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BedrockError } from '../core/shared/bedrockError';
import type { DatasetReport } from '../core/dataset/build';
import { CUSTOMIZATION_KINDS, datasetRulesFor, type Customization } from '../core/models/registry';
import type { DatasetFile, FieldMap } from '../core/dataset/sources';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import { missingVariables } from '../core/format/inputs';
import { promptEngine } from '../core/format/loadEngine';
import type { PromptFiles } from '../core/format/render';
import { isInside } from '../core/io/promptFiles';
import { readTextFile } from '../core/io/readText';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import type { Host } from './host';

/** The files a folder search offers as dataset sources. */
export const DATASET_SOURCE_EXTENSIONS = ['.prompt', '.jsonl', '.json', '.csv', '.txt', '.md'];

/** A build's own files: never read back as sources. */
const BUILD_OUTPUT = /(^|\/)(dataset-report\.md|train\.jsonl|validation\.jsonl)$/;

/**
 * The sources among `candidates` (absolute paths): inside `root`, not ignored by git (every `.gitignore`
 * under the root and `.git/info/exclude`), not in the output folder, not an earlier build's output.
 * Sorted, each once, named relative to the root.
 */
export async function datasetSources(root: string, candidates: string[], outputDir: string): Promise<DatasetFile[]> {
  const ignored = datasetEngine().gitignoreFilter(
    await ignoreFilesUnder(root),
    await readOr(path.join(root, '.git', 'info', 'exclude')),
  );
  const seen = new Set<string>();
  const files: DatasetFile[] = [];
  const realRoot = await fs.realpath(root);
  for (const file of [...candidates].sort((a, b) => a.localeCompare(b))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (seen.has(rel) || !isInside(root, file) || ignored(rel)) continue;
    if (file.startsWith(outputDir + path.sep) || BUILD_OUTPUT.test(rel)) continue;
    // A link inside the folder to a file outside it (~/.aws/credentials) is not a source.
    const real = await fs.realpath(file).catch(() => undefined);
    if (!real || !isInside(realRoot, real)) continue;
    seen.add(rel);
    files.push({ path: rel, read: () => readTextFile(file), fsPath: file });
  }
  return files;
}

const readOr = (file: string) => fs.readFile(file, 'utf8').catch(() => '');

/** Every `.gitignore` under the root by the folder that holds it (`''` for the root); not in .git or node_modules. */
async function ignoreFilesUnder(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules')
        await walk(path.join(dir, entry.name));
      else if (entry.isFile() && entry.name === '.gitignore')
        found.set(path.relative(root, dir).split(path.sep).join('/'), await readOr(path.join(dir, entry.name)));
    }
  };
  await walk(root);
  return found;
}

export interface DatasetBuild {
  files: DatasetFile[];
  /** Base model id (the customization variant, e.g. `amazon.nova-lite-v1:0:300k`, or its on-demand id). */
  modelId: string;
  customization: Customization;
  outputDir: string;
  validationSplit?: number;
  seed?: number;
  secrets?: 'block' | 'redact';
  pairing?: { input: string; output: string };
  fields?: FieldMap;
  /** A prompt's media and partials, for the prompt at this root-relative path; absent: prompts are not rendered. */
  promptFiles?: (relPath: string) => PromptFiles;
  /** Why prompts are not rendered, for the report (an untrusted workspace). */
  promptsSkipped?: string;
  signal?: AbortSignal;
  onProgress?: (filesDone: number, files: number, records: number) => void;
}

export interface DatasetResult extends DatasetReport {
  /** `dataset-report.md` beside the records, when it could be written. */
  reportFile?: string;
}

/** The customization's name as people say it, for messages. */
export function customizationName(c: Customization): string {
  return CUSTOMIZATION_KINDS[c].name;
}

export async function buildDataset(host: Host, b: DatasetBuild): Promise<DatasetResult> {
  const engine = datasetEngine();
  const rules = datasetRulesFor(b.modelId, b.customization);
  if (!rules)
    throw new BedrockError(
      'Validation',
      `Bedrock does not offer ${customizationName(b.customization)} for ${b.modelId}. Pick a customizable model (the Models view's "Can be customized" filter lists them).`,
    );
  if (b.files.length === 0)
    throw new BedrockError('Validation', 'No source files matched: give the files or folders to build from.');
  const promptFiles = b.promptFiles;
  const report = await engine.buildDataset(b.files, {
    rules,
    modelId: b.modelId,
    outputDir: b.outputDir,
    validationSplit: b.validationSplit ?? (rules.validationAllowed ? 0.1 : 0),
    seed: b.seed ?? 42,
    secrets: b.secrets ?? 'block',
    signal: b.signal,
    source: {
      pairing: b.pairing,
      fields: b.fields,
      promptsSkipped: b.promptsSkipped,
      renderPrompt: promptFiles
        ? async (text, rel) => {
            // The one rule for inputs: a prompt that needs a value it has no default for would train on blanks.
            const missing = missingVariables(promptEngine().analyzePrompt(text), {});
            if (missing.length > 0)
              throw new Error(
                `Needs ${missing.map((n) => `{{${n}}}`).join(', ')}, which have no default: add them to \`input.default\` (or make them optional) so the example holds what a run would send.`,
              );
            return engine.conversationFromRequest(await promptEngine().renderForDataset(text, promptFiles(rel)));
          }
        : undefined,
    },
    onProgress: b.onProgress,
  });
  const result: DatasetResult = { ...report };
  if (report.failure?.startsWith('Cancelled')) return result;
  const reportFile = path.join(b.outputDir, 'dataset-report.md');
  try {
    await fs.mkdir(b.outputDir, { recursive: true });
    await writeFileAtomically(reportFile, engine.reportMarkdown(report));
    result.reportFile = reportFile;
  } catch (err) {
    // The folder could not take the report either (the build's own message says why): no half report.
    host.log.warn(
      `the dataset report could not be written to ${host.displayPath(b.outputDir)}: ${(err as Error).message}`,
    );
  }
  host.log.info(
    `dataset for ${b.modelId}: ${report.ok ? `${report.train} train / ${report.validation} validation` : report.failure}`,
  );
  return result;
}

/** A fresh output folder name for a model: `datasets/<model>-<yyyymmddhhmm>`. */
export function defaultDatasetDir(modelId: string, now = new Date()): string {
  return path.join(
    'datasets',
    `${modelId.split(':')[0].replace(/[^\w.-]/g, '-')}-${now.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`,
  );
}

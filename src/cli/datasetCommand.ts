// `prompt-lab dataset <paths…> --model ID --type fine-tuning|continued-pretraining -o DIR`: the editor's
// "Create Fine-tuning Dataset" in a terminal: the same sources rule (inside the working folder, git's
// ignore rules), the same build, secret scan and report (src/app/buildDataset.ts).
import path from 'node:path';
import type { Host } from '../app/host';
import {
  buildDataset,
  customizationName,
  DATASET_SOURCE_EXTENSIONS,
  datasetSources,
  defaultDatasetDir,
} from '../app/buildDataset';
import { BedrockError } from '../core/shared/bedrockError';
import type { Customization } from '../core/models/registry';
import { normalizeModelRef } from '../core/models/modelRef';
import { confinedPromptFiles, isInside } from '../core/io/promptFiles';
import { EXIT } from './exitCodes';
import { filesUnder } from './filesUnder';
import { progressLine } from './progress';

export const DATASET_TYPES: Record<string, Customization> = {
  'fine-tuning': 'FINE_TUNING',
  'continued-pretraining': 'CONTINUED_PRE_TRAINING',
  distillation: 'DISTILLATION',
  'reinforcement-fine-tuning': 'REINFORCEMENT_FINE_TUNING',
};

export interface DatasetCommandOptions {
  model: string;
  type: keyof typeof DATASET_TYPES;
  output?: string;
  validationSplit?: number;
  seed?: number;
  secrets: 'block' | 'redact';
  json?: boolean;
  quiet?: boolean;
}

export async function datasetCommand(
  host: Host,
  paths: string[],
  opts: DatasetCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  const root = process.cwd();
  const customization = DATASET_TYPES[opts.type];
  if (opts.validationSplit !== undefined && !(opts.validationSplit >= 0 && opts.validationSplit <= 0.5))
    throw new BedrockError('PromptInvalid', `--validation-split ${opts.validationSplit}: give a share from 0 to 0.5.`);
  for (const p of paths)
    if (!isInside(root, path.resolve(p)))
      throw new BedrockError(
        'PromptInvalid',
        `${p} is outside the working folder: datasets are built from the files of the folder prompt-lab runs in (cd there first).`,
      );
  const candidates = await filesUnder(paths.length > 0 ? paths : ['.'], {
    matches: (name) => DATASET_SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)),
    what: 'files or folders to build from',
  });
  const modelId = normalizeModelRef(opts.model).modelId;
  const outputDir = path.resolve(opts.output ?? defaultDatasetDir(modelId));
  const files = await datasetSources(root, candidates, outputDir);
  const progress = progressLine(files.length, 'files', { quiet: opts.quiet || opts.json });
  const result = await buildDataset(host, {
    files,
    modelId,
    customization,
    outputDir,
    validationSplit: opts.validationSplit,
    seed: opts.seed,
    secrets: opts.secrets,
    signal,
    promptFiles: (rel) => confinedPromptFiles(path.join(root, rel), root),
    onProgress: (done, _total, records) =>
      progress.update(done, undefined, `${records} record${records === 1 ? '' : 's'}`),
  });
  progress.end();
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (signal.aborted || result.failure?.startsWith('Cancelled')) {
    process.stderr.write('prompt-lab: the build was interrupted: nothing was written.\n');
    return EXIT.interrupted;
  }
  const report = result.reportFile ? ` (report: ${host.displayPath(result.reportFile)})` : '';
  if (!result.ok) {
    process.stderr.write(
      `prompt-lab: the ${customizationName(customization)} dataset was not built: ${result.failure ?? ''}${report}\n`,
    );
    return EXIT.failed;
  }
  if (!opts.quiet && !opts.json)
    process.stderr.write(
      `${customizationName(customization)} dataset for ${modelId}: ${result.train} training and ${result.validation} validation records from ${result.filesRead} files in ${host.displayPath(outputDir)}${report}${result.rejected.length ? `; ${result.rejected.length} records rejected (see the report)` : ''}\n`,
    );
  return EXIT.ok;
}

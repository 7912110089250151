import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import vscode = require('vscode');
import type { JobSummary } from '../../core/bedrock/clients';
import { BedrockError } from '../../core/shared/bedrockError';
import { checkHyperParameters, defaultHyperParameters } from '../../core/dataset/hyperparameters';
import type { SecretFinding } from '../../core/safety/secrets';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import type { Services } from '../services';
import { ask, completing } from '../host/inputBox';
import { requireTrust } from '../host/trust';
import { asPrefix, BUCKET_RULE, isBucketName, s3Uri, s3UriProblem } from '../../core/bedrock/s3Uri';
import { roleArnProblem } from '../../core/shared/arn';

export interface UploadOptions {
  /** The dataset folder (holding train.jsonl), relative to the workspace or absolute. */
  folder?: string;
  bucket?: string;
  prefix?: string;
}

export interface UploadResult {
  bucket: string;
  prefix: string;
  trainS3Uri: string;
  validationS3Uri?: string;
}

/** Scans a file line by line for secrets, so a hand-edited dataset is checked before it leaves too. */
async function scanFile(file: string, rel: string): Promise<SecretFinding[]> {
  const found: SecretFinding[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    line++;
    found.push(...(await datasetEngine().scanSecretsDeep(text, rel, line)));
  }
  return found;
}

export async function uploadDataset(
  { session, globalState: memento }: Pick<Services, 'session' | 'globalState'>,
  opts: UploadOptions = {},
): Promise<UploadResult | undefined> {
  requireTrust('Uploading a dataset');
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  let folder = opts.folder ? path.resolve(ws, opts.folder) : undefined;
  if (!folder) {
    const trains = await vscode.workspace.findFiles('**/train.jsonl', '**/node_modules/**');
    const pick = await vscode.window.showQuickPick(
      trains.map((u) => ({
        label: vscode.workspace.asRelativePath(path.dirname(u.fsPath)),
        dir: path.dirname(u.fsPath),
      })),
      {
        title: 'Dataset to upload',
        placeHolder: trains.length
          ? 'Folders holding a train.jsonl'
          : 'No train.jsonl yet: run "Create Fine-tuning Dataset" first',
      },
    );
    folder = pick?.dir;
  }
  if (!folder) return undefined;
  const train = path.join(folder, 'train.jsonl');
  if (!existsSync(train))
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(folder)} has no train.jsonl: build the dataset first.`,
    );
  const validation = path.join(folder, 'validation.jsonl');
  const files = [train, ...(existsSync(validation) ? [validation] : [])];
  const secrets = (await Promise.all(files.map((f) => scanFile(f, vscode.workspace.asRelativePath(f))))).flat();
  if (secrets.length > 0) {
    throw new BedrockError(
      'Validation',
      `Not uploaded: ${secrets.length} secret(s) found, first ${secrets[0].kind} at ${secrets[0].path}:${secrets[0].line}. Remove them (or rebuild the dataset with secrets set to redact).`,
    );
  }
  const clients = session.clients();
  const lastBucket = memento.get<string>('lastBucket');
  let bucket = opts.bucket;
  if (!bucket) {
    const buckets = await clients.storage.listBuckets().catch(() => [] as string[]);
    const pick = await vscode.window.showQuickPick(
      [...(lastBucket ? [lastBucket] : []), ...buckets.filter((b) => b !== lastBucket), '$(edit) Enter a bucket name…'],
      { title: 'S3 bucket for the dataset' },
    );
    bucket = pick?.startsWith('$(edit)')
      ? await vscode.window.showInputBox({
          title: 'S3 bucket',
          validateInput: (v) => (isBucketName(v) ? undefined : BUCKET_RULE),
        })
      : pick;
  }
  if (!bucket) return undefined;
  const prefix = (
    opts.prefix ??
    (await vscode.window.showInputBox({
      title: 'Key prefix',
      value: `bedrock-prompt-lab/${path.basename(folder)}/`,
    })) ??
    ''
  ).replace(/^\/+/, '');
  if (opts.prefix === undefined && prefix === '') return undefined;
  const norm = asPrefix(prefix);
  const uris = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Uploading to ${s3Uri(bucket, norm)}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const out: string[] = [];
      for (const f of files) {
        let last = 0;
        out.push(
          await clients.storage.uploadFile(
            bucket,
            `${norm}${path.basename(f)}`,
            f,
            (p) => {
              const pct = p.total ? (p.loaded / p.total) * (100 / files.length) : 0;
              progress.report({ increment: pct - last, message: path.basename(f) });
              last = pct;
            },
            controller.signal,
          ),
        );
      }
      return out;
    },
  );
  await memento.update('lastBucket', bucket);
  return { bucket, prefix: norm, trainS3Uri: uris[0], validationS3Uri: uris[1] };
}

export interface StartJobOptions {
  baseModelId?: string;
  customizationType?: 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING';
  trainingS3Uri?: string;
  validationS3Uri?: string;
  outputS3Uri?: string;
  jobName?: string;
  customModelName?: string;
  roleArn?: string;
  hyperParameters?: Record<string, string>;
}

/** CreateModelCustomizationJob with the model's hyperparameter defaults and ranges. */
export async function startCustomizationJob(
  { session, catalogue, globalState: memento, jobs }: Pick<Services, 'session' | 'catalogue' | 'globalState' | 'jobs'>,
  opts: StartJobOptions = {},
): Promise<string | undefined> {
  requireTrust('Starting a customization job');
  let base = opts.baseModelId;
  if (!base) {
    if (!catalogue.current) await catalogue.refresh();
    const models = (catalogue.current?.foundationModels.items ?? []).filter((m) => m.customizations.length > 0);
    base = (
      await vscode.window.showQuickPick(
        models.map((m) => ({
          label: m.modelId,
          description: `${m.modelName} · ${m.customizations.join(', ').toLowerCase()}`,
        })),
        { title: 'Base model' },
      )
    )?.label;
  }
  if (!base) return undefined;
  const type = opts.customizationType ?? 'FINE_TUNING';
  const training = await ask(opts.trainingS3Uri, {
    title: 'Training data (S3 URI)',
    placeHolder: 's3://bucket/prefix/train.jsonl',
    validateInput: (v) => s3UriProblem(v, 's3://bucket/prefix/train.jsonl'),
  });
  const validation =
    opts.validationS3Uri ??
    (opts.trainingS3Uri
      ? undefined
      : (await vscode.window.showInputBox({
          title: 'Validation data (S3 URI, optional)',
          validateInput: (v) => (v.trim() === '' ? undefined : s3UriProblem(v, 's3://bucket/prefix/validation.jsonl')),
        })) || undefined);
  const outputDefault = training.replace(/[^/]+$/, 'output/');
  const output = await ask(opts.outputS3Uri, {
    title: 'Output location (S3 URI)',
    value: outputDefault,
    validateInput: (v) => s3UriProblem(v),
  });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const shortBase =
    base
      .split(':')[0]
      .split('.')
      .pop()
      ?.replace(/[^a-zA-Z0-9-]/g, '-') ?? 'model';
  const jobName = await ask(opts.jobName, {
    title: 'Job name',
    value: `${shortBase}-${stamp}`,
    validateInput: (v) =>
      /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/.test(v) && v.length <= 63 ? undefined : 'Letters, digits, + - . (at most 63)',
  });
  const customModelName = await ask(opts.customModelName, {
    title: 'Custom model name',
    value: `${shortBase}-custom-${stamp}`,
    validateInput: (v) =>
      /^([0-9a-zA-Z][_-]?){1,63}$/.test(v) ? undefined : 'Letters and digits, single _ or - between them',
  });
  const roleArn = await ask(
    opts.roleArn,
    completing(memento.get<string>('lastRoleArn') ?? 'arn:aws:iam::', {
      title: 'IAM service role for Bedrock',
      prompt:
        'A role Bedrock can assume, with read access to the training data and write access to the output location.',
      placeHolder: 'arn:aws:iam::<account>:role/<name>',
      validateInput: (v) => roleArnProblem(v),
    }),
  );
  const hyperParameters = opts.hyperParameters ?? defaultHyperParameters(base);
  const problems = checkHyperParameters(base, hyperParameters);
  if (problems.length > 0) throw new BedrockError('Validation', `Hyperparameters: ${problems.join(' ')}`);
  const jobArn = await session.clients().customization.createJob({
    jobName,
    customModelName,
    roleArn,
    baseModelIdentifier: base,
    customizationType: type,
    trainingS3Uri: training,
    validationS3Uri: validation,
    outputS3Uri: output,
    hyperParameters,
  });
  await memento.update('lastRoleArn', roleArn);
  void vscode.window.showInformationMessage(
    `Customization job ${jobName} started. Follow it in the Bedrock "Customization Jobs" view.`,
  );
  await jobs.refresh();
  return jobArn;
}

export async function stopJob(
  { session, jobs }: Pick<Services, 'session' | 'jobs'>,
  job: JobSummary | string,
): Promise<void> {
  const arn = typeof job === 'string' ? job : job.jobArn;
  await session.clients().customization.stopJob(arn);
  await jobs.refresh();
}

/** A completed job, or a custom model's ARN (with a name, and `confirm` to skip the question). */
export type ProvisionTarget = JobSummary | { modelArn: string; name?: string; confirm?: boolean };

/** After a job completes: a custom model runs only through Provisioned Throughput, which costs money. */
export async function createProvisionedThroughput(
  { session, catalogue }: Pick<Services, 'session' | 'catalogue'>,
  job: ProvisionTarget,
): Promise<string | undefined> {
  requireTrust('Buying Provisioned Throughput');
  const modelArn = 'jobArn' in job ? job.customModelArn : job.modelArn;
  if (!modelArn) throw new BedrockError('Validation', 'This job has no custom model yet: wait until it has completed.');
  const name =
    ('jobArn' in job ? undefined : job.name) ?? `${('jobArn' in job ? job.customModelName : undefined) ?? 'custom'}-pt`;
  const confirmed =
    ('confirm' in job && job.confirm === true) ||
    (await vscode.window.showWarningMessage(
      `A custom model runs only through Provisioned Throughput. It is billed per model unit per hour while it exists, used or not; a commitment term (1 or 6 months) lowers the rate but binds you for the term. Create "${name}" with 1 model unit and no commitment?`,
      { modal: true },
      'Create (billed hourly)',
    )) === 'Create (billed hourly)';
  if (!confirmed) return undefined;
  const arn = await session.clients().customization.createProvisionedThroughput(name, modelArn, 1);
  void vscode.window.showInformationMessage(
    `Provisioned Throughput ${name} is being created. When it is in service it appears under "Provisioned throughput" in the Models view; run a prompt with it from there.`,
  );
  void catalogue.refresh();
  return arn;
}

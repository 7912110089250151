import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import vscode = require('vscode');
import type { JobSummary } from '../../core/bedrock/clients';
import {
  customizationJobInput,
  customModelNameProblem,
  defaultJobNames,
  jobNameProblem,
} from '../../app/customizationJob';
import { BedrockError } from '../../core/shared/bedrockError';
import { parseRftHyperParameters } from '../../core/dataset/hyperparameters';
import {
  CUSTOMIZATION_KINDS,
  datasetRulesFor,
  DISTILLATION_PAIRS_AS_OF,
  distillationTeachersFor,
  type Customization,
} from '../../core/models/registry';
import type { SecretFinding } from '../../core/safety/secrets';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import type { Services } from '../services';
import { ask, completing } from '../host/inputBox';
import { requireTrust } from '../host/trust';
import { asPrefix, BUCKET_RULE, isBucketName, s3Uri, s3UriProblem } from '../../core/bedrock/s3Uri';
import { lambdaArnProblem, roleArnProblem } from '../../core/shared/arn';
import { loadLossCurves } from '../../app/lossCurves';
import { lossSummary } from '../../core/bedrock/trainingMetrics';
import { LossChartPanel } from '../webview/lossChartPanel';

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
  /** The model to customize; for distillation, the student. */
  baseModelId?: string;
  customizationType?: Customization;
  trainingS3Uri?: string;
  /** Distillation from the account's invocation logs under this s3:// prefix (instead of a prompts file). */
  invocationLogsS3Uri?: string;
  /** With invocation logs: train on the logged answers rather than asking the teacher again. */
  usePromptResponse?: boolean;
  validationS3Uri?: string;
  outputS3Uri?: string;
  jobName?: string;
  customModelName?: string;
  roleArn?: string;
  hyperParameters?: Record<string, string>;
  teacherModelId?: string;
  maxResponseLengthForInference?: number;
  lambdaArn?: string;
  /** Reinforcement fine-tuning's hyperparameters as `name=value` pairs ('' for the service's defaults). */
  rftHyperParameters?: string;
}

const RFT_GRADER_NOTE =
  'The API grades with a Lambda function only. The console\'s "model as judge" grader is a Lambda the console generates: deploy yours (or that one) and give its ARN.';

/** The kinds of customization Bedrock offers a base model: the catalogue's list, and the registry's for RFT. */
function customizationsOf(catalogue: Services['catalogue'], modelId: string): Customization[] {
  const listed = catalogue.current?.foundationModels.items.find((m) => m.modelId === modelId)?.customizations ?? [];
  return (Object.keys(CUSTOMIZATION_KINDS) as Customization[]).filter((c) =>
    c === 'REINFORCEMENT_FINE_TUNING' ? datasetRulesFor(modelId, c) !== undefined : listed.includes(c),
  );
}

async function pickBaseModel(catalogue: Services['catalogue']): Promise<string | undefined> {
  if (!catalogue.current) await catalogue.refresh();
  const models = (catalogue.current?.foundationModels.items ?? []).filter(
    (m) => customizationsOf(catalogue, m.modelId).length > 0,
  );
  return (
    await vscode.window.showQuickPick(
      models.map((m) => ({
        label: m.modelId,
        description: `${m.modelName} · ${customizationsOf(catalogue, m.modelId)
          .map((c) => CUSTOMIZATION_KINDS[c].name)
          .join(', ')}`,
      })),
      { title: 'Base model (for distillation, the student)' },
    )
  )?.label;
}

async function pickKind(catalogue: Services['catalogue'], base: string): Promise<Customization | undefined> {
  const kinds = customizationsOf(catalogue, base);
  if (kinds.length <= 1) return kinds[0] ?? 'FINE_TUNING';
  return (
    await vscode.window.showQuickPick(
      kinds.map((c) => ({
        label: CUSTOMIZATION_KINDS[c].label,
        detail: CUSTOMIZATION_KINDS[c].detail,
        customization: c,
      })),
      { title: `Customize ${base}` },
    )
  )?.customization;
}

/** The teacher: the registry's pairs for this student first, any model or inference profile otherwise. */
async function pickTeacher(base: string): Promise<string> {
  const other = '$(edit) Another model or inference profile…';
  const teachers = distillationTeachersFor(base);
  const pick =
    teachers.length === 0
      ? other
      : (
          await vscode.window.showQuickPick(
            [
              ...teachers.map((t) => ({ label: t, description: 'paired with this student in the user guide' })),
              { label: other, description: '' },
            ],
            { title: `Teacher model for ${base}`, placeHolder: `Pairs as of ${DISTILLATION_PAIRS_AS_OF}` },
          )
        )?.label;
  if (pick === undefined) throw new BedrockError('Cancelled', 'Cancelled.');
  if (pick !== other) return pick;
  return ask(undefined, {
    title: 'Teacher model id or inference profile',
    prompt: 'A larger model whose answers the student learns from.',
    validateInput: (v) => (v.trim() ? undefined : 'Give a model id, e.g. amazon.nova-premier-v1:0'),
  });
}

/** Distillation learns from a prompts file or from the account's invocation logs. */
async function pickDistillationData(
  opts: StartJobOptions,
): Promise<{ trainingS3Uri?: string; invocationLogs?: { s3Uri: string; usePromptResponse: boolean } }> {
  if (opts.trainingS3Uri) return { trainingS3Uri: opts.trainingS3Uri };
  const logs = 'Invocation logs in S3';
  const source =
    opts.invocationLogsS3Uri !== undefined
      ? logs
      : (
          await vscode.window.showQuickPick(
            [
              {
                label: 'Prompts in S3',
                detail: 'a train.jsonl built by Create Fine-tuning Dataset (distillation) and uploaded',
              },
              { label: logs, detail: "the account's model invocation logs: the teacher answers what was asked" },
            ],
            { title: 'What the student learns from' },
          )
        )?.label;
  if (source === undefined) throw new BedrockError('Cancelled', 'Cancelled.');
  if (source !== logs) return {};
  const s3Uri = await ask(opts.invocationLogsS3Uri, {
    title: 'Invocation logs (S3 prefix)',
    placeHolder: 's3://bucket/AWSLogs/<account>/BedrockModelInvocationLogs/',
    validateInput: (v) => s3UriProblem(v),
  });
  const usePromptResponse =
    opts.usePromptResponse ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Ask the teacher', detail: 'the logged prompts are answered again by the teacher', use: false },
          { label: 'Use the logged answers', detail: 'train on the answers the logs already hold', use: true },
        ],
        { title: 'Answers for the logged prompts' },
      )
    )?.use;
  if (usePromptResponse === undefined) throw new BedrockError('Cancelled', 'Cancelled.');
  return { invocationLogs: { s3Uri, usePromptResponse } };
}

/**
 * CreateModelCustomizationJob: fine-tuning and continued pre-training with the model's hyperparameter
 * defaults and ranges, distillation with a teacher, reinforcement fine-tuning with a Lambda grader.
 */
export async function startCustomizationJob(
  { session, catalogue, globalState: memento, jobs }: Pick<Services, 'session' | 'catalogue' | 'globalState' | 'jobs'>,
  opts: StartJobOptions = {},
): Promise<string | undefined> {
  requireTrust('Starting a customization job');
  const base = opts.baseModelId ?? (await pickBaseModel(catalogue));
  if (!base) return undefined;
  if (!catalogue.current) await catalogue.refresh();
  const type = opts.customizationType ?? (await pickKind(catalogue, base));
  if (!type) return undefined;
  const kind = CUSTOMIZATION_KINDS[type];

  let teacherModelId: string | undefined;
  let maxResponseLengthForInference: number | undefined;
  let lambdaArn: string | undefined;
  let rftHyperParameters: string | undefined;
  let data: { trainingS3Uri?: string; invocationLogs?: { s3Uri: string; usePromptResponse: boolean } } = {};
  if (type === 'DISTILLATION') {
    teacherModelId = opts.teacherModelId ?? (await pickTeacher(base));
    maxResponseLengthForInference =
      opts.maxResponseLengthForInference ??
      Number(
        await ask(undefined, {
          title: 'Longest teacher answer (tokens)',
          value: '1000',
          validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'A whole number of tokens, e.g. 1000'),
        }),
      );
    data = await pickDistillationData(opts);
  }
  if (type === 'REINFORCEMENT_FINE_TUNING') {
    lambdaArn = await ask(
      opts.lambdaArn,
      completing(memento.get<string>('lastGraderArn') ?? 'arn:aws:lambda:', {
        title: 'Grader (Lambda function ARN)',
        prompt: RFT_GRADER_NOTE,
        placeHolder: 'arn:aws:lambda:<region>:<account>:function:<name>',
        validateInput: (v) => lambdaArnProblem(v),
      }),
    );
    rftHyperParameters = await ask(opts.rftHyperParameters, {
      title: "Reinforcement fine-tuning hyperparameters (empty: the service's defaults)",
      placeHolder: 'epochCount=2 batchSize=64 learningRate=0.00001 trainingSamplePerPrompt=4 reasoningEffort=medium',
      validateInput: (v) => parseRftHyperParameters(v).problems[0],
    });
  }

  const trainingS3Uri = data.invocationLogs
    ? undefined
    : await ask(data.trainingS3Uri ?? opts.trainingS3Uri, {
        title: `Training data for ${kind.name} (S3 URI)`,
        placeHolder: 's3://bucket/prefix/train.jsonl',
        validateInput: (v) => s3UriProblem(v, 's3://bucket/prefix/train.jsonl'),
      });
  const validation = !kind.takesValidationAndHyperParameters
    ? undefined
    : (opts.validationS3Uri ??
      (opts.trainingS3Uri
        ? undefined
        : (await vscode.window.showInputBox({
            title: 'Validation data (S3 URI, optional)',
            validateInput: (v) =>
              v.trim() === '' ? undefined : s3UriProblem(v, 's3://bucket/prefix/validation.jsonl'),
          })) || undefined));
  const outputDefault = (trainingS3Uri ?? data.invocationLogs?.s3Uri ?? 's3://bucket/').replace(/[^/]*$/, 'output/');
  const output = await ask(opts.outputS3Uri, {
    title: 'Output location (S3 URI)',
    value: outputDefault,
    validateInput: (v) => s3UriProblem(v),
  });
  const names = defaultJobNames(base, type);
  const jobName = await ask(opts.jobName, { title: 'Job name', value: names.jobName, validateInput: jobNameProblem });
  const customModelName = await ask(opts.customModelName, {
    title: 'Custom model name',
    value: names.customModelName,
    validateInput: customModelNameProblem,
  });
  const roleArn = await ask(
    opts.roleArn,
    completing(memento.get<string>('lastRoleArn') ?? 'arn:aws:iam::', {
      title: 'IAM service role for Bedrock',
      prompt: `A role Bedrock can assume, with read access to the training data and write access to the output location${
        type === 'DISTILLATION'
          ? ', allowed to invoke the teacher model'
          : type === 'REINFORCEMENT_FINE_TUNING'
            ? ', allowed to invoke the grader function'
            : ''
      }.`,
      placeHolder: 'arn:aws:iam::<account>:role/<name>',
      validateInput: (v) => roleArnProblem(v),
    }),
  );
  const input = customizationJobInput({
    baseModelId: base,
    customization: type,
    jobName,
    customModelName,
    roleArn,
    outputS3Uri: output,
    trainingS3Uri,
    invocationLogs: data.invocationLogs,
    validationS3Uri: validation,
    hyperParameters: opts.hyperParameters,
    teacherModelId,
    maxResponseLengthForInference,
    lambdaArn,
    rftHyperParameters,
  });
  const jobArn = await session.clients().customization.createJob(input);
  await memento.update('lastRoleArn', roleArn);
  if (lambdaArn) await memento.update('lastGraderArn', lambdaArn);
  void vscode.window.showInformationMessage(
    `${kind.label} job ${jobName} started${teacherModelId ? ` (teacher ${teacherModelId})` : ''}. Follow it in the Bedrock "Customization Jobs" view.`,
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

/**
 * Show Training Loss: a completed job's training and validation loss, read from the metrics files it
 * wrote to its S3 output, drawn as a chart. Without a job, asks for one of the completed jobs.
 */
export async function showTrainingLoss(
  { session, jobs, extensionUri, logger }: Pick<Services, 'session' | 'jobs' | 'extensionUri' | 'logger'>,
  job?: JobSummary,
): Promise<LossChartPanel | undefined> {
  let target = job;
  if (!target) {
    const completed = (jobs.current.length ? jobs.current : await jobs.refresh()).filter(
      (j) => j.status === 'Completed',
    );
    if (completed.length === 0)
      throw new BedrockError(
        'Validation',
        'No customization job has completed yet: a job writes its loss when it completes.',
      );
    target = (
      await vscode.window.showQuickPick(
        completed.map((j) => ({ label: j.jobName, description: j.baseModelId, job: j })),
        { title: 'Show the loss of' },
      )
    )?.job;
  }
  if (!target) return undefined;
  const clients = session.clients();
  const details = await clients.customization.getJob(target.jobArn);
  if (details.status !== 'Completed')
    throw new BedrockError(
      'Validation',
      `${details.jobName} is ${details.status}: a job writes its loss curves to its output location when it completes.`,
    );
  const curves = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Reading the metrics of ${details.jobName}`,
      cancellable: true,
    },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return loadLossCurves(clients.storage, details, controller.signal);
    },
  );
  return new LossChartPanel(
    extensionUri,
    {
      type: 'show',
      jobName: details.jobName,
      modelId: details.baseModelId,
      summary: lossSummary(curves),
      training: curves.training,
      validation: curves.validation,
      sources: curves.validation.length ? [curves.trainingFile, curves.validationFile] : [curves.trainingFile],
    },
    logger,
  );
}

// `prompt-lab customize start|status|loss`: model customization jobs from a terminal, through the same use
// cases as the editor (src/app/customizationJob.ts checks a job before it is sent and reads its stage;
// src/app/lossCurves.ts reads the loss a completed job wrote).
import type { Host } from '../app/host';
import { customizationJobInput, defaultJobNames, stageNote } from '../app/customizationJob';
import { loadLossCurves } from '../app/lossCurves';
import type { JobDetails, JobSummary } from '../core/bedrock/clients';
import { lossSummary } from '../core/bedrock/trainingMetrics';
import { CUSTOMIZATION_KINDS, type Customization } from '../core/models/registry';
import { BedrockError } from '../core/shared/bedrockError';
import { wait } from '../core/shared/wait';
import { DATASET_TYPES } from './datasetCommand';
import { EXIT } from './exitCodes';

export interface CustomizeStartOptions {
  model: string;
  type: keyof typeof DATASET_TYPES;
  output: string;
  role: string;
  train?: string;
  validation?: string;
  invocationLogs?: string;
  useLoggedAnswers?: boolean;
  jobName?: string;
  modelName?: string;
  /** Fine-tuning's `name=value` pairs. */
  hyperparameters?: string;
  teacher?: string;
  maxResponseTokens?: number;
  grader?: string;
  rftHyperparameters?: string;
  quiet?: boolean;
}

/** `epochCount=2,learningRate=0.00001` (commas or spaces) as Bedrock's string map. */
function pairs(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  return Object.fromEntries(
    text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((pair) => {
        const [name, value] = pair.split('=', 2);
        if (!name || value === undefined)
          throw new BedrockError('Validation', `--hyperparameters "${pair}": give name=value pairs (epochCount=2).`);
        return [name, value];
      }),
  );
}

export async function customizeStart(host: Host, opts: CustomizeStartOptions): Promise<number> {
  const customization: Customization = DATASET_TYPES[opts.type];
  const names = defaultJobNames(opts.model, customization);
  const input = customizationJobInput({
    baseModelId: opts.model,
    customization,
    jobName: opts.jobName ?? names.jobName,
    customModelName: opts.modelName ?? names.customModelName,
    roleArn: opts.role,
    outputS3Uri: opts.output,
    trainingS3Uri: opts.train,
    invocationLogs: opts.invocationLogs
      ? { s3Uri: opts.invocationLogs, usePromptResponse: opts.useLoggedAnswers === true }
      : undefined,
    validationS3Uri: opts.validation,
    hyperParameters: pairs(opts.hyperparameters),
    teacherModelId: opts.teacher,
    maxResponseLengthForInference: opts.maxResponseTokens,
    lambdaArn: opts.grader,
    rftHyperParameters: opts.rftHyperparameters,
  });
  const jobArn = await host.clients().customization.createJob(input);
  process.stdout.write(`${jobArn}\n`);
  if (!opts.quiet)
    process.stderr.write(
      `${CUSTOMIZATION_KINDS[customization].label} job ${input.jobName} started for ${opts.model}${input.distillation ? ` (teacher ${input.distillation.teacherModelIdentifier})` : ''}; follow it with prompt-lab customize status ${input.jobName} --wait\n`,
    );
  return EXIT.ok;
}

const RUNNING = new Set(['InProgress', 'Stopping']);

function jobLine(j: JobSummary): string {
  const kind = CUSTOMIZATION_KINDS[j.customizationType as Customization]?.name ?? j.customizationType ?? '';
  return [j.jobName, j.status, stageNote(j), `${kind} of ${j.baseModelId}`, j.customModelArn]
    .filter(Boolean)
    .join(' · ');
}

/** The jobs named (ARNs or names), or every job of the account; with their stages while they run. */
async function readJobs(host: Host, wanted: string[]): Promise<JobSummary[]> {
  const customization = host.clients().customization;
  const named = wanted.length > 0 ? wanted : (await customization.listJobs()).map((j) => j.jobArn);
  return Promise.all(named.map((id) => customization.getJob(id)));
}

export async function customizeStatus(
  host: Host,
  jobs: string[],
  opts: { json?: boolean; wait?: boolean; interval: number; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  let found = await readJobs(host, jobs);
  while (opts.wait && !signal.aborted && found.some((j) => RUNNING.has(j.status))) {
    if (!opts.quiet) process.stderr.write(`${found.map(jobLine).join('\n')}\n`);
    await wait(opts.interval * 1000, signal);
    if (signal.aborted) break;
    found = await readJobs(host, jobs);
  }
  process.stdout.write(
    opts.json ? `${JSON.stringify(found, null, 2)}\n` : found.length ? `${found.map(jobLine).join('\n')}\n` : '',
  );
  if (!opts.json && found.length === 0 && !opts.quiet)
    process.stderr.write('No customization jobs in this account and region.\n');
  if (signal.aborted) return EXIT.interrupted;
  return opts.wait && found.some((j) => j.status === 'Failed' || j.status === 'Stopped') ? EXIT.service : EXIT.ok;
}

export async function customizeLoss(
  host: Host,
  job: string,
  opts: { json?: boolean; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const clients = host.clients();
  const details: JobDetails = await clients.customization.getJob(job);
  if (details.status !== 'Completed')
    throw new BedrockError(
      'Validation',
      `${details.jobName} is ${details.status}: a job writes its loss curves to its output location when it completes (prompt-lab customize status ${details.jobName} --wait).`,
    );
  const curves = await loadLossCurves(clients.storage, details, signal);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ job: details.jobName, summary: lossSummary(curves), ...curves }, null, 2)}\n`,
    );
    return EXIT.ok;
  }
  const rows = [
    ...curves.training.map((p) => `training,${p.step},${p.epoch},${p.loss}`),
    ...curves.validation.map((p) => `validation,${p.step},${p.epoch},${p.loss}`),
  ];
  process.stdout.write(`series,step,epoch,loss\n${rows.join('\n')}\n`);
  if (!opts.quiet) process.stderr.write(`${details.jobName}: ${lossSummary(curves)}\n`);
  return EXIT.ok;
}

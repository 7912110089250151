// Bedrock batch inference jobs over rows: the records rendered and scanned for secrets, uploaded to S3,
// CreateModelInvocationJob; later the job's results brought back into the same output JSONL a local rows
// run writes. Shared by the editor's commands and `prompt-lab batch-job`.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isResultKey, jobLayout, jobNameFor, resultsLocation } from '../core/batch/jobLayout';
import type { BatchJobRecord, BatchJobStore } from '../core/batch/jobStore';
import type { BatchOutputLine } from '../core/batch/runBatch';
import type { BatchRow } from '../core/io/rows';
import type { InvocationJob } from '../core/bedrock/clients';
import { BedrockError } from '../core/shared/bedrockError';
import type { RunEstimate } from '../core/bedrock/pricing';
import { s3Uri, s3UriProblem } from '../core/bedrock/s3Uri';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import { roleArnProblem } from '../core/shared/arn';
import type { Host } from './host';
import { measuredTokensPerChar } from './estimatePrompt';
import type { RowsPlan } from './runRows';

/** Batch inference is billed at about half the on-demand price. */
export const BATCH_PRICE_FACTOR = 0.5;

export interface BatchJobStart {
  /** s3://bucket/prefix/ under which the job's input and output go. */
  s3Uri: string;
  roleArn: string;
  /** The prompt file's name, for the job's name. */
  promptName: string;
  /** What the job store remembers as the prompt (a URI string). */
  promptUri: string;
  jobName?: string;
  /** The rows batchJobRows returned, when the front end checked them first. */
  rows?: BatchRow[];
  /** Asked once the records are built and costed; false stops before anything is uploaded. */
  confirm?: (records: number, estimate: RunEstimate | undefined) => Promise<boolean>;
  /** Shown while the records upload. */
  uploading?: <T>(title: string, upload: () => Promise<T>) => Promise<T>;
}

export interface StartedBatchJob {
  jobArn: string;
  jobName: string;
  records: number;
  /** At on-demand prices: multiply by BATCH_PRICE_FACTOR for the job's. */
  estimate?: RunEstimate;
  record: BatchJobRecord;
}

/** The rows a job would send, checked against the service's record limits before anything else is asked. */
export async function batchJobRows(plan: RowsPlan): Promise<BatchRow[]> {
  const engine = datasetEngine();
  const fileName = path.basename(plan.dataPath);
  const tooMany = (n: number) =>
    new BedrockError(
      'Validation',
      `A batch inference job takes at most ${engine.MAX_BATCH_RECORDS} records; ${fileName} has ${n}. Split the file.`,
    );
  if (plan.survey.readable > engine.MAX_BATCH_RECORDS) throw tooMany(plan.survey.readable);
  // At most 50,000 records: read whole, since they are uploaded as one file.
  const good = (await engine.readRows(plan.dataPath)).filter((r) => !r.problem);
  if (good.length < engine.MIN_BATCH_RECORDS)
    throw new BedrockError(
      'Validation',
      `Bedrock batch inference needs at least ${engine.MIN_BATCH_RECORDS} records per job; ${fileName} has ${good.length}. Run the rows on demand instead (Run Over Dataset, prompt-lab rows).`,
    );
  if (good.length > engine.MAX_BATCH_RECORDS) throw tooMany(good.length);
  return good;
}

/** Renders, scans and uploads the rows as one job's records, then starts the job and remembers it. */
export async function startBatchJob(
  host: Host,
  plan: RowsPlan,
  store: BatchJobStore,
  opts: BatchJobStart,
): Promise<StartedBatchJob | undefined> {
  const engine = datasetEngine();
  const fileName = path.basename(plan.dataPath);
  const good = opts.rows ?? (await batchJobRows(plan));
  const roleProblem = roleArnProblem(opts.roleArn);
  if (roleProblem)
    throw new BedrockError('Validation', `${opts.roleArn} is not an IAM role ARN: write it as ${roleProblem}.`);
  const jobName = opts.jobName ?? jobNameFor(opts.promptName);
  const layout = jobLayout(opts.s3Uri, jobName);
  if (!layout)
    throw new BedrockError('Validation', `${opts.s3Uri} is not an S3 location: ${s3UriProblem(opts.s3Uri)}`, [
      'openSettings',
    ]);
  // Every row rendered into a record and scanned for secrets before anything leaves the machine.
  const { lines, chars, maxTokens, first } = await engine.buildJobRecords(good, plan.steps, fileName);
  const perChar = first && (await measuredTokensPerChar(host, first, new AbortController().signal));
  const estimate = host.estimateRun(plan.modelId, lines.length, chars / lines.length, maxTokens, perChar);
  if (opts.confirm && !(await opts.confirm(lines.length, estimate))) return undefined;
  const clients = host.clients();
  // Only this user may read it: it holds the rendered prompts.
  const tmp = path.join(os.tmpdir(), `bpl-batch-${process.pid}-${Date.now()}.jsonl`);
  await fs.writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  let jobArn: string;
  try {
    const upload = () => clients.storage.uploadFile(layout.bucket, layout.inputKey, tmp);
    await (opts.uploading
      ? opts.uploading(`Uploading ${lines.length} records to ${layout.inputUri}`, upload)
      : upload());
    jobArn = await clients.batch.createJob({
      jobName,
      roleArn: opts.roleArn,
      modelId: plan.modelId,
      inputS3Uri: layout.inputUri,
      outputS3Uri: layout.outputUri,
    });
  } finally {
    await fs.rm(tmp, { force: true });
  }
  const record: BatchJobRecord = {
    jobArn,
    promptUri: opts.promptUri,
    dataPath: plan.dataPath,
    outputPath: plan.outputPath,
    modelId: plan.modelId,
  };
  await store.remember(record);
  host.log.info(`batch inference job ${jobName} (${jobArn}) on ${plan.modelId}: ${lines.length} records`);
  return { jobArn, jobName, records: lines.length, estimate, record };
}

export interface CollectedBatchJob {
  job: InvocationJob;
  outputPath: string;
  lines: BatchOutputLine[];
  failed: number;
}

/** Reads a finished job's `.out` files from S3 and writes the output JSONL, as a local rows run would. */
export async function collectBatchJob(
  host: Host,
  jobArn: string,
  store: BatchJobStore,
  opts: { outputPath?: string } = {},
): Promise<CollectedBatchJob> {
  const clients = host.clients();
  const job = await clients.batch.getJob(jobArn);
  if (!['Completed', 'PartiallyCompleted'].includes(job.status))
    throw new BedrockError(
      'Validation',
      `The job ${job.jobName} is ${job.status}${job.message ? ` (${job.message})` : ''}: results come back only from a completed job.`,
    );
  const record = store.recordFor(jobArn);
  if (!record)
    throw new BedrockError(
      'NotFound',
      `The job ${job.jobName} was not started from here, so its input rows are unknown. Its raw output is at ${job.outputS3Uri}.`,
    );
  const rows = await datasetEngine().readRows(record.dataPath);
  const results = resultsLocation(job.outputS3Uri, jobArn);
  if (!results) throw new BedrockError('Validation', `The job has no output location (${job.outputS3Uri}).`);
  const keys = (await clients.storage.listKeys(results.bucket, results.prefix)).filter(isResultKey);
  if (keys.length === 0)
    throw new BedrockError('NotFound', `No results were found under ${s3Uri(results.bucket, results.prefix)}.`);
  const text = (await Promise.all(keys.map((k) => clients.storage.readText(results.bucket, k)))).join('\n');
  // Costed with the user's prices, at the batch discount.
  const costOf: typeof host.costOf = (modelId, usage) => {
    const c = host.costOf(modelId, usage);
    return c && { ...c, usd: c.usd * BATCH_PRICE_FACTOR };
  };
  const lines = datasetEngine().outputLinesFromJob(text, rows, record.modelId, costOf, job.status);
  const outputPath = opts.outputPath ?? record.outputPath;
  await datasetEngine().writeAtomically(
    outputPath,
    lines.map((l) => JSON.stringify(l)),
  );
  return { job, outputPath, lines, failed: lines.filter((l) => l.error).length };
}

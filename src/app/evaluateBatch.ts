// `backend: batch`: an evaluation's generation step as Bedrock batch inference jobs, one per model, at
// about half the on-demand price. Each call the plan still needs becomes a Converse-format record, scanned
// for secrets before it is uploaded; calls that use tools stay on demand (Converse-type batch jobs reject
// `toolConfig`), and so does a model with fewer calls than a job's minimum. When a job ends its answers
// come back as outcomes, and runEvaluation judges and records them like any other answer, so the report,
// the JSON and the history are the same. The jobs are remembered with the plan: running the same
// evaluation again waits for them (and collects them) instead of starting new ones.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { isResultKey, jobLayout, jobNameFor, resultsLocation } from '../core/batch/jobLayout';
import type { InvokeOutcome } from '../core/bedrock/invoke';
import { s3UriProblem } from '../core/bedrock/s3Uri';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import { roleArnProblem } from '../core/shared/arn';
import { BedrockError } from '../core/shared/bedrockError';
import { wait } from '../core/shared/wait';
import { BATCH_PRICE_FACTOR } from './batchJobs';
import type { EvaluationPlan, EvalTask } from './evaluate';
import type { Host } from './host';
import type { JobStore } from './evaluationStore';
import { requestFor } from './runPrompt';

export interface EvalBatchJob {
  model: string;
  jobArn: string;
  jobName: string;
  /** The task keys in record order: record i answers keys[i]. */
  keys: string[];
}

export interface EvalBatchOptions {
  /** s3://bucket/prefix/ for the jobs' input and output. */
  s3Uri: string;
  roleArn: string;
  signal: AbortSignal;
  jobs: JobStore<EvalBatchJob>;
  /** The calls already made (the journal): not sent again. */
  done: ReadonlySet<string>;
  /** Between status checks. */
  pollMs: number;
  /** A line of progress: jobs started, their status. */
  onStatus?(message: string): void;
}

export interface BatchAnswers {
  /** The answers the jobs gave, by task key. */
  answers: Map<string, InvokeOutcome>;
  /** What the calls cost against on demand. */
  priceFactor: number;
  /** Calls that run on demand instead, and why. */
  notes: string[];
  /** Set when the wait was cancelled: the jobs keep running, and the same command collects them. */
  interrupted?: boolean;
}

/** The fewest calls a model needs for a job (the service's default quota; the front ends offer batch from it). */
export { MIN_BATCH_RECORDS as MIN_BATCH_CALLS } from '../core/batch/batchInference';

const ENDED = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']);

/** Checks what Bedrock jobs (batch inference, evaluation jobs) need before anything is rendered or sent. */
export function bedrockJobsProblem(s3Uri: string | undefined, roleArn: string | undefined): string | undefined {
  if (!s3Uri) return 'names no S3 location for the jobs';
  const s3 = s3UriProblem(s3Uri);
  if (s3) return `${s3Uri} is not an S3 location: ${s3}`;
  if (!roleArn) return 'names no service role Bedrock can assume to read and write that location';
  const role = roleArnProblem(roleArn);
  return role ? `${roleArn} is not an IAM role ARN: write it as ${role}` : undefined;
}

/**
 * Starts (or finds again) a batch job per model for the plan's calls not yet made, waits for them, and
 * returns their answers. Calls it cannot send in a job are left out of `answers`: runEvaluation makes
 * them on demand.
 */
export async function answerOnBatch(host: Host, plan: EvaluationPlan, opts: EvalBatchOptions): Promise<BatchAnswers> {
  const engine = datasetEngine();
  const clients = host.clients();
  const notes: string[] = [];
  let jobs = await opts.jobs.read();
  const inJobs = new Set(jobs.flatMap((j) => j.keys));
  const pending = plan.tasks.filter((t) => !opts.done.has(t.key) && !inJobs.has(t.key));

  // The calls to send, by model; those with tools (or that do not render) stay on demand.
  const byModel = new Map<string, { task: EvalTask; request: ConverseCommandInput }[]>();
  let withTools = 0;
  for (const task of pending) {
    let request: ConverseCommandInput;
    try {
      request = requestFor(await task.prompt.render(task.testCase.input), task.config.model);
    } catch {
      continue; // runEvaluation reports the render error on the case
    }
    if (request.toolConfig) {
      withTools++;
      continue;
    }
    const list = byModel.get(task.config.model) ?? [];
    list.push({ task, request });
    byModel.set(task.config.model, list);
  }
  if (withTools > 0)
    notes.push(`${withTools} call${withTools > 1 ? 's' : ''} with tools run on demand: batch jobs take no tools`);

  for (const [model, calls] of byModel) {
    if (calls.length < engine.MIN_BATCH_RECORDS) {
      notes.push(
        `${model}: ${calls.length} call${calls.length > 1 ? 's' : ''}, under the ${engine.MIN_BATCH_RECORDS} a batch job needs: run on demand`,
      );
      continue;
    }
    for (let start = 0; start < calls.length; start += engine.MAX_BATCH_RECORDS) {
      if (opts.signal.aborted) break;
      const chunk = calls.slice(start, start + engine.MAX_BATCH_RECORDS);
      const job = await startJob(host, plan, model, chunk, opts);
      jobs = [...jobs, job];
      // Remembered at once: a run stopped from here on waits for this job next time.
      await opts.jobs.write(jobs);
      opts.onStatus?.(`batch job ${job.jobName} started on ${model}: ${chunk.length} records`);
    }
  }

  // Waits for every job of the plan, then reads their answers.
  const answers = new Map<string, InvokeOutcome>();
  const remaining = new Set(jobs.map((j) => j.jobArn));
  while (remaining.size > 0) {
    for (const job of jobs.filter((j) => remaining.has(j.jobArn))) {
      const status = await clients.batch.getJob(job.jobArn);
      if (!ENDED.has(status.status)) {
        opts.onStatus?.(
          `batch job ${job.jobName}: ${status.status}${status.processedRecordCount !== undefined ? ` (${status.processedRecordCount}/${job.keys.length})` : ''}`,
        );
        continue;
      }
      remaining.delete(job.jobArn);
      if (status.status !== 'Completed' && status.status !== 'PartiallyCompleted')
        throw new BedrockError(
          'Validation',
          `The batch job ${job.jobName} on ${job.model} ended ${status.status}${status.message ? `: ${status.message}` : ''}. Run the evaluation again with --restart to start new jobs, or without --backend batch to run on demand.`,
        );
      for (const [key, outcome] of await readAnswers(host, job, status.outputS3Uri)) answers.set(key, outcome);
      opts.onStatus?.(`batch job ${job.jobName}: ${status.status}, ${job.keys.length} answers collected`);
    }
    if (remaining.size === 0) break;
    if (opts.signal.aborted) return { answers, priceFactor: BATCH_PRICE_FACTOR, notes, interrupted: true };
    await wait(opts.pollMs, opts.signal);
  }
  return { answers, priceFactor: BATCH_PRICE_FACTOR, notes };
}

async function startJob(
  host: Host,
  plan: EvaluationPlan,
  model: string,
  calls: { task: EvalTask; request: ConverseCommandInput }[],
  opts: EvalBatchOptions,
): Promise<EvalBatchJob> {
  const engine = datasetEngine();
  const jobName = jobNameFor(`${plan.input.name}-eval`);
  const layout = jobLayout(opts.s3Uri, jobName)!;
  const lines: string[] = [];
  for (const [i, { task, request }] of calls.entries()) {
    const line = engine.toBatchRecord(i, request);
    // Nothing leaves the machine with a secret in it.
    const secret = (await engine.scanSecretsDeep(line, task.caseId, 1))[0];
    if (secret)
      throw new BedrockError(
        'Validation',
        `Not uploaded: a secret (${secret.kind}) is in what case ${task.caseId} sends. Remove it from the case, then retry.`,
      );
    lines.push(line);
  }
  // Only this user may read it: it holds the rendered prompts.
  const tmp = path.join(os.tmpdir(), `bpl-eval-batch-${process.pid}-${Date.now()}.jsonl`);
  await fs.writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  try {
    const clients = host.clients();
    await clients.storage.uploadFile(layout.bucket, layout.inputKey, tmp, undefined, opts.signal);
    const jobArn = await clients.batch.createJob({
      jobName,
      roleArn: opts.roleArn,
      modelId: model,
      inputS3Uri: layout.inputUri,
      outputS3Uri: layout.outputUri,
    });
    host.log.info(
      `evaluation ${plan.input.name}: batch job ${jobName} (${jobArn}) on ${model}, ${lines.length} records`,
    );
    return { model, jobArn, jobName, keys: calls.map((c) => c.task.key) };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** A job's `.out` records as outcomes of the calls they answer; a record the job did not return is an error. */
async function readAnswers(
  host: Host,
  job: EvalBatchJob,
  outputS3Uri: string | undefined,
): Promise<Map<string, InvokeOutcome>> {
  const clients = host.clients();
  const results = resultsLocation(outputS3Uri, job.jobArn);
  if (!results) throw new BedrockError('Validation', `The batch job ${job.jobName} has no output location.`);
  const keys = (await clients.storage.listKeys(results.bucket, results.prefix)).filter(isResultKey);
  const text = (await Promise.all(keys.map((k) => clients.storage.readText(results.bucket, k)))).join('\n');
  // The one reader of the `.out` format (core/batch/batchInference.ts), record i answering keys[i].
  const rows = job.keys.map((_, index) => ({ index, line: index + 1, input: {} }));
  const lines = datasetEngine().outputLinesFromJob(text, rows, job.model, () => undefined, 'ended');
  const out = new Map<string, InvokeOutcome>();
  lines.forEach((line, i) =>
    out.set(
      job.keys[i],
      line.error
        ? {
            text: '',
            reasoning: '',
            toolCalls: [],
            latencyMs: 0,
            error: new BedrockError('ModelError', `the batch job ${job.jobName} answered: ${line.error.message}`),
          }
        : {
            text: line.output ?? '',
            reasoning: '',
            toolCalls: [],
            stopReason: line.stopReason,
            usage: line.usage,
            // A batch job has no latency per call.
            latencyMs: 0,
          },
    ),
  );
  return out;
}

// `prompt-lab batch-job start|status|collect`: Bedrock batch inference from a terminal. The same use cases
// as the editor's commands (src/app/batchJobs.ts); the jobs started here are remembered in
// `.prompt-lab/batch-jobs.json` (where their rows came from and where their results go), as the editor
// remembers them in the workspace's state.
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Host } from '../app/host';
import { BATCH_PRICE_FACTOR, collectBatchJob, startBatchJob } from '../app/batchJobs';
import { planRows } from '../app/runRows';
import { BatchJobStore, type KeyValueStore } from '../core/batch/jobStore';
import type { InvocationJob } from '../core/bedrock/clients';
import { BedrockError } from '../core/shared/bedrockError';
import { wait } from '../core/shared/wait';
import { estimateBasis, formatEstimate, formatUsd } from '../core/bedrock/pricing';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { EXIT } from './exitCodes';
import { loadPrompt } from './runCommand';

export const JOBS_FILE = path.join('.prompt-lab', 'batch-jobs.json');

/** A key-value store in one JSON file, written whole under a temporary name and renamed. */
export function jsonFileStore(file: string): KeyValueStore {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT')
      throw new BedrockError(
        'PromptInvalid',
        `${file} cannot be read (${(err as Error).message}): fix or delete it (it lists the batch jobs started here).`,
      );
  }
  return {
    get: <T>(key: string, defaultValue: T) => (Object.hasOwn(data, key) ? (data[key] as T) : defaultValue),
    async update(key, value) {
      data = { ...data, [key]: value };
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomically(file, `${JSON.stringify(data, null, 2)}\n`);
    },
  };
}

const jobStore = () => new BatchJobStore(jsonFileStore(path.resolve(JOBS_FILE)));

export interface BatchJobStartOptions {
  s3: string;
  role: string;
  output?: string;
  model?: string;
  jobName?: string;
  maxCost?: number;
  quiet?: boolean;
}

export async function batchJobStart(
  host: Host,
  file: string,
  rowsFile: string,
  opts: BatchJobStartOptions,
): Promise<number> {
  const prompt = await loadPrompt(file);
  const plan = await planRows(host, prompt, path.resolve(rowsFile), {
    outputPath: opts.output ? path.resolve(opts.output) : undefined,
    modelId: opts.model,
  });
  let overBudget = '';
  const started = await startBatchJob(host, plan, jobStore(), {
    s3Uri: opts.s3,
    roleArn: opts.role,
    promptName: path.basename(prompt.promptPath),
    promptUri: pathToFileURL(prompt.promptPath).toString(),
    jobName: opts.jobName,
    confirm: async (records, estimate) => {
      const most = estimate && (estimate.maxUsd ?? estimate.inputUsd) * BATCH_PRICE_FACTOR;
      if (opts.maxCost === undefined || most === undefined || most <= opts.maxCost) return true;
      overBudget = `${records} records on ${plan.modelId} are estimated at ${formatEstimate(estimate!, BATCH_PRICE_FACTOR)} at batch prices, over --max-cost ${formatUsd(opts.maxCost)}. Nothing was uploaded.`;
      return false;
    },
  });
  if (!started) {
    process.stderr.write(`prompt-lab: gate failed: ${overBudget}\n`);
    return EXIT.failed;
  }
  process.stdout.write(`${started.jobArn}\n`);
  if (!opts.quiet)
    process.stderr.write(
      `batch inference job ${started.jobName} started with ${started.records} records${started.estimate ? ` (${formatEstimate(started.estimate, BATCH_PRICE_FACTOR)} at batch prices; ${estimateBasis(started.estimate)})` : ''}; follow it with: prompt-lab batch-job status ${started.jobArn}\n`,
    );
  return EXIT.ok;
}

const FINISHED = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']);
const FAILED = new Set(['Failed', 'Stopped', 'Expired']);

function jobLine(job: InvocationJob): string {
  const counts =
    job.totalRecordCount !== undefined
      ? ` · ${job.processedRecordCount ?? 0}/${job.totalRecordCount} records${job.errorRecordCount ? `, ${job.errorRecordCount} failed` : ''}`
      : '';
  return `${job.jobName}\t${job.status}${counts}${job.message ? ` · ${job.message}` : ''}\t${job.jobArn}`;
}

export async function batchJobStatus(
  host: Host,
  arns: string[],
  opts: { json?: boolean; wait?: boolean; interval: number; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const store = jobStore();
  const wanted = arns.length > 0 ? arns : store.all().map((r) => r.jobArn);
  if (wanted.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      `No batch jobs were started from this folder (${JOBS_FILE}): give a job ARN, or start one with prompt-lab batch-job start.`,
    );
  const batch = host.clients().batch;
  let jobs = await Promise.all(wanted.map((arn) => batch.getJob(arn)));
  while (opts.wait && !signal.aborted && jobs.some((j) => !FINISHED.has(j.status))) {
    if (!opts.quiet) process.stderr.write(`${jobs.map(jobLine).join('\n')}\n`);
    await wait(opts.interval * 1000, signal);
    if (signal.aborted) break;
    jobs = await Promise.all(wanted.map((arn) => batch.getJob(arn)));
  }
  process.stdout.write(opts.json ? `${JSON.stringify(jobs, null, 2)}\n` : `${jobs.map(jobLine).join('\n')}\n`);
  if (signal.aborted) return EXIT.interrupted;
  // With --wait, a job that ended without results is a failed step.
  return opts.wait && jobs.some((j) => FAILED.has(j.status)) ? EXIT.service : EXIT.ok;
}

export async function batchJobCollect(
  host: Host,
  arn: string,
  opts: { output?: string; quiet?: boolean },
): Promise<number> {
  const collected = await collectBatchJob(host, arn, jobStore(), {
    outputPath: opts.output ? path.resolve(opts.output) : undefined,
  });
  const cost = collected.lines.reduce((sum, l) => sum + (l.costUsd ?? 0), 0);
  if (!opts.quiet)
    process.stderr.write(
      `${collected.job.jobName}: ${collected.lines.length} rows → ${host.displayPath(collected.outputPath)} · ~${formatUsd(cost)} at batch prices${collected.failed ? `; ${collected.failed} failed: see their "error"` : ''}\n`,
    );
  return collected.failed > 0 ? EXIT.failed : EXIT.ok;
}

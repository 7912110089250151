// Batch runs of a prompt over a data file: locally ("Run Over Dataset": one Converse call per row,
// bounded and adaptive concurrency, resumable) or as a Bedrock batch inference job (records uploaded to
// S3, CreateModelInvocationJob, results brought back). Both write the same output JSONL.
import path from 'node:path';
import vscode = require('vscode');
import { BATCH_PRICE_FACTOR, batchJobRows, collectBatchJob, startBatchJob } from '../../app/batchJobs';
import { roleArnProblem } from '../../core/shared/arn';
import { discardPartial, estimateRows, planRows, runRows, type RowsPlan } from '../../app/runRows';
import type { BatchOutputLine, BatchRunResult } from '../../core/batch/runBatch';
import type { InvocationJob } from '../../core/bedrock/clients';
import { BedrockError } from '../../core/shared/bedrockError';
import { estimateBasis, formatEstimate, type RunEstimate } from '../../core/bedrock/pricing';
import { s3UriProblem } from '../../core/bedrock/s3Uri';
import { requireNoErrors } from '../../core/format/inputs';
import { config } from '../host/config';
import { ask, completing } from '../host/inputBox';
import { promptFilesFor, promptUriFor } from '../host/promptFiles';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

export interface BatchOptions {
  /** The .prompt file (URI string); the active editor's when absent. */
  uri?: string;
  /** The input rows: a .jsonl, .csv or .json file (path or URI string). */
  data?: string;
  /** Where the output JSONL goes; `<data>.results.jsonl` by default. */
  output?: string;
  /** Another model than the prompt's. */
  modelId?: string;
  concurrency?: number;
  /** What to do with an earlier, interrupted run's rows: resume (default) or start over. */
  resume?: boolean;
}

/** What the batch commands use from the extension's services. */
export type BatchServices = Pick<
  Services,
  'session' | 'host' | 'analyses' | 'globalState' | 'logger' | 'batchJobs' | 'batchJobStore'
>;

const toUri = (s: string) =>
  /^[a-z][\w+.-]+:/i.test(s) && !/^[a-z]:\\/i.test(s)
    ? vscode.Uri.parse(s)
    : vscode.Uri.file(path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', s));

interface Prepared extends RowsPlan {
  promptUri: vscode.Uri;
}

async function prepare(d: BatchServices, opts: BatchOptions, what: string): Promise<Prepared | undefined> {
  requireTrust(what);
  const promptUri = await promptUriFor(opts.uri ? toUri(opts.uri) : undefined, `${what}: which prompt?`);
  if (!promptUri) return undefined;
  if (!promptUri.path.endsWith('.prompt'))
    throw new BedrockError(
      'PromptInvalid',
      `Open a .prompt file first: ${what} runs a prompt over each row of a data file.`,
    );
  const doc = await vscode.workspace.openTextDocument(promptUri);
  requireNoErrors(d.analyses.get(doc));
  let dataUri = opts.data ? toUri(opts.data) : undefined;
  if (!dataUri) {
    const picked = await vscode.window.showOpenDialog({
      title: `${what}: input rows`,
      canSelectMany: false,
      defaultUri: vscode.Uri.joinPath(promptUri, '..'),
      filters: { 'Rows (JSONL, CSV, JSON)': ['jsonl', 'ndjson', 'csv', 'json'] },
      openLabel: 'Use these rows',
    });
    dataUri = picked?.[0];
  }
  if (!dataUri) return undefined;
  const plan = await planRows(
    d.host,
    { text: doc.getText(), analysis: d.analyses.get(doc), files: promptFilesFor(promptUri) },
    dataUri.fsPath,
    { outputPath: opts.output ? toUri(opts.output).fsPath : undefined, modelId: opts.modelId },
  );
  return Object.assign(plan, { promptUri });
}

/** Asks before a run estimated at `bedrockPromptLab.batch.confirmAboveUsd` or more; true to go on. */
async function confirmCost(what: string, estimate: RunEstimate | undefined, factor = 1): Promise<boolean> {
  const threshold = config.batchConfirmAboveUsd();
  if (!estimate || (estimate.maxUsd ?? estimate.inputUsd) * factor < threshold) return true;
  const pick = await vscode.window.showWarningMessage(
    `${what} is estimated to cost ${formatEstimate(estimate, factor)} (${estimate.inputTokens.toLocaleString('en-US')} ${estimateBasis(estimate)}${estimate.maxOutputTokens !== undefined ? `, up to ${estimate.maxOutputTokens.toLocaleString('en-US')} output tokens` : ''}; prices: ${estimate.source}).`,
    {
      modal: true,
      detail:
        'Input tokens are estimated at 4 characters each; the output bound is maxOutputTokens for every row. Change the threshold in bedrockPromptLab.batch.confirmAboveUsd.',
    },
    'Run',
  );
  return pick === 'Run';
}

/** Run Over Dataset: every row through the prompt, into an output JSONL. */
export async function runOverDataset(
  d: BatchServices,
  opts: BatchOptions = {},
): Promise<(BatchRunResult & { estimate?: RunEstimate }) | undefined> {
  const p = await prepare(d, opts, 'Run Over Dataset');
  if (!p) return undefined;
  if (opts.data === undefined && p.survey.count >= 1000) {
    // Large and not urgent: a batch inference job costs about half as much.
    const pick = await vscode.window.showInformationMessage(
      `${p.survey.count} rows: a Bedrock batch inference job costs about half the on-demand price, with results within hours instead of now. Run them here anyway?`,
      'Run Here',
      'Start Batch Inference Job',
    );
    if (!pick) return undefined;
    if (pick === 'Start Batch Inference Job') {
      await startBatchInference(d, { ...opts, uri: p.promptUri.toString(), data: p.dataPath });
      return undefined;
    }
  }
  const partial = p.partialPath;
  if (p.hasPartial && opts.resume === undefined) {
    const pick = await vscode.window.showInformationMessage(
      `An earlier run over ${path.basename(p.dataPath)} was interrupted. Resume it (rows already answered are not sent again) or start over?`,
      'Resume',
      'Start Over',
    );
    if (!pick) return undefined;
    if (pick === 'Start Over') await discardPartial(p);
  } else if (p.hasPartial && opts.resume === false) {
    await discardPartial(p);
  }
  const estimate = await estimateRows(d.host, p);
  if (
    !(await confirmCost(
      `Running ${path.basename(p.promptUri.fsPath)} over ${p.survey.count} rows on ${p.modelId}`,
      estimate,
    ))
  )
    return undefined;
  const concurrency = Math.max(1, opts.concurrency ?? config.batchConcurrency());
  const rel = vscode.workspace.asRelativePath(p.outputPath);
  d.logger.info(
    `batch run of ${vscode.workspace.asRelativePath(p.promptUri)} over ${p.survey.count} rows on ${p.modelId} (concurrency ${concurrency}) → ${rel}; estimated ${estimate ? `${formatEstimate(estimate)} (${estimateBasis(estimate)})` : 'cost unknown (no price for the model)'}`,
  );
  const ran = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Running ${path.basename(p.promptUri.fsPath)} over ${p.survey.count} rows${estimate ? ` (${formatEstimate(estimate)})` : ''}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      return runRows(d.host, p, {
        concurrency,
        signal: abort.signal,
        onProgress: (s) => {
          const pct = (s.done / s.total) * 100;
          progress.report({
            increment: pct - reported,
            message: `${s.done}/${s.total}${s.failed ? ` · ${s.failed} failed` : ''}${s.throttled ? ` · throttled ${s.throttled}×, ${s.concurrency} at a time` : ''}`,
          });
          reported = pct;
        },
      });
    },
  );
  const { fatalError, ...result } = { ...ran, estimate };
  if (fatalError)
    throw new BedrockError(
      fatalError.code,
      `${fatalError.message} The rows answered so far are kept in ${vscode.workspace.asRelativePath(partial)}; run again to resume.`,
      fatalError.actions,
      fatalError.cause,
      fatalError.data,
    );
  if (!result.complete) {
    void vscode.window.showInformationMessage(
      `Stopped after ${result.resumed + result.written} of ${result.total} rows. Run Over Dataset again to resume; the answers so far are in ${vscode.workspace.asRelativePath(partial)}.`,
    );
    return result;
  }
  void vscode.window
    .showInformationMessage(
      `${result.total} rows → ${rel}${result.failed ? ` (${result.failed} failed: see their "error")` : ''}.`,
      'Open Results',
    )
    .then((pick) => pick && vscode.window.showTextDocument(vscode.Uri.file(p.outputPath)));
  return result;
}

export interface BatchInferenceOptions extends BatchOptions {
  /** s3://bucket/prefix/ under which the input and output go. */
  s3Uri?: string;
  roleArn?: string;
  jobName?: string;
}

/** Bedrock batch inference: records → S3 → CreateModelInvocationJob; the Batch Jobs view follows it. */
export async function startBatchInference(
  d: BatchServices,
  opts: BatchInferenceOptions = {},
): Promise<string | undefined> {
  const p = await prepare(d, opts, 'Batch inference');
  if (!p) return undefined;
  const rows = await batchJobRows(p);
  const location = await ask(
    opts.s3Uri ?? config.batchS3Uri(),
    completing(d.globalState.get<string>('lastBatchS3Uri') ?? 's3://', {
      title: 'S3 location for the batch input and output',
      placeHolder: 's3://bucket/prefix/',
      validateInput: (v) => s3UriProblem(v),
    }),
  );
  const roleArn = await ask(
    opts.roleArn ?? config.batchRoleArn(),
    completing(
      d.globalState.get<string>('lastBatchRoleArn') ?? d.globalState.get<string>('lastRoleArn') ?? 'arn:aws:iam::',
      {
        title: 'IAM service role for batch inference',
        prompt: 'A role Bedrock can assume, with read access to the input and write access to the output location.',
        placeHolder: 'arn:aws:iam::<account>:role/<name>',
        validateInput: roleArnProblem,
      },
    ),
  );
  const started = await startBatchJob(d.host, p, d.batchJobStore, {
    s3Uri: location,
    roleArn,
    promptName: path.basename(p.promptUri.fsPath),
    promptUri: p.promptUri.toString(),
    jobName: opts.jobName,
    rows,
    confirm: (records, estimate) =>
      confirmCost(`A batch inference job of ${records} records on ${p.modelId}`, estimate, BATCH_PRICE_FACTOR),
    uploading: (title, upload) =>
      Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, upload)),
  });
  if (!started) return undefined;
  await d.globalState.update('lastBatchS3Uri', location);
  await d.globalState.update('lastBatchRoleArn', roleArn);
  void vscode.window.showInformationMessage(
    `Batch inference job ${started.jobName} started with ${started.records} records${started.estimate ? ` (${formatEstimate(started.estimate, BATCH_PRICE_FACTOR)} at batch prices)` : ''}. Follow it in the "Batch Inference Jobs" view; the results come back to ${vscode.workspace.asRelativePath(p.outputPath)}.`,
  );
  await d.batchJobs.refresh();
  return started.jobArn;
}

/** Reads a finished job's `.out` files from S3 and writes the output JSONL, as a local batch run would. */
export async function downloadBatchResults(
  d: BatchServices,
  job: InvocationJob | string,
): Promise<{ outputPath: string; lines: BatchOutputLine[] } | undefined> {
  const arn = typeof job === 'string' ? job : job.jobArn;
  const collected = await collectBatchJob(d.host, arn, d.batchJobStore);
  void vscode.window
    .showInformationMessage(
      `${collected.job.jobName}: ${collected.lines.length} rows → ${vscode.workspace.asRelativePath(collected.outputPath)}${collected.failed ? ` (${collected.failed} failed)` : ''}.`,
      'Open Results',
    )
    .then((pick) => pick && vscode.window.showTextDocument(vscode.Uri.file(collected.outputPath)));
  return { outputPath: collected.outputPath, lines: collected.lines };
}

export async function stopBatchJob(d: BatchServices, job: InvocationJob | string): Promise<void> {
  await d.session.clients().batch.stopJob(typeof job === 'string' ? job : job.jobArn);
  await d.batchJobs.refresh();
}

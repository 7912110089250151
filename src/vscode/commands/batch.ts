// Batch runs of a prompt over a data file: locally ("Run Over Dataset": one Converse call per row,
// bounded and adaptive concurrency, resumable) or as a Bedrock batch inference job (records uploaded to
// S3, CreateModelInvocationJob, results brought back). Both write the same output JSONL.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vscode = require('vscode');
import { isResultKey, jobLayout, jobNameFor, resultsLocation } from '../../core/batch/jobLayout';
import type { BatchJobRecord } from '../../core/batch/jobStore';
import type { BatchRow, RowSurvey } from '../../core/io/rows';
import type { BatchOutputLine, BatchRunResult } from '../../core/batch/runBatch';
import { runCase, type CaseSteps } from '../../core/batch/runCase';
import type { InvocationJob } from '../../core/bedrock/clients';
import { BedrockError } from '../../core/bedrock/errors';
import { converseOnce } from '../../core/bedrock/invoke';
import { normalizeModelRef } from '../../core/bedrock/modelRef';
import { formatEstimate, type RunEstimate } from '../../core/bedrock/pricing';
import { s3Uri, s3UriProblem } from '../../core/bedrock/s3Uri';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import { config } from '../host/config';
import { ask, completing } from '../host/inputBox';
import { costOf, estimateRunCost, PRICES } from '../host/pricing';
import type { Services } from '../services';
import { requireTrust } from '../host/trust';
import { inputProblem, missingVariables, requireNoErrors } from '../../core/format/inputs';
import { compilePromptFile, promptUriFor, requestFor } from '../host/promptFiles';

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
  'session' | 'analyses' | 'globalState' | 'logger' | 'batchJobs' | 'batchJobStore'
>;

const toUri = (s: string) =>
  /^[a-z][\w+.-]+:/i.test(s) && !/^[a-z]:\\/i.test(s)
    ? vscode.Uri.parse(s)
    : vscode.Uri.file(path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', s));

interface Prepared {
  promptUri: vscode.Uri;
  /** Each row's check, render (the prompt compiled once) and request for the run's model. */
  steps: CaseSteps;
  dataPath: string;
  outputPath: string;
  /** What one pass over the rows found (count, keys, a sample): the rows themselves are streamed. */
  survey: RowSurvey;
  rows: () => AsyncIterable<BatchRow>;
  modelId: string;
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
  let survey: RowSurvey;
  try {
    survey = await datasetEngine().surveyRows(dataUri.fsPath);
  } catch (err) {
    throw new BedrockError(
      'Validation',
      `Could not read the rows in ${vscode.workspace.asRelativePath(dataUri)}: ${(err as Error).message}`,
    );
  }
  if (survey.count === 0)
    throw new BedrockError('Validation', `${vscode.workspace.asRelativePath(dataUri)} has no rows.`);
  const dataPath = dataUri.fsPath;
  const outputPath = opts.output
    ? toUri(opts.output).fsPath
    : dataUri.fsPath.replace(/\.(jsonl|ndjson|csv|json)$/i, '') + '.results.jsonl';
  // A column the prompt needs that no row has is a mapping mistake: say so before any call is made.
  const analysis = d.analyses.get(doc);
  const missingEverywhere = survey.first
    ? missingVariables(analysis, survey.first.input).filter((n) => !survey.keys.has(n))
    : [];
  if (missingEverywhere.length > 0) {
    const keys = [...survey.keys].slice(0, 20).join(', ');
    throw new BedrockError(
      'Validation',
      `No row of ${path.basename(dataUri.fsPath)} has ${missingEverywhere.map((n) => `"${n}"`).join(', ')}, which the prompt uses without a default. The rows have: ${keys || 'no fields'}. Rename the column (or key), or give the prompt a default.`,
    );
  }
  const render = await compilePromptFile(doc.getText(), promptUri);
  // The model: the caller's, or the one the prompt renders with (rendering the first row finds it).
  const modelId = opts.modelId
    ? normalizeModelRef(opts.modelId).modelId
    : (await render(survey.first?.input ?? {})).request.modelId;
  const steps: CaseSteps = {
    problem: (input) => inputProblem(analysis, input),
    render,
    requestFor: (rendered) => requestFor(rendered, modelId),
  };
  return { promptUri, steps, dataPath, outputPath, survey, rows: () => datasetEngine().streamRows(dataPath), modelId };
}

/** The run's likely cost, from up to 50 rows sampled over the file (the prompt is compiled, so rendering is cheap). */
async function estimateRows(p: Prepared): Promise<RunEstimate | undefined> {
  const sample = await datasetEngine().sampleRequests(p.survey, p.steps);
  return sample && estimateRunCost(p.modelId, sample.calls, sample.averageChars, sample.maxTokens);
}

/** Asks before a run estimated at `bedrockPromptLab.batch.confirmAboveUsd` or more; true to go on. */
async function confirmCost(what: string, estimate: RunEstimate | undefined, factor = 1): Promise<boolean> {
  const threshold = config.batchConfirmAboveUsd();
  if (!estimate || (estimate.maxUsd ?? estimate.inputUsd) * factor < threshold) return true;
  const pick = await vscode.window.showWarningMessage(
    `${what} is estimated to cost ${formatEstimate(estimate, factor)} (${estimate.inputTokens.toLocaleString('en-US')} input tokens${estimate.maxOutputTokens !== undefined ? `, up to ${estimate.maxOutputTokens.toLocaleString('en-US')} output tokens` : ''}; prices: ${estimate.source}).`,
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
  const engine = datasetEngine();
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
  const partial = engine.partialPathFor(p.outputPath);
  const hasPartial = await fs.stat(partial).then(
    () => true,
    () => false,
  );
  if (hasPartial && opts.resume === undefined) {
    const pick = await vscode.window.showInformationMessage(
      `An earlier run over ${path.basename(p.dataPath)} was interrupted. Resume it (rows already answered are not sent again) or start over?`,
      'Resume',
      'Start Over',
    );
    if (!pick) return undefined;
    if (pick === 'Start Over') await fs.rm(partial, { force: true });
  } else if (hasPartial && opts.resume === false) {
    await fs.rm(partial, { force: true });
  }
  const estimate = await estimateRows(p);
  if (
    !(await confirmCost(
      `Running ${path.basename(p.promptUri.fsPath)} over ${p.survey.count} rows on ${p.modelId}`,
      estimate,
    ))
  )
    return undefined;
  const concurrency = Math.max(1, opts.concurrency ?? config.batchConcurrency());
  const runtime = d.session.clients().runtime;
  const rel = vscode.workspace.asRelativePath(p.outputPath);
  d.logger.info(
    `batch run of ${vscode.workspace.asRelativePath(p.promptUri)} over ${p.survey.count} rows on ${p.modelId} (concurrency ${concurrency}) → ${rel}; estimated ${estimate ? formatEstimate(estimate) : 'cost unknown (no price for the model)'}`,
  );
  // The last error of each code, to stop with the original error's actions (Choose Profile, …).
  const errors = new Map<string, BedrockError>();
  const invoke = async (row: BatchRow, signal: AbortSignal): Promise<BatchOutputLine> => {
    const ran = await runCase(row.input, p.steps, (request) =>
      converseOnce(
        runtime,
        request,
        { operation: `batch row ${row.index + 1}`, profile: d.session.profile, modelId: p.modelId },
        { signal, retries: false },
      ),
    );
    if (!ran.ok)
      return {
        row: row.index,
        input: row.input,
        modelId: p.modelId,
        error: { code: ran.code, message: `line ${row.line}: ${ran.message}` },
      };
    const o = ran.outcome;
    if (o.error) errors.set(o.error.code, o.error);
    if (o.error)
      return {
        row: row.index,
        input: row.input,
        modelId: p.modelId,
        latencyMs: Math.round(o.latencyMs),
        error: { code: o.error.code, message: o.error.message },
      };
    return {
      row: row.index,
      input: row.input,
      modelId: p.modelId,
      output: o.text,
      stopReason: o.stopReason,
      usage: o.usage,
      latencyMs: Math.round(o.latencyMs),
      costUsd: costOf(p.modelId, o.usage)?.usd,
    };
  };
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
      return engine.runBatch({
        rows: p.rows,
        total: p.survey.count,
        modelId: p.modelId,
        outputPath: p.outputPath,
        concurrency,
        invoke,
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
  const result = { ...ran, estimate };
  d.logger.info(
    `batch run: ${result.written} written, ${result.failed} failed, ${result.resumed} resumed, throttled ${result.stats.throttled}× (lowest concurrency ${result.stats.lowestConcurrency}), complete=${result.complete}`,
  );
  if (result.fatal) {
    const original = errors.get(result.fatal.code);
    throw new BedrockError(
      original?.code ?? 'Unknown',
      `${result.fatal.message} The rows answered so far are kept in ${vscode.workspace.asRelativePath(partial)}; run again to resume.`,
      original?.actions ?? ['showLog'],
      original?.cause,
      original?.data,
    );
  }
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
  const engine = datasetEngine();
  if (p.survey.readable > engine.MAX_BATCH_RECORDS)
    throw new BedrockError(
      'Validation',
      `A batch inference job takes at most ${engine.MAX_BATCH_RECORDS} records; ${path.basename(p.dataPath)} has ${p.survey.readable}. Split the file.`,
    );
  // At most 50,000 records: read whole, since they are uploaded as one file.
  const good = (await engine.readRows(p.dataPath)).filter((r) => !r.problem);
  if (good.length < engine.MIN_BATCH_RECORDS) {
    throw new BedrockError(
      'Validation',
      `Bedrock batch inference needs at least ${engine.MIN_BATCH_RECORDS} records per job; ${path.basename(p.dataPath)} has ${good.length}. Use "Run Over Dataset" for small inputs.`,
    );
  }
  if (good.length > engine.MAX_BATCH_RECORDS)
    throw new BedrockError(
      'Validation',
      `A batch inference job takes at most ${engine.MAX_BATCH_RECORDS} records; ${path.basename(p.dataPath)} has ${good.length}. Split the file.`,
    );
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
        validateInput: (v) =>
          /^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(v) ? undefined : 'arn:aws:iam::<account>:role/<name>',
      },
    ),
  );
  const jobName = opts.jobName ?? jobNameFor(path.basename(p.promptUri.fsPath));
  const layout = jobLayout(location, jobName);
  if (!layout)
    throw new BedrockError('Validation', `${location} is not an S3 location: ${s3UriProblem(location)}`, [
      'openSettings',
    ]);

  // Render every row into a record, scanning each for secrets before anything leaves the machine.
  const tmp = path.join(os.tmpdir(), `bpl-batch-${process.pid}-${Date.now()}.jsonl`);
  const { lines, chars, maxTokens } = await engine.buildJobRecords(good, p.steps, path.basename(p.dataPath));
  // Batch inference is billed at about half the on-demand price.
  const estimate = estimateRunCost(p.modelId, lines.length, chars / lines.length, maxTokens);
  if (!(await confirmCost(`A batch inference job of ${lines.length} records on ${p.modelId}`, estimate, 0.5)))
    return undefined;
  // Only this user may read it: it holds the rendered prompts.
  await fs.writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  const clients = d.session.clients();
  let jobArn: string;
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Uploading ${lines.length} records to ${layout.inputUri}`,
      },
      () => clients.storage.uploadFile(layout.bucket, layout.inputKey, tmp),
    );
    jobArn = await clients.batch.createJob({
      jobName,
      roleArn,
      modelId: p.modelId,
      inputS3Uri: layout.inputUri,
      outputS3Uri: layout.outputUri,
    });
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await d.globalState.update('lastBatchS3Uri', location);
  await d.globalState.update('lastBatchRoleArn', roleArn);
  const record: BatchJobRecord = {
    jobArn,
    promptUri: p.promptUri.toString(),
    dataPath: p.dataPath,
    outputPath: p.outputPath,
    modelId: p.modelId,
  };
  await d.batchJobStore.remember(record);
  d.logger.info(`batch inference job ${jobName} (${jobArn}) on ${p.modelId}: ${lines.length} records`);
  void vscode.window.showInformationMessage(
    `Batch inference job ${jobName} started with ${lines.length} records${estimate ? ` (${formatEstimate(estimate, 0.5)} at batch prices)` : ''}. Follow it in the "Batch Inference Jobs" view; the results come back to ${vscode.workspace.asRelativePath(p.outputPath)}.`,
  );
  await d.batchJobs.refresh();
  return jobArn;
}

/** Reads a finished job's `.out` files from S3 and writes the output JSONL, as a local batch run would. */
export async function downloadBatchResults(
  d: BatchServices,
  job: InvocationJob | string,
): Promise<{ outputPath: string; lines: BatchOutputLine[] } | undefined> {
  const arn = typeof job === 'string' ? job : job.jobArn;
  const clients = d.session.clients();
  const details = await clients.batch.getJob(arn);
  if (!['Completed', 'PartiallyCompleted'].includes(details.status)) {
    throw new BedrockError(
      'Validation',
      `The job ${details.jobName} is ${details.status}${details.message ? ` (${details.message})` : ''}: results come back only from a completed job.`,
    );
  }
  const record = d.batchJobStore.recordFor(arn);
  if (!record)
    throw new BedrockError(
      'NotFound',
      `The job ${details.jobName} was not started from this workspace, so its input rows are unknown. Its raw output is at ${details.outputS3Uri}.`,
    );
  const rows = await datasetEngine().readRows(record.dataPath);
  const results = resultsLocation(details.outputS3Uri, arn);
  if (!results) throw new BedrockError('Validation', `The job has no output location (${details.outputS3Uri}).`);
  const keys = (await clients.storage.listKeys(results.bucket, results.prefix)).filter(isResultKey);
  if (keys.length === 0)
    throw new BedrockError('NotFound', `No results were found under ${s3Uri(results.bucket, results.prefix)}.`);
  const text = (await Promise.all(keys.map((k) => clients.storage.readText(results.bucket, k)))).join('\n');
  const lines = datasetEngine().outputLinesFromJob(text, rows, record.modelId, PRICES, details.status);
  await datasetEngine().writeAtomically(
    record.outputPath,
    lines.map((l) => JSON.stringify(l)),
  );
  const failed = lines.filter((l) => l.error).length;
  void vscode.window
    .showInformationMessage(
      `${details.jobName}: ${lines.length} rows → ${vscode.workspace.asRelativePath(record.outputPath)}${failed ? ` (${failed} failed)` : ''}.`,
      'Open Results',
    )
    .then((pick) => pick && vscode.window.showTextDocument(vscode.Uri.file(record.outputPath)));
  return { outputPath: record.outputPath, lines };
}

export async function stopBatchJob(d: BatchServices, job: InvocationJob | string): Promise<void> {
  await d.session.clients().batch.stopJob(typeof job === 'string' ? job : job.jobArn);
  await d.batchJobs.refresh();
}

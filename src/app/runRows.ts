// Run a prompt over rows (a JSONL, CSV or JSON file): one Converse call per row with bounded, adaptive
// concurrency, into an output JSONL that resumes after an interruption (src/core/batch/runBatch.ts).
// Shared by the editor's "Run Over Dataset" and `prompt-lab rows`; each front end asks, shows progress
// and words the outcome its own way.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { BatchOutputLine, BatchProgress, BatchRunResult } from '../core/batch/runBatch';
import { runCase, type CaseSteps } from '../core/batch/runCase';
import { BedrockError } from '../core/shared/bedrockError';
import { callCost, converseOnce } from '../core/bedrock/invoke';
import { normalizeModelRef } from '../core/models/modelRef';
import type { RunEstimate } from '../core/bedrock/pricing';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import { inputProblem, missingVariables, requireNoErrors } from '../core/format/inputs';
import type { BatchRow, RowSurvey } from '../core/io/rows';
import type { Host, PromptSource } from './host';
import { compilePromptText, requestFor } from './runPrompt';
import { retrieverFor } from './retrieval';
import { answeringRuntime } from './answering';
import { measuredTokensPerChar } from './estimatePrompt';

/** A rows run checked and ready: nothing has been sent yet. */
export interface RowsPlan {
  /** Each row's check, render (the prompt compiled once) and request for the run's model. */
  steps: CaseSteps;
  dataPath: string;
  outputPath: string;
  /** What one pass over the rows found (count, keys, a sample): the rows themselves are streamed. */
  survey: RowSurvey;
  rows: () => AsyncIterable<BatchRow>;
  modelId: string;
  /** An earlier, interrupted run's answers wait in `partialPath`: running resumes them. */
  partialPath: string;
  hasPartial: boolean;
}

/** Where the results of a rows file go unless the user says: `<rows>.results.jsonl`. */
export function defaultOutputPath(dataPath: string): string {
  return dataPath.replace(/\.(jsonl|ndjson|csv|json)$/i, '') + '.results.jsonl';
}

/** Reads the rows' shape, checks the prompt can take them, compiles the prompt and picks the model. */
export async function planRows(
  host: Host,
  prompt: PromptSource,
  dataPath: string,
  opts: { outputPath?: string; modelId?: string } = {},
): Promise<RowsPlan> {
  requireNoErrors(prompt.analysis);
  const engine = datasetEngine();
  let survey: RowSurvey;
  try {
    survey = await engine.surveyRows(dataPath);
  } catch (err) {
    throw new BedrockError(
      'Validation',
      `Could not read the rows in ${host.displayPath(dataPath)}: ${(err as Error).message}`,
    );
  }
  if (survey.count === 0) throw new BedrockError('Validation', `${host.displayPath(dataPath)} has no rows.`);
  // A column the prompt needs that no row has is a mapping mistake: say so before any call is made.
  const missingEverywhere = survey.first
    ? missingVariables(prompt.analysis, survey.first.input).filter((n) => !survey.keys.has(n))
    : [];
  if (missingEverywhere.length > 0) {
    const keys = [...survey.keys].slice(0, 20).join(', ');
    throw new BedrockError(
      'Validation',
      `No row of ${path.basename(dataPath)} has ${missingEverywhere.map((n) => `"${n}"`).join(', ')}, which the prompt uses without a default. The rows have: ${keys || 'no fields'}. Rename the column (or key), or give the prompt a default.`,
    );
  }
  const render = await compilePromptText(prompt.text, prompt.files, retrieverFor(host));
  // The model: the caller's, or the one the prompt renders with (rendering the first row finds it).
  const modelId = opts.modelId
    ? normalizeModelRef(opts.modelId).modelId
    : (await render(survey.first?.input ?? {})).request.modelId;
  const outputPath = opts.outputPath ?? defaultOutputPath(dataPath);
  const partialPath = engine.partialPathFor(outputPath);
  const hasPartial = await fs.stat(partialPath).then(
    () => true,
    () => false,
  );
  return {
    steps: {
      problem: (input) => inputProblem(prompt.analysis, input),
      render,
      requestFor: (rendered) => requestFor(rendered, modelId),
    },
    dataPath,
    outputPath,
    survey,
    rows: () => engine.streamRows(dataPath),
    modelId,
    partialPath,
    hasPartial,
  };
}

/** The run's likely cost, from up to 50 rows sampled over the file (the prompt is compiled, so rendering is cheap). */
export async function estimateRows(
  host: Host,
  plan: RowsPlan,
  signal: AbortSignal = new AbortController().signal,
): Promise<RunEstimate | undefined> {
  const sample = await datasetEngine().sampleRequests(plan.survey, plan.steps);
  if (!sample) return undefined;
  const perChar = await measuredTokensPerChar(host, sample.first, signal);
  return host.estimateRun(plan.modelId, sample.calls, sample.averageChars, sample.maxTokens, perChar);
}

/** Forgets an interrupted run's answers, so the next run starts over. */
export async function discardPartial(plan: RowsPlan): Promise<void> {
  await fs.rm(plan.partialPath, { force: true });
  plan.hasPartial = false;
}

export interface RowsResult extends BatchRunResult {
  /** The error that stopped every row (credentials, access, an unknown model), with its actions. */
  fatalError?: BedrockError;
}

/** Every row through the prompt; rows answered in an earlier interrupted run are not sent again. */
export async function runRows(
  host: Host,
  plan: RowsPlan,
  opts: { concurrency: number; signal?: AbortSignal; onProgress?: (p: BatchProgress) => void },
): Promise<RowsResult> {
  // The last error of each code, to stop with the original error's actions (Choose Profile, …).
  const errors = new Map<string, BedrockError>();
  const invoke = async (row: BatchRow, signal: AbortSignal): Promise<BatchOutputLine> => {
    const base = { row: row.index, input: row.input, modelId: plan.modelId };
    const ran = await runCase(row.input, plan.steps, (request, rendered) =>
      converseOnce(
        answeringRuntime(host.clients(), rendered).runtime,
        request,
        { operation: `batch row ${row.index + 1}`, profile: host.profile(), modelId: plan.modelId },
        { signal, retries: false },
      ),
    );
    if (!ran.ok) return { ...base, error: { code: ran.code, message: `line ${row.line}: ${ran.message}` } };
    const o = ran.outcome;
    if (o.error) {
      errors.set(o.error.code, o.error);
      return { ...base, latencyMs: Math.round(o.latencyMs), error: { code: o.error.code, message: o.error.message } };
    }
    return {
      ...base,
      output: o.text,
      stopReason: o.stopReason,
      usage: o.usage,
      latencyMs: Math.round(o.latencyMs),
      costUsd: callCost((m, u) => host.costOf(m, u), plan.modelId, o)?.usd,
    };
  };
  const result = await datasetEngine().runBatch({
    rows: plan.rows,
    total: plan.survey.count,
    modelId: plan.modelId,
    outputPath: plan.outputPath,
    concurrency: Math.max(1, opts.concurrency),
    invoke,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  host.log.info(
    `rows run: ${result.written} written, ${result.failed} failed, ${result.resumed} resumed, throttled ${result.stats.throttled}× (lowest concurrency ${result.stats.lowestConcurrency}), complete=${result.complete}`,
  );
  if (!result.fatal) return result;
  const original = errors.get(result.fatal.code);
  return {
    ...result,
    fatalError: new BedrockError(
      original?.code ?? 'Unknown',
      result.fatal.message,
      original?.actions ?? ['showLog'],
      original?.cause,
      original?.data,
    ),
  };
}

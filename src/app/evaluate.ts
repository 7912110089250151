// An evaluation: prompts (a prompt and its variants, `name.variant.prompt`) × models × the cases of the
// prompt's `.tests.yaml`, each case `repeat` times, every call through the same per-case use case as
// prompt tests (src/app/runTests.ts) but streamed, so the time to the first token is measured. Planned
// (which model can take which prompt), estimated (calls and cost, input tokens counted by CountTokens where
// the model has it), then run under a budget; cancel keeps what finished, and the journal lets the same
// evaluation resume. Both front ends call this; the record it returns is src/core/eval/evaluation.ts's.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { AdaptiveLimiter } from '../core/bedrock/adaptiveLimiter';
import { requestChars } from '../core/bedrock/pricing';
import {
  EVAL_RECORD_VERSION,
  type EvalCase,
  type EvalConfig,
  type EvalRecord,
  type EvalSample,
  type EvalSettings,
  REFERENCE_LABEL,
} from '../core/eval/evaluation';
import type { PromptAnalysis } from '../core/format/analyze';
import { promptEngine } from '../core/format/loadEngine';
import type { RenderResult } from '../core/format/render';
import { isJudged, type PromptTestFile, type TestCase } from '../core/format/testCases';
import { modelProblems, needsOfRequest } from '../core/models/modelChecks';
import { provisionedAndBase, type ProvisionedAndBase } from '../core/models/catalogue';
import { normalizeModelRef } from '../core/models/modelRef';
import { fetchCatalogue } from '../core/bedrock/listCatalogue';
import { testsPathFor } from '../core/format/testFiles';
import { decodeText } from '../core/io/readText';
import { confinedPromptFiles, diskAnalysisContext } from '../core/io/promptFiles';
import { BedrockError } from '../core/shared/bedrockError';
import { forEachBounded } from '../core/shared/pool';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import { casesFromRows, type DataCasesOptions } from './dataCases';
import { estimatePrompt } from './estimatePrompt';
import type { Host } from './host';
import { compilePromptText, requestFor } from './runPrompt';
import type { Retriever } from './retrieval';
import { runTestCase, type CaseReport } from './runTests';
import type { InvokeOutcome } from '../core/bedrock/invoke';

export interface EvalPromptFile {
  /** `base` for the prompt itself, else the variant's name (`concise` in `ticket.concise.prompt`). */
  variant: string;
  /** The path as the user reads it. */
  file: string;
  text: string;
  analysis: PromptAnalysis;
  /** The prompt compiled once, rendered per case (media and partials confined by the caller). */
  render(input: Record<string, unknown>): Promise<RenderResult>;
}

export interface EvaluationInput {
  name: string;
  prompts: EvalPromptFile[];
  testsFile: string;
  tests: PromptTestFile;
  models: string[];
  settings: EvalSettings;
  git?: EvalRecord['git'];
  /** The custom models among `models`, with their base models (resolveCustomModels). */
  provisioned?: ProvisionedAndBase[];
}

export interface EvalTask {
  /** Stable across runs of the same evaluation: what the journal is keyed by. */
  key: string;
  config: EvalConfig;
  prompt: EvalPromptFile;
  testCase: TestCase;
  caseId: string;
  repeat: number;
}

export interface EvaluationPlan {
  input: EvaluationInput;
  /** Changes when the prompts, the cases, the models or the repetitions change: names the journal. */
  id: string;
  configs: EvalConfig[];
  cases: EvalCase[];
  tasks: EvalTask[];
  /** Rubric gradings each full run asks the judge for. */
  judgeCalls: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A configuration's id: what the record, the journal and `--compare` match on. */
export function configId(variant: string, model: string): string {
  return `${variant}@${model}`;
}

/**
 * Which configurations can run (a model that cannot take what the prompt sends is ruled out with the
 * reason, and not called), and the calls, in an order that keeps a cancelled run fair: every case on every
 * configuration before the next case.
 */
export async function planEvaluation(input: EvaluationInput): Promise<EvaluationPlan> {
  if (input.models.length === 0) throw new BedrockError('PromptInvalid', 'Choose at least one model to evaluate.');
  if (input.tests.cases.length === 0)
    throw new BedrockError('PromptInvalid', `${input.testsFile} has no cases: add some to evaluate on.`);
  if (!Number.isInteger(input.settings.repeat) || input.settings.repeat < 1)
    throw new BedrockError('PromptInvalid', 'repeat must be a whole number of 1 or more.');
  const cases: EvalCase[] = input.tests.cases.map((c) => ({
    id: `${input.testsFile}#${c.name}`,
    name: c.name,
    testsFile: input.testsFile,
    line: c.line + 1,
  }));
  const configs: EvalConfig[] = [];
  for (const prompt of input.prompts)
    for (const model of input.models) {
      const config: EvalConfig = {
        id: configId(prompt.variant, model),
        variant: prompt.variant,
        promptFile: prompt.file,
        model,
      };
      const custom = input.provisioned?.find((p) => p.arn === model);
      if (custom)
        config.provisioned = {
          name: custom.name,
          base: custom.base,
          modelUnits: custom.modelUnits,
          hourlyUsd: hourlyPrice(input.settings, model),
          callsPerMonth: input.settings.callsPerMonth,
        };
      // A custom model takes what its base model takes.
      config.ruledOut = await capabilityProblem(prompt, custom?.base ?? model, input.tests.cases[0]);
      configs.push(config);
    }
  const hashes = new Map(input.prompts.map((p) => [p.variant, sha256(p.text)]));
  const tasks: EvalTask[] = [];
  input.tests.cases.forEach((testCase, i) => {
    const caseHash = sha256(
      JSON.stringify([testCase.name, testCase.input, testCase.assertions.map((a) => ({ ...a, line: 0 }))]),
    );
    for (let repeat = 0; repeat < input.settings.repeat; repeat++)
      for (const config of configs) {
        if (config.ruledOut) continue;
        const prompt = input.prompts.find((p) => p.variant === config.variant)!;
        tasks.push({
          // Two variants with the same text are still two configurations.
          key: sha256(JSON.stringify([config.id, hashes.get(config.variant), caseHash, repeat, input.tests.judge])),
          config,
          prompt,
          testCase,
          caseId: cases[i].id,
          repeat,
        });
      }
  });
  const rubrics = input.tests.cases.reduce((n, c) => n + c.assertions.filter(isJudged).length, 0);
  const runnable = configs.filter((c) => !c.ruledOut).length;
  return {
    input,
    id: sha256(JSON.stringify([input.name, tasks.map((t) => t.key)])).slice(0, 16),
    configs,
    cases,
    tasks,
    judgeCalls: rubrics * runnable * input.settings.repeat,
  };
}

/** Why `model` cannot take this prompt (a missing capability), rendered with the first case; else undefined. */
/**
 * Custom models in the same frame as their base models: a custom model (or its provisioned throughput) is
 * run through the throughput in service for it, and its base model (on demand) is added when it is not
 * among the models already, so the report answers "is the fine-tune worth it?". Returns what it did, for
 * the front end to say.
 */
export async function resolveCustomModels(host: Host, input: EvaluationInput): Promise<string[]> {
  const custom = input.models.filter((m) => {
    const kind = normalizeModelRef(m).kind;
    return kind === 'provisioned-model' || kind === 'custom-model';
  });
  if (custom.length === 0) return [];
  const catalogue = await fetchCatalogue(host.clients().control, { profile: host.profile() });
  if (catalogue.provisionedThroughputs.error) throw catalogue.provisionedThroughputs.error;
  const notes: string[] = [];
  input.provisioned = [];
  for (const ref of custom) {
    const found = provisionedAndBase(ref, catalogue);
    if (!found)
      throw new BedrockError(
        'PromptInvalid',
        `${ref} is not a provisioned throughput in service in ${catalogue.region} (nor a custom model with one): a custom model runs only through Provisioned Throughput. Create one, or give its provisioned-model ARN.`,
      );
    input.models = input.models.map((m) => (m === ref ? found.arn : m));
    input.provisioned.push(found);
    if (!input.models.includes(found.base)) {
      input.models.push(found.base);
      notes.push(`added ${found.base}, the base model of ${found.name}, to compare with`);
    }
    if (hourlyPrice(input.settings, found.arn) === undefined || !input.settings.callsPerMonth)
      notes.push(`${found.name} is provisioned: its cost per 1,000 calls needs its hourly price and the calls a month`);
  }
  input.models = [...new Set(input.models)];
  return notes;
}

/** A provisioned throughput's hourly price: its own, or the one given for every provisioned model (`*`). */
function hourlyPrice(settings: EvalSettings, arn: string): number | undefined {
  return settings.hourlyUsd?.[arn] ?? settings.hourlyUsd?.['*'];
}

async function capabilityProblem(prompt: EvalPromptFile, model: string, first: TestCase): Promise<string | undefined> {
  let request;
  try {
    request = requestFor(await prompt.render(first.input), model);
  } catch (err) {
    return `The prompt does not render for it: ${(err as Error).message}`;
  }
  const errors = modelProblems(model, needsOfRequest(request)).filter((p) => p.severity === 'error');
  return errors.length > 0 ? `${model} cannot take this prompt: ${errors.map((p) => p.reason).join('; ')}.` : undefined;
}

export interface EvaluationEstimate {
  calls: number;
  judgeCalls: number;
  /** Per runnable configuration: input tokens for all its calls, and whether they were counted by the service. */
  configs: { config: string; inputTokens: number; counted: boolean; lowUsd?: number; highUsd?: number }[];
  /** The input alone: the least the run can cost (undefined when a model has no price). */
  lowUsd?: number;
  /** Every answer at maxTokens (undefined when a prompt sets none, or a model has no price). */
  highUsd?: number;
}

/**
 * What the evaluation will send and cost before anything is generated. Each configuration's input tokens:
 * its first case counted by CountTokens (where the model and Region offer it; else four characters a
 * token), and the other cases scaled from it by their characters.
 */
export async function estimateEvaluation(
  host: Host,
  plan: EvaluationPlan,
  signal: AbortSignal,
  opts: { offline?: boolean } = {},
): Promise<EvaluationEstimate> {
  const out: EvaluationEstimate['configs'] = [];
  let low: number | undefined = 0;
  let high: number | undefined = 0;
  for (const config of plan.configs.filter((c) => !c.ruledOut)) {
    const prompt = plan.input.prompts.find((p) => p.variant === config.variant)!;
    const requests = await Promise.all(
      plan.input.tests.cases.map(async (c) => requestFor(await prompt.render(c.input), config.model)),
    );
    const first = await estimatePrompt(host, requests[0], signal, opts);
    const perChar = first.inputTokens / Math.max(1, requestChars(requests[0]));
    const repeat = plan.input.settings.repeat;
    const inputTokens = Math.round(requests.reduce((n, r) => n + requestChars(r) * perChar, 0)) * repeat;
    const maxTokens = requests[0].inferenceConfig?.maxTokens;
    const calls = requests.length * repeat;
    const price = (outputTokens: number) =>
      host.costOf(config.model, { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens })?.usd;
    // A provisioned throughput charges by the hour, not per token: the calls themselves add nothing.
    const lowUsd = config.provisioned ? 0 : price(0);
    const highUsd = config.provisioned ? 0 : maxTokens === undefined ? undefined : price(maxTokens * calls);
    out.push({ config: config.id, inputTokens, counted: first.exact, lowUsd, highUsd });
    low = lowUsd === undefined || low === undefined ? undefined : low + lowUsd;
    high = highUsd === undefined || high === undefined ? undefined : high + highUsd;
  }
  return { calls: plan.tasks.length, judgeCalls: plan.judgeCalls, configs: out, lowUsd: low, highUsd: high };
}

/** Where the calls already made are kept until the evaluation is complete (one JSON sample per line). */
export interface EvalJournal {
  /** Samples of an earlier, unfinished run of the same plan. */
  done: ReadonlyMap<string, EvalSample>;
  append(key: string, sample: EvalSample): Promise<void>;
}

export interface RunEvaluationOptions {
  signal: AbortSignal;
  journal?: EvalJournal;
  /** After each call: how many of the plan's calls are done, and what they cost so far. */
  onSample?(sample: EvalSample, done: number, total: number, costUsd: number): void;
  now?: () => Date;
  /** Answers made elsewhere (batch inference jobs) by task key: judged here, not generated again. */
  answered?: { answers: ReadonlyMap<string, InvokeOutcome>; priceFactor: number };
  /**
   * Grades `rubric` and `reference` assertions elsewhere (Bedrock evaluation jobs): the calls keep them
   * pending, and once every call is made `grade` settles them (updating the samples and the journal).
   */
  grade?: (pending: { task: EvalTask; sample: EvalSample }[]) => Promise<void>;
}

/** What a pending grade reads as until its evaluation job answers. */
export const PENDING_GRADE = 'to be graded by a Bedrock evaluation job';

export function sampleOf(task: Pick<EvalTask, 'config' | 'caseId' | 'repeat'>, report: CaseReport): EvalSample {
  return {
    config: task.config.id,
    caseId: task.caseId,
    repeat: task.repeat,
    state: report.state,
    output: report.output,
    messages: report.messages,
    assertions: (report.results ?? []).map((r) => ({
      kind: r.assertion.kind,
      label:
        r.assertion.kind === 'rubric'
          ? r.assertion.value
          : r.assertion.kind === 'reference'
            ? REFERENCE_LABEL
            : r.assertion.kind,
      line: r.assertion.line + 1,
      pass: r.pass,
    })),
    latencyMs: report.latencyMs,
    timeToFirstTokenMs: report.timeToFirstTokenMs,
    inputTokens: report.usage?.inputTokens,
    outputTokens: report.usage?.outputTokens,
    costUsd: report.costUsd,
    judgeCostUsd: report.judgeCostUsd,
  };
}

const costOfSample = (s: EvalSample) => (s.costUsd ?? 0) + (s.judgeCostUsd ?? 0);

/**
 * Runs the plan's calls not yet in the journal, at most `concurrency` at once (each model behind its own
 * limiter, which slows down when that model is throttled). Stops taking calls when the budget is spent
 * or the signal fires; what finished is in the record, marked partial.
 */
export async function runEvaluation(host: Host, plan: EvaluationPlan, opts: RunEvaluationOptions): Promise<EvalRecord> {
  const { settings } = plan.input;
  const samples = new Map<string, EvalSample>();
  for (const t of plan.tasks) {
    const earlier = opts.journal?.done.get(t.key);
    if (earlier) samples.set(t.key, earlier);
  }
  let spent = [...samples.values()].reduce((n, s) => n + costOfSample(s), 0);
  const limiters = new Map(
    plan.input.models.map((m) => [m, new AdaptiveLimiter({ maxConcurrency: settings.concurrency })]),
  );
  const overBudget = () => settings.maxCostUsd !== undefined && spent >= settings.maxCostUsd;
  let stoppedBecause: EvalRecord['stoppedBecause'];
  let failure: BedrockError | undefined;
  await forEachBounded(
    plan.tasks.filter((t) => !samples.has(t.key)),
    settings.concurrency,
    async (task) => {
      const outcome = opts.answered?.answers.get(task.key);
      const deferred: { rubric: string; reference?: string }[] = [];
      const report = await runTestCase(
        host,
        {
          testCase: task.testCase,
          file: plan.input.tests,
          analysis: task.prompt.analysis,
          render: task.prompt.render,
          promptName: path.basename(task.prompt.file),
        },
        {
          limiter: limiters.get(task.config.model)!,
          signal: opts.signal,
          modelOverride: task.config.model,
          stream: true,
          answered: outcome && { outcome, priceFactor: opts.answered!.priceFactor },
          judge: opts.grade
            ? async (rubric, _answer, reference) => {
                deferred.push({ rubric, reference });
                return { pass: true, reason: PENDING_GRADE };
              }
            : undefined,
        },
      );
      // A batch job has no latency per call.
      if (outcome) delete report.latencyMs;
      if (report.state === 'skipped') return;
      // An error every call would share (credentials, access, the endpoint) stops the run rather than
      // failing each remaining call; the calls that answered stay.
      const code = report.errorCode;
      if (report.state === 'errored' && code && code !== 'InvalidRow' && STOPS_THE_RUN.has(code)) {
        failure ??= new BedrockError(code, report.messages[0] ?? 'The evaluation stopped.');
        return;
      }
      const sample = sampleOf(task, report);
      if (deferred.length > 0) {
        // The judge was asked in the assertions' order: the n-th request grades the n-th judged assertion.
        const judged = sample.assertions.flatMap((a, i) => (a.kind === 'rubric' || a.kind === 'reference' ? [i] : []));
        sample.pendingGrades = deferred.map((d, n) => ({ assertion: judged[n], ...d }));
      }
      samples.set(task.key, sample);
      spent += costOfSample(sample);
      await opts.journal?.append(task.key, sample);
      opts.onSample?.(sample, samples.size, plan.tasks.length, spent);
    },
    {
      stop: () => {
        if (opts.signal.aborted) stoppedBecause ??= 'cancelled';
        else if (failure) stoppedBecause ??= 'failed';
        else if (overBudget()) stoppedBecause ??= 'budget';
        return stoppedBecause !== undefined;
      },
    },
  );
  if (opts.signal.aborted) stoppedBecause ??= 'cancelled';
  if (failure) stoppedBecause ??= 'failed';
  if (opts.grade && !stoppedBecause) {
    const pending = plan.tasks.flatMap((task) => {
      const sample = samples.get(task.key);
      return sample?.pendingGrades?.length ? [{ task, sample }] : [];
    });
    if (pending.length > 0) await opts.grade(pending);
    if (opts.signal.aborted) stoppedBecause ??= 'cancelled';
  }
  const complete = samples.size === plan.tasks.length && ![...samples.values()].some((x) => x.pendingGrades?.length);
  const ordered = plan.tasks.flatMap((t) => (samples.has(t.key) ? [samples.get(t.key)!] : []));
  const record: EvalRecord = {
    version: EVAL_RECORD_VERSION,
    id: `${(opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}-${plan.id}`,
    name: plan.input.name,
    createdAt: (opts.now?.() ?? new Date()).toISOString(),
    git: plan.input.git,
    prompts: plan.input.prompts.map((p) => ({ variant: p.variant, file: p.file, sha256: sha256(p.text) })),
    testsFile: plan.input.testsFile,
    models: plan.input.models,
    settings: { ...settings, judge: plan.input.tests.judge },
    configs: plan.configs,
    cases: plan.cases,
    samples: ordered,
    complete,
    stoppedBecause: complete ? undefined : (stoppedBecause ?? 'cancelled'),
    costUsd: ordered.reduce((n, s) => n + costOfSample(s), 0),
  };
  if (failure && samples.size === 0) throw failure;
  return record;
}

const STOPS_THE_RUN = new Set<string>([
  'NoCredentials',
  'ExpiredCredentials',
  'SsoExpired',
  'NoRegion',
  'EndpointUnreachable',
  'AccessDenied',
]);

/** Variants beside a prompt: `name.<variant>.prompt` for `name.prompt` (one word, no dots). */
export async function promptVariants(
  promptPath: string,
): Promise<{ base: string; variants: { variant: string; file: string }[] }> {
  const dir = path.dirname(promptPath);
  const own = path.basename(promptPath, '.prompt');
  // A variant given stands for its base when the base exists.
  const dotted = /^(.+)\.([A-Za-z0-9_-]+)$/.exec(own);
  const baseName = dotted && (await exists(path.join(dir, `${dotted[1]}.prompt`))) ? dotted[1] : own;
  const entries = await fs.readdir(dir);
  const variants = entries
    .map((f) => new RegExp(`^${escapeRegExp(baseName)}\\.([A-Za-z0-9_-]+)\\.prompt$`).exec(f))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ variant: m[1], file: path.join(dir, m[0]) }))
    .sort((a, b) => a.variant.localeCompare(b.variant));
  return { base: path.join(dir, `${baseName}.prompt`), variants };
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An evaluation's input from disk: the prompt (a variant given stands for its base), its variants unless
 * `variants` is false, and its tests file; each prompt read, analysed and compiled as a run would, with its
 * media and partials confined to `root`.
 */
export async function loadEvaluation(
  promptPath: string,
  root: string,
  opts: {
    models: string[];
    settings: EvalSettings;
    variants: boolean;
    displayPath(fsPath: string): string;
    /** How a prompt with a knowledge base retrieves its passages (retrieverFor the front end's host). */
    retrieve: Retriever;
    git?: EvalRecord['git'];
    /** Cases from a data file with reference answers, instead of the prompt's tests file. */
    data?: Omit<DataCasesOptions, 'file'> & { path: string };
  },
): Promise<EvaluationInput> {
  const { base, variants } = await promptVariants(promptPath);
  const files = [{ variant: 'base', file: base }, ...(opts.variants ? variants : [])];
  const prompts: EvalPromptFile[] = [];
  for (const f of files) {
    const text = await fs.readFile(f.file).then(decodeText, (err: Error) => {
      throw new BedrockError('PromptInvalid', `${opts.displayPath(f.file)} cannot be read: ${err.message}`);
    });
    let compiled: ReturnType<typeof compilePromptText> | undefined;
    prompts.push({
      variant: f.variant,
      file: opts.displayPath(f.file),
      text,
      analysis: promptEngine().analyzePrompt(text, diskAnalysisContext(f.file, root)),
      render: async (input) =>
        (await (compiled ??= compilePromptText(text, confinedPromptFiles(f.file, root), opts.retrieve)))(input),
    });
  }
  const common = {
    name: path.basename(base, '.prompt'),
    prompts,
    models: opts.models.map((m) => m.trim()).filter((m) => m.length > 0),
    settings: opts.settings,
    git: opts.git,
  };
  if (opts.data) {
    const shown = opts.data.path && opts.displayPath(opts.data.path);
    const rows = await datasetEngine()
      .readRows(opts.data.path)
      .catch((err: Error) => {
        throw new BedrockError('PromptInvalid', `${shown} cannot be read: ${err.message}`);
      });
    return { ...common, testsFile: shown, tests: casesFromRows(rows, { ...opts.data, file: shown }) };
  }
  const testsPath = testsPathFor(base, existsSync);
  const testsText = await fs.readFile(testsPath).then(decodeText, () => {
    throw new BedrockError(
      'PromptInvalid',
      `${opts.displayPath(testsPath)} does not exist: an evaluation runs the cases of the prompt's tests file. Create it (Bedrock: New Prompt Tests).`,
    );
  });
  const tests = promptEngine().parseTestFile(testsText);
  if (tests.problems.length > 0)
    throw new BedrockError(
      'PromptInvalid',
      `${opts.displayPath(testsPath)} has problems:\n${tests.problems.map((p) => `  line ${p.line + 1}: ${p.message}`).join('\n')}`,
    );
  return { ...common, testsFile: opts.displayPath(testsPath), tests };
}

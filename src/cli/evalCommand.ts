// `prompt-lab eval <file.prompt> -m <model> -m <model>…`: the prompt and its variants × the models × the
// cases of its tests file, through the same use case as the editor's evaluation (src/app/evaluate.ts).
// The plan and the estimate first, then the calls under a budget with a progress line; the report as
// Markdown (or the record as JSON), saved in the history; Ctrl+C keeps what finished and the same command
// resumes it.
import path from 'node:path';
import type { Host } from '../app/host';
import type { ReferenceMatch } from '../app/dataCases';
import {
  estimateEvaluation,
  loadEvaluation,
  planEvaluation,
  resolveCustomModels,
  runEvaluation,
} from '../app/evaluate';
import { listEvaluations, openJobStore, openJournal, readEvaluation, saveEvaluation } from '../app/evaluationStore';
import { answerOnBatch, bedrockJobsProblem, type BatchAnswers } from '../app/evaluateBatch';
import { gradeOnEvalJobs, judgeJobProblem } from '../app/evaluateJudgeJob';
import { BATCH_PRICE_FACTOR } from '../app/batchJobs';
import { formatUsd } from '../core/bedrock/pricing';
import {
  compareRuns,
  evaluationMarkdown,
  recommend,
  summarizeConfig,
  type EvalRecord,
  type EvalSettings,
} from '../core/eval/evaluation';
import { gitState } from '../core/io/gitState';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { BedrockError } from '../core/shared/bedrockError';
import { EXIT } from './exitCodes';
import { retrieverFor } from '../app/retrieval';
import { progressLine } from './progress';

export interface EvalCommandOptions {
  model: string[];
  variants: boolean;
  repeat: number;
  concurrency: number;
  maxCost?: number;
  margin: string;
  optimize: EvalSettings['objective'];
  estimate?: boolean;
  offline?: boolean;
  restart?: boolean;
  json?: boolean;
  markdown?: string;
  compare?: string;
  hourly: string[];
  callsPerMonth?: number;
  backend: 'on-demand' | 'batch';
  judgeWith: 'here' | 'eval-job';
  s3?: string;
  role?: string;
  /** Seconds between batch job status checks. */
  poll: number;
  cases?: string;
  reference?: string;
  match?: ReferenceMatch;
  judge?: string;
  quiet?: boolean;
}

/** `--hourly 21.18` (every provisioned model) or `--hourly <arn>=21.18`, repeatable. */
function parseHourly(values: string[]): Record<string, number> | undefined {
  if (values.length === 0) return undefined;
  const prices: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const v of values) {
    const at = v.lastIndexOf('=');
    const [arn, amount] = at < 0 ? ['*', v] : [v.slice(0, at), v.slice(at + 1)];
    const usd = Number(amount);
    if (!Number.isFinite(usd) || usd <= 0)
      throw new BedrockError(
        'PromptInvalid',
        `--hourly ${v}: give US dollars an hour greater than 0, alone (every provisioned model) or as <provisioned ARN>=<usd>.`,
      );
    prices[arn] = usd;
  }
  return prices;
}

/** A share as 0.05 or 5%. */
function parseMargin(text: string): number {
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new BedrockError('PromptInvalid', `--margin ${text}: give a share from 0 to 1, or a percentage such as 5%.`);
  return value;
}

/** The record with what is read from it: what --json prints. */
export function evaluationJson(record: EvalRecord): object {
  return {
    ...record,
    summaries: record.configs.filter((c) => !c.ruledOut).map((c) => summarizeConfig(c, record.samples)),
    recommendation: recommend(record),
  };
}

export async function evalCommand(
  host: Host,
  file: string,
  opts: EvalCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  for (const [flag, value] of [
    ['--repeat', opts.repeat],
    ['--concurrency', opts.concurrency],
  ] as const)
    if (!Number.isInteger(value) || value < 1)
      throw new BedrockError('PromptInvalid', `${flag} ${value}: give a whole number of 1 or more.`);
  if (opts.callsPerMonth !== undefined && !(Number.isInteger(opts.callsPerMonth) && opts.callsPerMonth > 0))
    throw new BedrockError(
      'PromptInvalid',
      `--calls-per-month ${opts.callsPerMonth}: give a whole number of calls greater than 0.`,
    );
  const hourlyUsd = parseHourly(opts.hourly ?? []);
  if (opts.maxCost !== undefined && !(opts.maxCost > 0))
    throw new BedrockError('PromptInvalid', '--max-cost: give an amount of US dollars greater than 0.');
  if (!file.endsWith('.prompt')) throw new BedrockError('PromptInvalid', `${file}: give the .prompt file to evaluate.`);
  if (!opts.cases && (opts.reference || opts.match || opts.judge))
    throw new BedrockError(
      'PromptInvalid',
      '--reference, --match and --judge go with --cases <data file> (a tests file names its own judge).',
    );
  const onBedrock = [
    ...(opts.backend === 'batch' ? ['--backend batch'] : []),
    ...(opts.judgeWith === 'eval-job' ? ['--judge-with eval-job'] : []),
  ];
  if (onBedrock.length > 0) {
    const problem = bedrockJobsProblem(opts.s3, opts.role);
    if (problem)
      throw new BedrockError(
        'PromptInvalid',
        `${onBedrock.join(' and ')} ${problem}: give --s3 s3://bucket/prefix/ and --role <IAM role ARN> (the role Bedrock assumes to read and write there).`,
      );
  } else if (opts.s3 || opts.role)
    throw new BedrockError('PromptInvalid', '--s3 and --role go with --backend batch or --judge-with eval-job.');
  if (!(opts.poll > 0)) throw new BedrockError('PromptInvalid', `--poll ${opts.poll}: give seconds greater than 0.`);
  const root = process.cwd();
  const say = (line: string) => !opts.quiet && process.stderr.write(`${line}\n`);
  const against = opts.compare ? await previousRun(root, opts.compare, path.basename(file, '.prompt')) : undefined;
  const input = await loadEvaluation(path.resolve(file), root, {
    retrieve: retrieverFor(host),
    models: opts.model,
    settings: {
      repeat: opts.repeat,
      concurrency: opts.concurrency,
      maxCostUsd: opts.maxCost,
      margin: parseMargin(opts.margin),
      objective: opts.optimize,
      backend: opts.backend,
      judging: opts.judgeWith === 'eval-job' ? 'eval-job' : 'local',
      hourlyUsd,
      callsPerMonth: opts.callsPerMonth,
    },
    variants: opts.variants,
    displayPath: (p) => host.displayPath(p),
    git: await gitState(root),
    data: opts.cases
      ? {
          path: path.resolve(opts.cases),
          referenceField: opts.reference,
          match: opts.match ?? (opts.judge ? 'judge' : 'equals'),
          judge: opts.judge,
          flags: { reference: '--reference <field>', judge: '--judge <model id>' },
        }
      : undefined,
  });
  if (input.models.length === 0) {
    const own = input.tests.model ?? input.prompts[0].analysis.model?.modelId;
    if (!own) throw new BedrockError('PromptInvalid', 'Name the models to evaluate with -m <model id> (repeatable).');
    input.models = [own];
  }
  for (const note of await resolveCustomModels(host, input)) say(note);
  if (opts.judgeWith === 'eval-job') {
    const problem = judgeJobProblem(input.tests.judge);
    if (problem) throw new BedrockError('PromptInvalid', `--judge-with eval-job ${problem}.`);
  }
  const plan = await planEvaluation(input);
  for (const c of plan.configs.filter((x) => x.ruledOut)) say(`not run: ${c.id}: ${c.ruledOut}`);
  const estimate = await estimateEvaluation(host, plan, signal, { offline: opts.offline });
  const counted = estimate.configs.filter((c) => c.counted).length;
  // Calls sent in batch jobs are billed at about half; the judge's calls stay on demand.
  const batchPrices = opts.backend === 'batch' ? BATCH_PRICE_FACTOR : 1;
  const cost =
    estimate.lowUsd === undefined
      ? 'cost unknown (a model has no price: --prices adds one)'
      : estimate.highUsd === undefined
        ? `at least ${formatUsd(estimate.lowUsd * batchPrices)} (no maxOutputTokens: the output is unbounded)`
        : `≈ ${formatUsd(estimate.lowUsd * batchPrices)} to ${formatUsd(estimate.highUsd * batchPrices)}${batchPrices < 1 ? ' at batch prices' : ''}`;
  const runnable = plan.configs.filter((c) => !c.ruledOut).length;
  say(
    `${runnable} configuration${runnable === 1 ? '' : 's'} × ${plan.cases.length} case${plan.cases.length === 1 ? '' : 's'}${opts.repeat > 1 ? ` × ${opts.repeat}` : ''} = ${estimate.calls} calls${estimate.judgeCalls ? ` (+ ${estimate.judgeCalls} judge calls)` : ''}; ${cost}; input tokens ${counted === estimate.configs.length ? 'counted by CountTokens' : counted > 0 ? `counted by CountTokens for ${counted} of ${estimate.configs.length} configurations, else estimated` : 'estimated from the characters'}`,
  );
  if (opts.estimate) {
    if (opts.json)
      process.stdout.write(
        `${JSON.stringify({ ...estimate, configs: plan.configs, estimates: estimate.configs, cases: plan.cases }, null, 2)}\n`,
      );
    return EXIT.ok;
  }
  if (opts.maxCost !== undefined && estimate.lowUsd !== undefined && estimate.lowUsd > opts.maxCost) {
    process.stderr.write(
      `prompt-lab: the input alone is estimated at ${formatUsd(estimate.lowUsd)}, over --max-cost ${formatUsd(opts.maxCost)}. Nothing was sent: raise --max-cost, or evaluate fewer models or cases.\n`,
    );
    return EXIT.failed;
  }
  const journal = await openJournal(root, plan.id, opts.restart);
  const resumed = plan.tasks.filter((t) => journal.done.has(t.key)).length;
  if (resumed > 0)
    say(
      `resuming: ${resumed} of ${plan.tasks.length} calls were made by an interrupted run (--restart makes them again)`,
    );
  let answered: BatchAnswers | undefined;
  if (opts.backend === 'batch') {
    answered = await answerOnBatch(host, plan, {
      s3Uri: opts.s3!,
      roleArn: opts.role!,
      signal,
      jobs: await openJobStore(root, plan.id, 'batch', opts.restart),
      done: new Set(journal.done.keys()),
      pollMs: opts.poll * 1000,
      onStatus: say,
    });
    answered.notes.forEach(say);
    if (answered.interrupted) {
      say('the batch jobs keep running in Bedrock: run the same command again to wait for them and collect them');
      return EXIT.interrupted;
    }
  }
  const progress = progressLine(plan.tasks.length, 'calls', { quiet: opts.quiet });
  let record: EvalRecord;
  try {
    record = await runEvaluation(host, plan, {
      signal,
      journal,
      answered,
      grade:
        opts.judgeWith === 'eval-job'
          ? async (pending) => {
              progress.end();
              await gradeOnEvalJobs(host, input.name, pending, {
                s3Uri: opts.s3!,
                roleArn: opts.role!,
                evaluator: input.tests.judge!,
                signal,
                jobs: await openJobStore(root, plan.id, 'judge', opts.restart),
                pollMs: opts.poll * 1000,
                settled: (key, sample) => journal.append(key, sample),
                onStatus: say,
              });
            }
          : undefined,
      onSample: (_s, done, _total, spent) => progress.update(done, spent),
    });
  } finally {
    progress.end();
  }
  const saved = await saveEvaluation(root, plan.id, record);
  const comparison = against && { against, result: compareRuns(against, record) };
  const markdown = evaluationMarkdown(record, comparison);
  if (opts.markdown) await writeFileAtomically(path.resolve(opts.markdown), markdown);
  process.stdout.write(opts.json ? `${JSON.stringify(evaluationJson(record), null, 2)}\n` : markdown);
  say(`saved ${host.displayPath(saved)}${opts.markdown ? `; the report in ${opts.markdown}` : ''}`);
  if (record.complete) return EXIT.ok;
  const made = record.samples.length;
  const ungraded = record.samples.filter((x) => x.pendingGrades?.length).length;
  if (made === plan.tasks.length && ungraded > 0) {
    say(
      `interrupted: ${ungraded} answers wait for their grades. The evaluation jobs keep running in Bedrock: run the same command again to collect them.`,
    );
    return EXIT.interrupted;
  }
  if (record.stoppedBecause === 'budget') {
    say(
      `stopped at --max-cost ${formatUsd(opts.maxCost ?? 0)}: ${made} of ${plan.tasks.length} calls made. Run again with a higher --max-cost to finish it.`,
    );
    return EXIT.failed;
  }
  if (record.stoppedBecause === 'failed') {
    say(
      `stopped after ${made} of ${plan.tasks.length} calls: every further call would fail the same way. Fix it and run again to finish.`,
    );
    return EXIT.service;
  }
  say(`interrupted: ${made} of ${plan.tasks.length} calls made. Run the same command again to finish it.`);
  return EXIT.interrupted;
}

/** `--compare`: a record file, or `previous` (the newest saved evaluation of the same prompt). */
async function previousRun(root: string, which: string, name: string): Promise<EvalRecord> {
  if (which !== 'previous') return readEvaluation(path.resolve(which));
  const saved = await listEvaluations(root, name);
  if (saved.length === 0)
    throw new BedrockError('PromptInvalid', `--compare previous: no saved evaluation of ${name} yet. Run one first.`);
  return readEvaluation(saved[0].file);
}

// `prompt-lab optimize-job start|status|collect|stop`: Bedrock's Advanced Prompt Optimization from a
// terminal, over the same use cases as the editor's commands (src/app/optimizationJobs.ts). Jobs started
// here are remembered in `.prompt-lab/optimization-jobs.json` (which prompts they hold), so collect writes
// each model's optimized variant beside its prompt and an evaluation record the report reads.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Host } from '../app/host';
import {
  collectOptimizationJob,
  planOptimizationJob,
  rememberedOptimizationJobs,
  startOptimizationJob,
  type OptimizationPrompt,
} from '../app/optimizationJobs';
import type { OptimizationJob } from '../core/bedrock/clients';
import type { EvaluationMethod } from '../core/format/optimizationJob';
import { promptEngine } from '../core/format/loadEngine';
import { testsPathFor } from '../core/format/testFiles';
import { diskAnalysisContext } from '../core/io/promptFiles';
import { decodeText } from '../core/io/readText';
import { BedrockError } from '../core/shared/bedrockError';
import { formatUsd } from '../core/shared/money';
import { wait } from '../core/shared/wait';
import { EXIT } from './exitCodes';
import { cliRoot, loadPrompt } from './runCommand';

export interface OptimizeJobStartOptions {
  s3: string;
  model?: string[];
  method: EvaluationMethod['kind'];
  criteria?: string[];
  judgeModel?: string;
  judgePrompt?: string;
  lambda?: string;
  shorten?: boolean;
  jobName?: string;
  json?: boolean;
  quiet?: boolean;
}

const FINISHED = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped']);
const root = () => process.cwd();
const shown = (file: string) => path.relative(root(), file).split(path.sep).join('/') || file;

async function loadOptimizationPrompt(file: string): Promise<OptimizationPrompt> {
  const prompt = await loadPrompt(file);
  const testsPath = testsPathFor(prompt.promptPath, existsSync);
  const testsText = await fs.readFile(testsPath).then(decodeText, () => undefined);
  if (testsText === undefined)
    throw new BedrockError(
      'PromptInvalid',
      `${shown(testsPath)} does not exist: a job learns from the prompt's test cases (their \`reference:\` answers).`,
    );
  return {
    file: shown(prompt.promptPath),
    text: prompt.text,
    analysis: prompt.analysis,
    tests: promptEngine().parseTestFile(testsText),
    testsFile: shown(testsPath),
  };
}

/** The evaluation method from the flags; steering criteria default to the tests files' rubrics. */
async function methodFrom(opts: OptimizeJobStartOptions, prompts: OptimizationPrompt[]): Promise<EvaluationMethod> {
  switch (opts.method) {
    case 'steering': {
      const rubrics = prompts.flatMap((p) =>
        p.tests.cases.flatMap((c) => c.assertions.filter((a) => a.kind === 'rubric').map((a) => String(a.value))),
      );
      return { kind: 'steering', criteria: opts.criteria?.length ? opts.criteria : [...new Set(rubrics)] };
    }
    case 'judge': {
      const modelId = opts.judgeModel ?? prompts.find((p) => p.tests.judge)?.tests.judge;
      if (!modelId || !opts.judgePrompt)
        throw new BedrockError(
          'PromptInvalid',
          '--method judge needs --judge-prompt <file> (the judge’s instructions) and a judge model (--judge-model, or `judge:` in the tests file).',
        );
      return { kind: 'judge', modelId, prompt: await fs.readFile(opts.judgePrompt, 'utf8') };
    }
    case 'lambda':
      if (!opts.lambda) throw new BedrockError('PromptInvalid', '--method lambda needs --lambda <function ARN>.');
      return { kind: 'lambda', arn: opts.lambda };
    default:
      return { kind: 'default' };
  }
}

export async function optimizeJobStart(host: Host, files: string[], opts: OptimizeJobStartOptions): Promise<number> {
  const prompts = await Promise.all(files.map(loadOptimizationPrompt));
  const method = await methodFrom(opts, prompts);
  const models = opts.model?.length
    ? opts.model
    : [...new Set(prompts.flatMap((p) => (p.analysis.model ? [p.analysis.model.modelId] : [])))];
  const plan = planOptimizationJob(prompts, { models, method, shorten: !!opts.shorten });
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  for (const n of plan.notes) say(`note: ${n}`);
  const started = await startOptimizationJob(host, plan, prompts, {
    s3Uri: opts.s3,
    root: root(),
    method,
    jobName: opts.jobName,
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(started, null, 2)}\n`);
  else process.stdout.write(`${started.jobArn}\n`);
  say(
    `started ${started.jobName}: ${plan.templates.map((t) => `${t.promptFile} (${t.samples} samples)`).join(', ')} for ${plan.models.join(', ')}; input ${started.inputUri}. Jobs take 15 minutes or more: prompt-lab optimize-job status --wait, then collect.`,
  );
  return EXIT.ok;
}

const jobLine = (j: OptimizationJob) =>
  `${j.jobName}\t${j.status}${j.failureMessage ? `\t${j.failureMessage}` : ''}\t${j.jobArn}`;

export async function optimizeJobStatus(
  host: Host,
  arns: string[],
  opts: { json?: boolean; wait?: boolean; interval: number; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const wanted = arns.length ? arns : (await rememberedOptimizationJobs(root())).map((r) => r.jobArn);
  if (wanted.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      'No optimization jobs were started from this folder (.prompt-lab/optimization-jobs.json): give a job ARN, or start one with prompt-lab optimize-job start.',
    );
  const jobs = host.clients().optimizationJobs;
  let list = await Promise.all(wanted.map((arn) => jobs.getJob(arn)));
  while (opts.wait && !signal.aborted && list.some((j) => !FINISHED.has(j.status))) {
    if (!opts.quiet) process.stderr.write(`${list.map(jobLine).join('\n')}\n`);
    await wait(opts.interval * 1000, signal);
    if (signal.aborted) break;
    list = await Promise.all(wanted.map((arn) => jobs.getJob(arn)));
  }
  process.stdout.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : `${list.map(jobLine).join('\n')}\n`);
  if (signal.aborted) return EXIT.interrupted;
  return opts.wait && list.some((j) => j.status === 'Failed' || j.status === 'Stopped') ? EXIT.service : EXIT.ok;
}

const score = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));
const cost = (n: number | undefined) => (n === undefined ? 'no price' : formatUsd(n));

export async function optimizeJobCollect(
  host: Host,
  arn: string,
  opts: { json?: boolean; quiet?: boolean },
): Promise<number> {
  const collected = await collectOptimizationJob(host, arn, {
    root: root(),
    analyze: (file, text) => promptEngine().analyzePrompt(text, diskAnalysisContext(file, cliRoot(file))),
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(collected, null, 2)}\n`);
  else
    for (const v of collected.variants)
      process.stdout.write(
        v.file
          ? `${v.promptFile} on ${v.modelId}: score ${score(v.before.averageScore)} → ${score(v.after.averageScore)}, ${cost(v.before.costPerCallUsd)} → ${cost(v.after.costPerCallUsd)} a call · ${v.file}\n`
          : `${v.promptFile} on ${v.modelId}: ${v.status} (no optimized prompt)\n`,
      );
  if (!opts.quiet) {
    for (const v of collected.variants) for (const w of v.warnings) process.stderr.write(`warning: ${v.file}: ${w}\n`);
    for (const p of collected.problems) process.stderr.write(`warning: ${p}\n`);
    process.stderr.write(
      `${collected.job.jobName} (${collected.job.status}): ${collected.variants.filter((v) => v.file).length} variant(s) written; the report: ${collected.evaluations.join(', ') || '(none)'} (prompt-lab eval --compare, or Show Evaluation History in the editor)\n`,
    );
  }
  return EXIT.ok;
}

export async function optimizeJobStop(host: Host, arn: string): Promise<number> {
  await host.clients().optimizationJobs.stopJob(arn);
  process.stderr.write(`stopping ${arn}\n`);
  return EXIT.ok;
}

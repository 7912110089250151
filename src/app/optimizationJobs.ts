// Advanced Prompt Optimization jobs (issue 23, part 3), for the editor's commands and `prompt-lab
// optimize-job`: prompts and their test cases become the job's input file (src/core/format/optimizationJob.ts),
// checked against the service's limits and scanned for secrets before it is uploaded; the job is started
// and remembered; once it has finished (Completed or PartiallyCompleted), its results come back as a
// `.prompt` variant per model beside each prompt (`name.nova-pro.prompt`) and as an evaluation record
// (the report and the history read it), with the cost per call from the price table (the file has none).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jobLayout, resultsLocation } from '../core/batch/jobLayout';
import type { OptimizationJob } from '../core/bedrock/clients';
import { s3Uri, s3UriProblem } from '../core/bedrock/s3Uri';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import type { PromptAnalysis } from '../core/format/analyze';
import { EVAL_RECORD_VERSION, type EvalConfig, type EvalRecord, type EvalSample } from '../core/eval/evaluation';
import { applyFrontmatterEdit, frontmatterEdit } from '../core/format/frontmatterEdit';
import { promptEngine } from '../core/format/loadEngine';
import {
  OPTIMIZATION_RESULTS_FILE,
  optimizationLimitProblems,
  optimizationTemplate,
  readOptimizationResults,
  variantFileName,
  type EvaluationMethod,
  type OptimizationMetrics,
  type OptimizationTemplate,
} from '../core/format/optimizationJob';
import { templateDifferences, withTemplate } from '../core/format/promptRewrite';
import type { PromptTestFile } from '../core/format/testCases';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { BedrockError } from '../core/shared/bedrockError';
import { refuseForbiddenKeys } from '../core/shared/inertData';
import { isInside } from '../core/io/promptFiles';
import { jobNameFor } from '../core/batch/jobLayout';
import type { Host } from './host';
import { configId } from './evaluate';
import { EVAL_DIR, saveEvaluation } from './evaluationStore';

/** A prompt as a job takes it: its file (relative to the root), text, analysis and test cases. */
export interface OptimizationPrompt {
  file: string;
  text: string;
  analysis: PromptAnalysis;
  tests: PromptTestFile;
  testsFile: string;
}

export interface OptimizationJobPlan {
  templates: OptimizationTemplate[];
  models: string[];
  /** Per template, the case behind each sample, in order (the results list the samples in that order). */
  sampleCases: Record<string, string[]>;
  problems: string[];
  notes: string[];
}

/** What is remembered of a job started here, so its results can come back beside its prompts. */
export interface OptimizationJobRecord {
  jobArn: string;
  jobName: string;
  models: string[];
  method: EvaluationMethod['kind'];
  prompts: { templateId: string; file: string; testsFile: string; cases: string[] }[];
}

const STORE = path.join('.prompt-lab', 'optimization-jobs.json');

export async function rememberedOptimizationJobs(root: string): Promise<OptimizationJobRecord[]> {
  const file = path.join(root, STORE);
  const text = await fs.readFile(file, 'utf8').catch(() => '[]');
  try {
    const jobs = JSON.parse(text) as OptimizationJobRecord[];
    refuseForbiddenKeys(jobs, file);
    return Array.isArray(jobs) ? jobs.filter((j) => typeof j?.jobArn === 'string' && Array.isArray(j.prompts)) : [];
  } catch {
    throw new BedrockError('PromptInvalid', `${file} is not a list of jobs: fix or delete it.`);
  }
}

async function remember(root: string, record: OptimizationJobRecord): Promise<void> {
  const jobs = (await rememberedOptimizationJobs(root)).filter((j) => j.jobArn !== record.jobArn);
  await fs.mkdir(path.join(root, '.prompt-lab'), { recursive: true });
  await writeFileAtomically(path.join(root, STORE), `${JSON.stringify([...jobs, record], null, 2)}\n`);
}

/** The job's input from the prompts and their tests, with every problem found (nothing is thrown). */
export function planOptimizationJob(
  prompts: readonly OptimizationPrompt[],
  opts: { models: string[]; method: EvaluationMethod; shorten: boolean },
): OptimizationJobPlan {
  const templates: OptimizationTemplate[] = [];
  const sampleCases: Record<string, string[]> = {};
  const problems: string[] = [];
  const notes: string[] = [];
  for (const p of prompts) {
    if (p.tests.problems.length)
      problems.push(`${p.testsFile}:${p.tests.problems[0].line + 1}: ${p.tests.problems[0].message}`);
    const asIs = promptEngine().promptTextForRun(p.text);
    const built = optimizationTemplate(p.file, asIs, p.analysis, p.tests, opts.method, opts.shorten);
    problems.push(...built.problems);
    if (!built.template) continue;
    templates.push(built.template);
    notes.push(...built.template.notes.map((n) => `${p.file}: ${n}`));
    sampleCases[built.template.templateId] = p.tests.cases
      .filter((c) => c.assertions.some((a) => a.kind === 'reference'))
      .map((c) => c.name);
  }
  problems.push(...optimizationLimitProblems(templates, opts.models));
  if (opts.method.kind === 'steering' && opts.method.criteria.length === 0)
    problems.push('Steering criteria: give at least one (or the tests files’ rubric assertions become them).');
  return { templates, models: opts.models, sampleCases, problems, notes };
}

export interface StartedOptimizationJob {
  jobArn: string;
  jobName: string;
  inputUri: string;
  outputUri: string;
  record: OptimizationJobRecord;
}

/** Checks, scans, uploads the input, starts the job and remembers it. */
export async function startOptimizationJob(
  host: Host,
  plan: OptimizationJobPlan,
  prompts: readonly OptimizationPrompt[],
  opts: { s3Uri: string; root: string; method: EvaluationMethod; jobName?: string; signal?: AbortSignal },
): Promise<StartedOptimizationJob> {
  if (plan.problems.length)
    throw new BedrockError('Validation', `The job cannot start:\n${plan.problems.map((p) => `- ${p}`).join('\n')}`);
  const jobName = opts.jobName ?? jobNameFor(`optimize-${prompts[0]?.file.split('/').pop() ?? 'prompts'}`);
  const layout = jobLayout(opts.s3Uri, jobName);
  if (!layout)
    throw new BedrockError('Validation', `${opts.s3Uri} is not an S3 location: ${s3UriProblem(opts.s3Uri)}`, [
      'openSettings',
    ]);
  const text = `${plan.templates.map((t) => JSON.stringify(t.line)).join('\n')}\n`;
  // The templates and every case's input and reference answer leave the machine: nothing goes with a secret.
  const secret = (await datasetEngine().scanSecretsDeep(text, 'the optimization input', 1))[0];
  if (secret)
    throw new BedrockError(
      'Validation',
      `Not uploaded: a secret (${secret.kind}) is in a prompt or a test case of this job. Remove it, then start the job again.`,
    );
  const inputKey = `${layout.prefix}input/optimization-input.jsonl`;
  const clients = host.clients();
  const tmp = path.join(os.tmpdir(), `bpl-advpo-${process.pid}-${Date.now()}.jsonl`);
  await fs.writeFile(tmp, text, { mode: 0o600 });
  let jobArn: string;
  try {
    await clients.storage.uploadFile(layout.bucket, inputKey, tmp, undefined, opts.signal);
    jobArn = await clients.optimizationJobs.createJob({
      jobName,
      description: `Bedrock Prompt Lab: ${prompts.map((p) => p.file).join(', ')}`.slice(0, 200),
      inputS3Uri: s3Uri(layout.bucket, inputKey),
      outputS3Uri: layout.outputUri,
      modelIds: plan.models,
    });
  } finally {
    await fs.rm(tmp, { force: true });
  }
  const record: OptimizationJobRecord = {
    jobArn,
    jobName,
    models: plan.models,
    method: opts.method.kind,
    prompts: plan.templates.map((t) => {
      const p = prompts.find((x) => x.file === t.promptFile)!;
      return {
        templateId: t.templateId,
        file: p.file,
        testsFile: p.testsFile,
        cases: plan.sampleCases[t.templateId] ?? [],
      };
    }),
  };
  await remember(opts.root, record);
  host.log.info(
    `advanced prompt optimization job ${jobName} (${jobArn}): ${plan.templates.length} template(s), ${plan.models.join(', ')}`,
  );
  return { jobArn, jobName, inputUri: s3Uri(layout.bucket, inputKey), outputUri: layout.outputUri, record };
}

export interface OptimizedVariant {
  promptFile: string;
  modelId: string;
  status: string;
  /** The variant written beside the prompt (relative to the root), when the model's optimization succeeded. */
  file?: string;
  before: OptimizationMetrics & { costPerCallUsd?: number };
  after: OptimizationMetrics & { costPerCallUsd?: number };
  /** What the optimized template reads differently from the prompt. */
  warnings: string[];
}

export interface CollectedOptimization {
  job: OptimizationJob;
  variants: OptimizedVariant[];
  /** The evaluation records written (one per prompt), relative to the root. */
  evaluations: string[];
  problems: string[];
}

/** A sample passes in the report when its score reaches this (the service's scores run from 0 to 1). */
export const PASSING_SCORE = 0.5;

/** Brings a finished job's results back: variants beside the prompts, and an evaluation record per prompt. */
export async function collectOptimizationJob(
  host: Host,
  jobArn: string,
  opts: { root: string; analyze: (file: string, text: string) => PromptAnalysis; signal?: AbortSignal },
): Promise<CollectedOptimization> {
  const clients = host.clients();
  const job = await clients.optimizationJobs.getJob(jobArn);
  if (!['Completed', 'PartiallyCompleted'].includes(job.status))
    throw new BedrockError(
      'Validation',
      `The job ${job.jobName} is ${job.status}${job.failureMessage ? ` (${job.failureMessage})` : ''}: results come back only from a completed job (one that took 15 minutes or more is usual).`,
    );
  const record = (await rememberedOptimizationJobs(opts.root)).find((r) => r.jobArn === job.jobArn);
  if (!record)
    throw new BedrockError(
      'NotFound',
      `The job ${job.jobName} was not started from this folder, so its prompts are unknown. Its results are under ${job.outputS3Uri ?? 'its output location'}.`,
    );
  const at = resultsLocation(job.outputS3Uri, job.jobArn);
  if (!at) throw new BedrockError('Validation', `The job has no output location (${job.outputS3Uri}).`);
  const text = await clients.storage.readText(at.bucket, `${at.prefix}${OPTIMIZATION_RESULTS_FILE}`, opts.signal);
  const { results, problems } = readOptimizationResults(text);
  const variants: OptimizedVariant[] = [];
  const evaluations: string[] = [];
  /** A call's cost from its tokens and the price table (the results file has none). */
  const costOf = (modelId: string, input: number | undefined, output: number | undefined) =>
    input === undefined
      ? undefined
      : host.costOf(modelId, { inputTokens: input, outputTokens: output ?? 0, totalTokens: input + (output ?? 0) })
          ?.usd;
  const perCall = (modelId: string, m: OptimizationMetrics) =>
    costOf(modelId, m.averageInputTokens, m.averageOutputTokens);
  for (const result of results) {
    const prompt = record.prompts.find((p) => p.templateId === result.templateId);
    if (!prompt) {
      problems.push(`the results name template ${result.templateId}, which this job did not send`);
      continue;
    }
    // The job's record is a file in the workspace: its paths are data, and nothing is read or written outside the root.
    const promptPath = path.resolve(opts.root, prompt.file);
    if (!isInside(opts.root, promptPath)) {
      problems.push(`${prompt.file} is outside this folder: its results are not written`);
      continue;
    }
    const read = await fs.readFile(promptPath, 'utf8').catch(() => undefined);
    if (read === undefined) {
      problems.push(`${prompt.file} cannot be read any more: its variants are not written`);
      continue;
    }
    const promptText = promptEngine().promptTextForRun(read);
    const analysis = opts.analyze(promptPath, promptText);
    const configs: EvalConfig[] = [];
    const samples: EvalSample[] = [];
    const files = [{ variant: 'original', file: prompt.file, text: promptText }];
    for (const r of result.results) {
      const variant: OptimizedVariant = {
        promptFile: prompt.file,
        modelId: r.modelId,
        status: r.status,
        before: { ...r.original, costPerCallUsd: perCall(r.modelId, r.original) },
        after: { ...r.optimized, costPerCallUsd: perCall(r.modelId, r.optimized) },
        warnings: [],
      };
      variants.push(variant);
      if (r.status !== 'SUCCESS' || !r.optimizedTemplate) continue;
      const note = `Optimized by Advanced Prompt Optimization (job ${job.jobName}) for ${r.modelId}: average score ${r.original.averageScore ?? '?'} → ${r.optimized.averageScore ?? '?'}.`;
      const withModel = applyFrontmatterEdit(
        promptText,
        frontmatterEdit(promptText, 'bring the results back', (yaml) => yaml.set('model', r.modelId)),
      );
      const variantText = withTemplate(withModel, `{{!-- ${note.replace(/--\}\}/g, '')} --}}\n${r.optimizedTemplate}`);
      const variantFile = path.join(path.dirname(prompt.file), variantFileName(path.basename(prompt.file), r.modelId));
      variant.warnings = templateDifferences(analysis, opts.analyze(path.join(opts.root, variantFile), variantText));
      await writeFileAtomically(path.join(opts.root, variantFile), variantText);
      variant.file = variantFile.split(path.sep).join('/');
      files.push({ variant: `optimized for ${r.modelId}`, file: variant.file, text: variantText });
      for (const [side, variantName, file] of [
        ['original', 'original', prompt.file],
        ['optimized', `optimized for ${r.modelId}`, variant.file],
      ] as const) {
        const config = configId(variantName, r.modelId);
        configs.push({ id: config, variant: variantName, promptFile: file, model: r.modelId });
        r.samples.forEach((s, i) => {
          const d = s[side];
          const pass = (d.score ?? 0) >= PASSING_SCORE;
          const cost = costOf(r.modelId, d.inputTokens, d.outputTokens);
          samples.push({
            config,
            caseId: `${prompt.testsFile}#${prompt.cases[i] ?? `sample ${i + 1}`}`,
            repeat: 0,
            state: pass ? 'passed' : 'failed',
            output: d.response,
            messages: pass
              ? []
              : [`The optimizer's judge scored it ${d.score ?? 'without a score'} (passes at ${PASSING_SCORE}).`],
            assertions: [{ kind: 'score', label: `optimizer's judge score ≥ ${PASSING_SCORE}`, line: 0, pass }],
            timeToFirstTokenMs: d.ttftInSec === undefined ? undefined : d.ttftInSec * 1000,
            inputTokens: d.inputTokens,
            outputTokens: d.outputTokens,
            costUsd: cost,
          });
        });
      }
    }
    if (configs.length === 0) continue;
    const now = new Date();
    const evalRecord: EvalRecord = {
      version: EVAL_RECORD_VERSION,
      id: `${now.toISOString().replace(/[:.]/g, '-')}-advpo-${job.jobArn.split('/').pop()}-${result.templateId}`,
      // The prompt's evaluations share its name: the report's history lists this one with them.
      name: path.basename(prompt.file, '.prompt'),
      createdAt: now.toISOString(),
      prompts: files.map((f) => ({
        variant: f.variant,
        file: f.file,
        sha256: createHash('sha256').update(f.text).digest('hex'),
      })),
      testsFile: prompt.testsFile,
      models: [...new Set(configs.map((c) => c.model))],
      settings: {
        repeat: 1,
        concurrency: 1,
        judge: `the optimizer's (${record.method})`,
        margin: 0.05,
        objective: 'cost',
      },
      configs,
      cases: prompt.cases.map((name, i) => ({
        id: `${prompt.testsFile}#${name}`,
        name,
        testsFile: prompt.testsFile,
        line: i + 1,
      })),
      samples,
      complete: true,
      costUsd: samples.reduce((n, s) => n + (s.costUsd ?? 0), 0),
    };
    const saved = await saveEvaluation(opts.root, evalRecord.id, evalRecord);
    evaluations.push(path.relative(opts.root, saved).split(path.sep).join('/'));
  }
  return { job, variants, evaluations, problems };
}

export { EVAL_DIR };

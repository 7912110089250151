// Advanced Prompt Optimization jobs (client-bedrock): CreateAdvancedPromptOptimizationJob (POST
// /advanced-prompt-optimization-jobs), Get (GET …/{jobIdentifier}), List (GET …), Stop (POST …/{id}/stop)
// [sdk shapes: client-bedrock 3.1178, models_0 `AdvancedPromptOptimization*`; statuses InProgress,
// Completed, PartiallyCompleted, Failed, Stopping, Stopped, Deleting].
//
// The input file [docs: advanced-prompt-optimization-input]: read from the emulator's S3 at Create (a
// missing object is a 400), each line checked as the docs say: `version` "bedrock-2026-05-14", a
// `templateId`, a `promptTemplate`, at most one evaluation method (steeringCriteria, customLLMJConfig,
// evaluationMetricLambdaArn), 1 to 100 `evaluationSamples`; at most 10 lines, at most 5 models, each a
// known model or profile [ours: the messages are ours].
//
// The job [ours, deterministic]: InProgress for the job duration, then the results are written to
// `{output}/{job id}/advanced_prompt_optimization_results.jsonl` in the shape of the service's results
// [docs + the samples' live results files]. For each template and model: the optimized template is the
// original with the line `Answer in one precise, complete sentence.` appended (with shortenPrompt: the
// original's first line only, then that line); each sample's original score is 0.5 and the optimized
// one 1 when the reference answer's first word appears in the optimized template or the inputs, else 0.75
// [ours]; tokens are the characters / 4 of the template with the inputs filled in (output: 20, 16); TTFT
// 0.8 s and 0.7 s. A model whose id holds `llama` fails (status FAILED), which makes the job
// PartiallyCompleted [ours: how one model failing looks].
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import type { S3Store } from './s3';
import { ACCOUNT_ID, type AccountState } from './state';

interface OptimizationJob {
  jobArn: string;
  jobName: string;
  jobDescription?: string;
  jobStatus: string;
  inputConfig: { s3Uri: string };
  outputConfig: { s3Uri: string };
  modelConfigurations: { modelId: string }[];
  creationTime: Date;
  lastModifiedTime: Date;
  failureMessage?: string;
  lines: Record<string, any>[];
}

const LINE_END = 'Answer in one precise, complete sentence.';

export class OptimizationJobService {
  readonly jobs: OptimizationJob[] = [];

  constructor(
    private readonly state: AccountState,
    private readonly s3: S3Store,
    private readonly jobDurationMs: number,
  ) {}

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a !== 'advanced-prompt-optimization-jobs') return false;
    if (ctx.method === 'POST' && b === undefined) return (this.create(ctx), true);
    if (ctx.method === 'GET' && b === undefined) return (this.list(ctx), true);
    const job = this.find(decodeURIComponent(b ?? ''));
    this.advance(job);
    if (ctx.method === 'GET') return (sendJson(ctx, 200, this.view(job)), true);
    if (ctx.method === 'POST' && c === 'stop') {
      if (job.jobStatus !== 'InProgress')
        throw new ServiceError(
          409,
          'ConflictException',
          `The job ${job.jobName} is ${job.jobStatus}: only a job in progress stops.`,
        );
      job.jobStatus = 'Stopping';
      job.lastModifiedTime = new Date();
      sendJson(ctx, 200, {});
      return true;
    }
    return false;
  }

  private find(id: string): OptimizationJob {
    const job = this.jobs.find((j) => j.jobArn === id || j.jobName === id || j.jobArn.endsWith(`/${id}`));
    if (!job) throw ServiceError.notFound(`The advanced prompt optimization job ${id} was not found.`);
    return job;
  }

  private view(j: OptimizationJob) {
    return {
      jobArn: j.jobArn,
      jobName: j.jobName,
      jobDescription: j.jobDescription,
      jobStatus: j.jobStatus,
      inputConfig: j.inputConfig,
      outputConfig: j.outputConfig,
      modelConfigurations: j.modelConfigurations,
      creationTime: j.creationTime.toISOString(),
      lastModifiedTime: j.lastModifiedTime.toISOString(),
      failureMessage: j.failureMessage,
    };
  }

  private list(ctx: RequestContext): void {
    for (const j of this.jobs) this.advance(j);
    sendJson(ctx, 200, {
      jobSummaries: [...this.jobs].reverse().map((j) => ({
        jobArn: j.jobArn,
        jobName: j.jobName,
        jobStatus: j.jobStatus,
        creationTime: j.creationTime.toISOString(),
        lastModifiedTime: j.lastModifiedTime.toISOString(),
      })),
    });
  }

  private create(ctx: RequestContext): void {
    const body = parseJsonBody<{
      jobName?: string;
      jobDescription?: string;
      inputConfig?: { s3Uri?: string };
      outputConfig?: { s3Uri?: string };
      modelConfigurations?: { modelId?: string }[];
    }>(ctx);
    if (!body.jobName || !/^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/.test(body.jobName) || body.jobName.length > 63)
      throw ServiceError.validation('jobName is required: letters, digits, hyphens, at most 63 characters.');
    if (this.jobs.some((j) => j.jobName === body.jobName))
      throw new ServiceError(409, 'ConflictException', `A job named ${body.jobName} already exists.`);
    const models = body.modelConfigurations ?? [];
    if (models.length < 1 || models.length > 5)
      throw ServiceError.validation('modelConfigurations takes 1 to 5 models.');
    for (const m of models) this.state.resolve(m.modelId ?? '');
    const input = /^s3:\/\/([^/]+)\/(.+)$/.exec(body.inputConfig?.s3Uri ?? '');
    const object = input && this.s3.object(input[1], input[2]);
    if (!object) throw ServiceError.validation(`The input file ${body.inputConfig?.s3Uri ?? '(none)'} was not found.`);
    if (!/^s3:\/\/[^/]+/.test(body.outputConfig?.s3Uri ?? ''))
      throw ServiceError.validation('outputConfig.s3Uri is required.');
    const lines = object.body
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l, i) => {
        try {
          return JSON.parse(l) as Record<string, any>;
        } catch {
          throw ServiceError.validation(`Line ${i + 1} of the input file is not JSON.`);
        }
      });
    if (lines.length < 1 || lines.length > 10)
      throw ServiceError.validation('The input file holds 1 to 10 prompt templates.');
    for (const [i, l] of lines.entries()) {
      const at = `Line ${i + 1} of the input file`;
      if (l.version !== 'bedrock-2026-05-14')
        throw ServiceError.validation(`${at}: version must be "bedrock-2026-05-14".`);
      if (typeof l.templateId !== 'string' || !l.templateId)
        throw ServiceError.validation(`${at}: templateId is required.`);
      if (typeof l.promptTemplate !== 'string' || !l.promptTemplate)
        throw ServiceError.validation(`${at}: promptTemplate is required.`);
      const methods = ['steeringCriteria', 'customLLMJConfig', 'evaluationMetricLambdaArn'].filter(
        (k) => l[k] !== undefined,
      );
      if (methods.length > 1)
        throw ServiceError.validation(`${at}: choose one evaluation method, not ${methods.join(' and ')}.`);
      const samples = l.evaluationSamples;
      if (!Array.isArray(samples) || samples.length < 1 || samples.length > 100)
        throw ServiceError.validation(`${at}: evaluationSamples holds 1 to 100 samples.`);
    }
    const id = randomBytes(6).toString('hex');
    const now = new Date();
    const job: OptimizationJob = {
      jobArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:advanced-prompt-optimization-job/${id}`,
      jobName: body.jobName,
      jobDescription: body.jobDescription,
      jobStatus: 'InProgress',
      inputConfig: { s3Uri: body.inputConfig!.s3Uri! },
      outputConfig: { s3Uri: body.outputConfig!.s3Uri! },
      modelConfigurations: models.map((m) => ({ modelId: m.modelId! })),
      creationTime: now,
      lastModifiedTime: now,
      lines,
    };
    this.jobs.push(job);
    sendJson(ctx, 200, { jobArn: job.jobArn });
  }

  private advance(job: OptimizationJob): void {
    if (job.jobStatus === 'Stopping') {
      job.jobStatus = 'Stopped';
      job.lastModifiedTime = new Date();
      return;
    }
    if (job.jobStatus !== 'InProgress' || Date.now() - job.creationTime.getTime() < this.jobDurationMs) return;
    const out = /^s3:\/\/([^/]+)\/?(.*)$/.exec(job.outputConfig.s3Uri);
    if (!out || !this.s3.buckets.has(out[1])) {
      job.jobStatus = 'Failed';
      job.failureMessage = `The output location ${job.outputConfig.s3Uri} is not accessible.`;
      return;
    }
    let failedModels = 0;
    const lines = job.lines.map((l) => ({
      promptTemplateId: l.templateId,
      promptTemplate: l.promptTemplate,
      ...(l.steeringCriteria ? { steeringCriteria: l.steeringCriteria } : {}),
      promptOptimizationResults: job.modelConfigurations.map(({ modelId }) => {
        if (/llama/.test(modelId)) {
          failedModels++;
          return { status: 'FAILED', modelId, failureMessage: `Optimization for ${modelId} failed.` };
        }
        const shorten = l.optimizationConfig?.shortenPrompt === true;
        const optimized = `${shorten ? String(l.promptTemplate).split('\n')[0] : l.promptTemplate}\n${LINE_END}`;
        const dataset = (l.evaluationSamples as Record<string, any>[]).map((s) => {
          const vars = Object.assign({}, ...((s.inputVariables ?? []) as Record<string, string>[])) as Record<
            string,
            string
          >;
          const fill = (t: string) => t.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, n: string) => vars[n] ?? '');
          const firstWord =
            String(s.referenceResponse ?? '')
              .split(/\s+/)[0]
              ?.toLowerCase() ?? '';
          const hit = firstWord && `${optimized} ${Object.values(vars).join(' ')}`.toLowerCase().includes(firstWord);
          return {
            inputVariables: s.inputVariables,
            referenceResponse: s.referenceResponse,
            originalPromptDetails: {
              originalPromptModelResponse: `(emulated) answer to: ${fill(String(l.promptTemplate)).slice(0, 80)}`,
              originalPromptMetrics: {
                inputTokens: Math.ceil(fill(String(l.promptTemplate)).length / 4),
                outputTokens: 20,
                score: 0.5,
                ttftInSec: 0.8,
              },
            },
            optimizedPromptDetails: {
              optimizedPromptModelResponse: `(emulated) better answer to: ${fill(optimized).slice(0, 80)}`,
              optimizedPromptMetrics: {
                inputTokens: Math.ceil(fill(optimized).length / 4),
                outputTokens: 16,
                score: hit ? 1 : 0.75,
                ttftInSec: 0.7,
              },
            },
          };
        });
        const average = (side: 'original' | 'optimized') => {
          const m = dataset.map((d) => (d as any)[`${side}PromptDetails`][`${side}PromptMetrics`]);
          const avg = (k: string) => m.reduce((a, x) => a + x[k], 0) / (m.length || 1);
          return {
            averageInputTokens: avg('inputTokens'),
            averageOutputTokens: avg('outputTokens'),
            averageScore: avg('score'),
            averageTtftInSec: avg('ttftInSec'),
          };
        };
        return {
          status: 'SUCCESS',
          optimizedPromptTemplate: optimized,
          dataset,
          modelId,
          optimizedPromptTemplateId: `${l.templateId}-optimized-for-${modelId}`,
          originalPromptMetrics: average('original'),
          optimizedPromptMetrics: average('optimized'),
        };
      }),
    }));
    const jobId = job.jobArn.split('/').pop()!;
    const prefix = out[2] && !out[2].endsWith('/') ? `${out[2]}/` : out[2];
    this.s3.put(
      out[1],
      `${prefix}${jobId}/advanced_prompt_optimization_results.jsonl`,
      `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    job.jobStatus =
      failedModels === 0
        ? 'Completed'
        : failedModels === job.modelConfigurations.length * job.lines.length
          ? 'Failed'
          : 'PartiallyCompleted';
    if (job.jobStatus === 'Failed') job.failureMessage = 'Optimization failed for every model.';
    job.lastModifiedTime = new Date();
  }
}

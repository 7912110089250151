// Model evaluation jobs (CreateEvaluationJob, GetEvaluationJob, ListEvaluationJobs, StopEvaluationJob): the
// automated "model as a judge" kind, with custom metrics and the answers brought along in the dataset
// (`precomputedInferenceSource`). A job goes InProgress → Completed over the job duration, then grades each
// dataset line for each custom metric and writes the results where the service does:
// `{output}/{jobName}/{jobId}/models/{source}/taskTypes/{taskType}/datasets/{dataset}/{id}_output.jsonl`,
// one line per prompt: `{automatedEvaluationResult: {scores: [{metricName, result, evaluatorDetails}]},
// inputRecord, modelResponses}`. The grade is deterministic: with a `referenceResponse`, 1 when the answer
// contains it (ignoring case); without, 1 unless the metric's instructions hold `[[tool-boolean=false]]`.
// Shapes: the SDK's models [H]; the output layout and line keys: the user guide [M] (see README).
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext, requireFields, requireRoleArn } from './http';
import type { S3Store } from './s3';
import { ACCOUNT_ID } from './state';

type Status = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

interface CustomMetric {
  customMetricDefinition?: {
    name?: string;
    instructions?: string;
    ratingScale?: { definition?: string; value?: { floatValue?: number; stringValue?: string } }[];
  };
}

interface EvaluationJob {
  jobArn: string;
  jobName: string;
  roleArn: string;
  status: Status;
  evaluationConfig: {
    automated: {
      datasetMetricConfigs: {
        taskType: string;
        dataset: { name: string; datasetLocation: { s3Uri: string } };
        metricNames: string[];
      }[];
      evaluatorModelConfig?: { bedrockEvaluatorModels?: { modelIdentifier: string }[] };
      customMetricConfig?: {
        customMetrics: CustomMetric[];
        evaluatorModelConfig?: { bedrockEvaluatorModels?: { modelIdentifier: string }[] };
      };
    };
  };
  inferenceConfig: { models: { precomputedInferenceSource?: { inferenceSourceIdentifier: string } }[] };
  outputDataConfig: { s3Uri: string };
  creationTime: Date;
  lastModifiedTime: Date;
  failureMessages: string[];
}

/** The service's limits (user guide: 1,000 prompts a dataset; 10 custom metrics a job). */
export const MAX_EVALUATION_PROMPTS = 1000;
export const MAX_CUSTOM_METRICS = 10;
const TASK_TYPES = ['Summarization', 'Classification', 'QuestionAndAnswer', 'Generation', 'Custom', 'General'];

export class EvaluationJobService {
  readonly jobs: EvaluationJob[] = [];

  constructor(
    private readonly s3: S3Store,
    private readonly jobDurationMs: number,
  ) {}

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a === 'evaluation-jobs' && ctx.method === 'POST' && !b) return (this.create(ctx), true);
    if (a === 'evaluation-jobs' && ctx.method === 'GET' && !b) {
      this.jobs.forEach((j) => this.advance(j));
      sendJson(ctx, 200, {
        jobSummaries: this.jobs.map((j) => ({
          jobArn: j.jobArn,
          jobName: j.jobName,
          status: j.status,
          creationTime: j.creationTime.toISOString(),
          jobType: 'Automated',
          evaluationTaskTypes: j.evaluationConfig.automated.datasetMetricConfigs.map((d) => d.taskType),
          modelIdentifiers: [],
          applicationType: 'ModelEvaluation',
        })),
      });
      return true;
    }
    if (a === 'evaluation-jobs' && ctx.method === 'GET' && b) {
      const job = this.find(decodeURIComponent(b));
      this.advance(job);
      sendJson(ctx, 200, this.describe(job));
      return true;
    }
    if (a === 'evaluation-job' && ctx.method === 'POST' && b && c === 'stop') {
      const job = this.find(decodeURIComponent(b));
      this.advance(job);
      if (job.status !== 'InProgress')
        throw ServiceError.validation(`The evaluation job ${job.jobName} is ${job.status} and cannot be stopped.`);
      job.status = 'Stopped';
      job.lastModifiedTime = new Date();
      sendJson(ctx, 200, {});
      return true;
    }
    return false;
  }

  private find(id: string): EvaluationJob {
    const job = this.jobs.find((j) => j.jobArn === id || j.jobArn.endsWith(`/${id}`));
    if (!job) throw ServiceError.notFound(`Could not find the evaluation job ${id}.`);
    return job;
  }

  private create(ctx: RequestContext): void {
    const body = parseJsonBody<Record<string, any>>(ctx);
    requireFields(body, ['jobName', 'roleArn', 'evaluationConfig', 'inferenceConfig', 'outputDataConfig']);
    requireRoleArn(body.roleArn);
    if (!/^[a-z0-9](-*[a-z0-9]){0,62}$/.test(body.jobName))
      throw ServiceError.validation(
        `1 validation error detected: Value '${body.jobName}' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9](-*[a-z0-9]){0,62}`,
      );
    if (this.jobs.some((j) => j.jobName === body.jobName))
      throw new ServiceError(409, 'ConflictException', `An evaluation job named ${body.jobName} already exists.`);
    const automated = body.evaluationConfig?.automated;
    if (!automated) throw ServiceError.validation('The emulator runs automated evaluation jobs only.');
    const configs =
      automated.datasetMetricConfigs as EvaluationJob['evaluationConfig']['automated']['datasetMetricConfigs'];
    if (!Array.isArray(configs) || configs.length === 0)
      throw ServiceError.validation('evaluationConfig.automated.datasetMetricConfigs is required.');
    const custom = (automated.customMetricConfig?.customMetrics ?? []) as CustomMetric[];
    if (custom.length > MAX_CUSTOM_METRICS)
      throw ServiceError.validation(
        `A job takes at most ${MAX_CUSTOM_METRICS} custom metrics; this one has ${custom.length}.`,
      );
    const names = new Set(custom.map((m) => m.customMetricDefinition?.name));
    for (const m of custom) {
      const d = m.customMetricDefinition;
      if (!d?.name || !d.instructions) throw ServiceError.validation('A custom metric needs a name and instructions.');
      if (!/\{\{prediction\}\}/.test(d.instructions))
        throw ServiceError.validation(
          `The instructions of ${d.name} must include {{prediction}}, the answer to grade.`,
        );
    }
    if (custom.length > 0 && !automated.customMetricConfig?.evaluatorModelConfig?.bedrockEvaluatorModels?.length)
      throw ServiceError.validation('customMetricConfig.evaluatorModelConfig names no evaluator model.');
    for (const c of configs) {
      if (!TASK_TYPES.includes(c.taskType)) throw ServiceError.validation(`Unknown taskType ${c.taskType}.`);
      for (const n of c.metricNames ?? [])
        if (!n.startsWith('Builtin.') && !names.has(n))
          throw ServiceError.validation(`The metric ${n} is neither built in nor a custom metric of the job.`);
      const text = this.read(c.dataset?.datasetLocation?.s3Uri);
      if (text === undefined)
        throw ServiceError.validation(`No dataset was found at ${c.dataset?.datasetLocation?.s3Uri}. Upload it first.`);
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length > MAX_EVALUATION_PROMPTS)
        throw ServiceError.validation(
          `The dataset ${c.dataset.name} has ${lines.length} prompts; a job takes at most ${MAX_EVALUATION_PROMPTS}.`,
        );
    }
    const models = body.inferenceConfig?.models ?? [];
    if (models.length !== 1 || !models[0].precomputedInferenceSource?.inferenceSourceIdentifier)
      throw ServiceError.validation(
        'The emulator grades answers brought along: give one inferenceConfig.models entry with precomputedInferenceSource.',
      );
    const now = new Date();
    const job: EvaluationJob = {
      jobArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:evaluation-job/${randomBytes(6).toString('hex')}`,
      jobName: body.jobName,
      roleArn: body.roleArn,
      status: 'InProgress',
      evaluationConfig: body.evaluationConfig,
      inferenceConfig: body.inferenceConfig,
      outputDataConfig: body.outputDataConfig,
      creationTime: now,
      lastModifiedTime: now,
      failureMessages: [],
    };
    this.jobs.push(job);
    sendJson(ctx, 202, { jobArn: job.jobArn });
  }

  private read(uri: string | undefined): string | undefined {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri ?? '');
    return m ? this.s3.object(m[1], m[2])?.body.toString('utf8') : undefined;
  }

  private advance(job: EvaluationJob): void {
    if (job.status !== 'InProgress' || Date.now() - job.creationTime.getTime() < this.jobDurationMs) return;
    const source = job.inferenceConfig.models[0].precomputedInferenceSource!.inferenceSourceIdentifier;
    const out = /^s3:\/\/([^/]+)\/(.*)$/.exec(job.outputDataConfig.s3Uri.replace(/\/?$/, '/'));
    const bucket = out && this.s3.buckets.get(out[1]);
    job.lastModifiedTime = new Date();
    if (!out || !bucket) {
      job.status = 'Failed';
      job.failureMessages = [`The output location ${job.outputDataConfig.s3Uri} is not accessible.`];
      return;
    }
    const jobId = job.jobArn.split('/').pop()!;
    const custom = job.evaluationConfig.automated.customMetricConfig?.customMetrics ?? [];
    const evaluator =
      job.evaluationConfig.automated.customMetricConfig?.evaluatorModelConfig?.bedrockEvaluatorModels?.[0]
        ?.modelIdentifier ?? '';
    for (const config of job.evaluationConfig.automated.datasetMetricConfigs) {
      const lines: string[] = [];
      for (const text of (this.read(config.dataset.datasetLocation.s3Uri) ?? '').split('\n')) {
        if (!text.trim()) continue;
        let record: {
          prompt?: string;
          referenceResponse?: string;
          modelResponses?: { response?: string; modelIdentifier?: string }[];
        };
        try {
          record = JSON.parse(text);
        } catch {
          job.status = 'Failed';
          job.failureMessages = [`The dataset ${config.dataset.name} has a line that is not JSON.`];
          return;
        }
        const response = record.modelResponses?.find((r) => r.modelIdentifier === source)?.response;
        if (response === undefined) {
          job.status = 'Failed';
          job.failureMessages = [
            `A line of ${config.dataset.name} has no modelResponses entry for the inference source ${source}.`,
          ];
          return;
        }
        const scores = config.metricNames.map((name) => {
          const instructions = custom.find((m) => m.customMetricDefinition?.name === name)?.customMetricDefinition
            ?.instructions;
          const pass =
            record.referenceResponse !== undefined
              ? response.toLowerCase().includes(record.referenceResponse.toLowerCase())
              : !(instructions ?? '').includes('[[tool-boolean=false]]');
          return {
            metricName: name,
            result: pass ? 1 : 0,
            evaluatorDetails: [
              {
                modelIdentifier: evaluator,
                explanation: pass ? 'The response meets the criterion.' : 'The response does not meet the criterion.',
              },
            ],
          };
        });
        lines.push(
          JSON.stringify({
            automatedEvaluationResult: { scores },
            inputRecord: record,
            modelResponses: record.modelResponses,
          }),
        );
      }
      const key = `${out[2]}${job.jobName}/${jobId}/models/${source}/taskTypes/${config.taskType}/datasets/${config.dataset.name}/${randomBytes(8).toString('hex')}_output.jsonl`;
      bucket.set(key, {
        body: Buffer.from(`${lines.join('\n')}\n`),
        etag: randomBytes(8).toString('hex'),
        lastModified: new Date(),
      });
    }
    job.status = 'Completed';
  }

  private describe(j: EvaluationJob) {
    return {
      jobName: j.jobName,
      status: j.status,
      jobArn: j.jobArn,
      roleArn: j.roleArn,
      jobType: 'Automated',
      applicationType: 'ModelEvaluation',
      evaluationConfig: j.evaluationConfig,
      inferenceConfig: j.inferenceConfig,
      outputDataConfig: j.outputDataConfig,
      creationTime: j.creationTime.toISOString(),
      lastModifiedTime: j.lastModifiedTime.toISOString(),
      ...(j.failureMessages.length > 0 ? { failureMessages: j.failureMessages } : {}),
    };
  }
}

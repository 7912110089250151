// Model customization jobs and provisioned throughput: jobs run for a set time, then complete and
// create their custom model; provisioned throughputs come into service after a moment.
import { randomBytes } from 'node:crypto';
import { findModel } from './catalogue';
import { ServiceError, parseJsonBody, sendJson, type RequestContext, requireFields, requireRoleArn } from './http';
import type { S3Store } from './s3';
import { ACCOUNT_ID, foundationModelArn, type AccountState } from './state';

interface Job {
  jobArn: string;
  jobName: string;
  outputModelName: string;
  outputModelArn?: string;
  roleArn: string;
  baseModelId: string;
  customizationType: string;
  hyperParameters: Record<string, string>;
  trainingDataConfig: { s3Uri: string };
  validationDataConfig?: { validators: { s3Uri: string }[] };
  outputDataConfig: { s3Uri: string };
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
  failureMessage?: string;
  creationTime: Date;
  endTime?: Date;
  region: string;
}

const id12 = () => randomBytes(6).toString('hex');
const iso = (d: Date) => d.toISOString();

export class CustomizationService {
  readonly jobs: Job[] = [];

  constructor(
    private readonly state: AccountState,
    private readonly s3: S3Store,
    /** How long a job runs before it completes. */
    private readonly jobDurationMs: number,
  ) {}

  private advance(job: Job): void {
    if (job.status === 'Stopping') {
      job.status = 'Stopped';
      job.endTime = new Date();
    }
    if (job.status !== 'InProgress' || Date.now() - job.creationTime.getTime() < this.jobDurationMs) return;
    job.status = 'Completed';
    job.endTime = new Date();
    job.outputModelArn = `arn:aws:bedrock:${job.region}:${ACCOUNT_ID}:custom-model/${job.baseModelId}/${id12()}`;
    this.state.customModels.push({
      modelArn: job.outputModelArn,
      modelName: job.outputModelName,
      baseModelId: job.baseModelId,
      customizationType: job.customizationType as never,
      creationTime: iso(job.endTime),
      modelStatus: 'Active',
    });
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a === 'model-customization-jobs' && ctx.method === 'POST' && !b) return (this.create(ctx), true);
    if (a === 'model-customization-jobs' && ctx.method === 'GET' && !b) {
      this.jobs.forEach((j) => this.advance(j));
      const status = ctx.query.get('statusEquals');
      const list = this.jobs
        .filter((j) => !status || j.status === status)
        .sort((x, y) => y.creationTime.getTime() - x.creationTime.getTime());
      sendJson(ctx, 200, { modelCustomizationJobSummaries: list.map((j) => this.summary(j)) });
      return true;
    }
    if (a === 'model-customization-jobs' && b) {
      const job = this.jobs.find((j) => j.jobArn === b || j.jobName === b);
      if (!job) throw ServiceError.notFound(`Could not find the customization job ${b}.`);
      this.advance(job);
      if (ctx.method === 'GET' && !c) return (this.details(ctx, job), true);
      if (ctx.method === 'POST' && c === 'stop') {
        if (job.status !== 'InProgress')
          throw new ServiceError(
            400,
            'ValidationException',
            `The job ${job.jobName} is ${job.status} and cannot be stopped.`,
          );
        job.status = 'Stopping';
        sendJson(ctx, 200, {});
        return true;
      }
    }
    if (a === 'provisioned-model-throughput' && ctx.method === 'POST' && !b) return (this.createThroughput(ctx), true);
    if (a === 'provisioned-model-throughput' && ctx.method === 'GET' && b) {
      const pt = this.state.provisioned.find((p) => p.provisionedModelArn === b || p.provisionedModelName === b);
      if (!pt) throw ServiceError.notFound(`Provisioned throughput ${b} not found.`);
      sendJson(ctx, 200, {
        ...pt,
        desiredModelArn: pt.modelArn,
        desiredModelUnits: pt.modelUnits,
        lastModifiedTime: pt.creationTime,
      });
      return true;
    }
    return false;
  }

  private create(ctx: RequestContext): void {
    const body = parseJsonBody<Record<string, any>>(ctx);
    requireFields(body, [
      'jobName',
      'customModelName',
      'roleArn',
      'baseModelIdentifier',
      'trainingDataConfig',
      'outputDataConfig',
    ]);
    requireRoleArn(body.roleArn);
    if (this.jobs.some((j) => j.jobName === body.jobName))
      throw new ServiceError(
        400,
        'ValidationException',
        `A customization job named ${body.jobName} already exists. Use another name.`,
      );
    const baseId = String(body.baseModelIdentifier).split('/').pop() ?? '';
    const model = findModel(baseId);
    const type = body.customizationType ?? 'FINE_TUNING';
    if (!model || !model.customizationsSupported.includes(type))
      throw ServiceError.validation(
        `The model ${baseId} does not support ${type}. Use the customization variant of a customizable model.`,
      );
    const hyper = body.hyperParameters ?? {};
    for (const [k, v] of Object.entries(hyper))
      if (typeof v !== 'string') throw ServiceError.validation(`Hyperparameter ${k} must be a string.`);
    if (!this.s3.exists(body.trainingDataConfig.s3Uri))
      throw ServiceError.validation(
        `The training data at ${body.trainingDataConfig.s3Uri} was not found. Upload it first.`,
      );
    for (const v of body.validationDataConfig?.validators ?? [])
      if (!this.s3.exists(v.s3Uri)) throw ServiceError.validation(`The validation data at ${v.s3Uri} was not found.`);
    const job: Job = {
      jobArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:model-customization-job/${baseId}/${id12()}`,
      jobName: body.jobName,
      outputModelName: body.customModelName,
      roleArn: body.roleArn,
      baseModelId: baseId,
      customizationType: type,
      hyperParameters: hyper,
      trainingDataConfig: body.trainingDataConfig,
      validationDataConfig: body.validationDataConfig,
      outputDataConfig: body.outputDataConfig,
      status: 'InProgress',
      creationTime: new Date(),
      region: ctx.region,
    };
    this.jobs.push(job);
    sendJson(ctx, 201, { jobArn: job.jobArn });
  }

  private summary(j: Job) {
    return {
      jobArn: j.jobArn,
      baseModelArn: foundationModelArn(j.region, j.baseModelId),
      jobName: j.jobName,
      status: j.status,
      creationTime: iso(j.creationTime),
      lastModifiedTime: iso(j.endTime ?? j.creationTime),
      endTime: j.endTime && iso(j.endTime),
      customModelArn: j.outputModelArn,
      customModelName: j.outputModelName,
      customizationType: j.customizationType,
    };
  }

  private details(ctx: RequestContext, j: Job): void {
    const done = j.status === 'Completed';
    const stage = (s: string) => ({
      status: s,
      creationTime: iso(j.creationTime),
      lastModifiedTime: iso(j.endTime ?? j.creationTime),
    });
    sendJson(ctx, 200, {
      ...this.summary(j),
      outputModelName: j.outputModelName,
      outputModelArn: j.outputModelArn,
      roleArn: j.roleArn,
      hyperParameters: j.hyperParameters,
      trainingDataConfig: j.trainingDataConfig,
      validationDataConfig: j.validationDataConfig ?? { validators: [] },
      outputDataConfig: j.outputDataConfig,
      statusDetails: {
        validationDetails: stage('Completed'),
        dataProcessingDetails: stage('Completed'),
        trainingDetails: stage(done ? 'Completed' : j.status === 'InProgress' ? 'InProgress' : 'Stopped'),
      },
      trainingMetrics: done ? { trainingLoss: 0.42 } : undefined,
      validationMetrics: done && j.validationDataConfig?.validators?.length ? [{ validationLoss: 0.51 }] : undefined,
      failureMessage: j.failureMessage,
    });
  }

  private createThroughput(ctx: RequestContext): void {
    const body = parseJsonBody<Record<string, any>>(ctx);
    if (!body.provisionedModelName || !body.modelId || !body.modelUnits)
      throw ServiceError.validation('provisionedModelName, modelId and modelUnits are required.');
    const custom = this.state.customModels.find((m) => m.modelArn === body.modelId || m.modelName === body.modelId);
    const baseId = custom?.baseModelId ?? String(body.modelId).split('/').pop() ?? '';
    if (!custom && !findModel(baseId)) throw ServiceError.validation(`The model ${body.modelId} was not found.`);
    const arn = `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:provisioned-model/${id12()}`;
    const pt = {
      provisionedModelName: body.provisionedModelName,
      provisionedModelArn: arn,
      modelArn: custom?.modelArn ?? foundationModelArn(ctx.region, baseId),
      foundationModelArn: foundationModelArn(ctx.region, baseId),
      modelUnits: Number(body.modelUnits),
      status: 'Creating' as 'Creating' | 'InService',
      commitmentDuration: body.commitmentDuration,
      creationTime: iso(new Date()),
    };
    this.state.provisioned.push(pt);
    setTimeout(() => (pt.status = 'InService'), Math.min(this.jobDurationMs, 2000)).unref();
    sendJson(ctx, 201, { provisionedModelArn: arn });
  }
}

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
  trainingDataConfig: { s3Uri?: string; invocationLogsConfig?: Record<string, any> };
  customizationConfig?: Record<string, any>;
  validationDataConfig?: { validators: { s3Uri: string }[] };
  outputDataConfig: { s3Uri: string };
  status: 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
  failureMessage?: string;
  creationTime: Date;
  endTime?: Date;
  region: string;
}

const id12 = () => randomBytes(6).toString('hex');
const TRAINING_LOSS = 0.42;
const VALIDATION_LOSS = 0.51;

/**
 * Distillation's teacher for each student (the user guide's "Choose teacher and student models", from
 * memory: written here apart from the extension's registry so each checks the other).
 */
const TEACHERS: { student: RegExp; teachers: string[] }[] = [
  { student: /^amazon\.nova-(micro|lite)-v1/, teachers: ['amazon.nova-premier-v1:0', 'amazon.nova-pro-v1:0'] },
  { student: /^amazon\.nova-pro-v1/, teachers: ['amazon.nova-premier-v1:0'] },
  {
    student: /^anthropic\.claude-3-haiku/,
    teachers: ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  },
  { student: /^meta\.llama3-1-8b/, teachers: ['meta.llama3-1-405b-instruct-v1:0', 'meta.llama3-1-70b-instruct-v1:0'] },
];
/** Reinforcement fine-tuning's base models (ListFoundationModels has no value to say so). */
const RFT_BASES = /^amazon\.nova-2-lite-v1/;
const LAMBDA_ARN = /^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/;
const TYPES = ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION', 'REINFORCEMENT_FINE_TUNING'];
const iso = (d: Date) => d.toISOString();

interface ImportJob {
  jobArn: string;
  jobName: string;
  importedModelName: string;
  roleArn: string;
  s3Uri: string;
  status: 'InProgress' | 'Completed' | 'Failed';
  failureMessage?: string;
  importedModelArn?: string;
  architecture: string;
  instructSupported: boolean;
  creationTime: Date;
  endTime?: Date;
  region: string;
}

export class CustomizationService {
  readonly jobs: Job[] = [];
  readonly importJobs: ImportJob[] = [];

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
    this.writeMetrics(job);
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

  /**
   * The metrics files a completed job leaves in its output (the user guide's layout and columns): a loss
   * that falls to the trainingLoss GetModelCustomizationJob reports, ten steps an epoch, and a validation
   * loss per epoch when the job had validation data. The curve's shape is ours [guess].
   */
  private writeMetrics(job: Job): void {
    const out = /^s3:\/\/([^/]+)\/?(.*)$/.exec(job.outputDataConfig.s3Uri);
    if (!out) return;
    const folder = `${out[2] && !out[2].endsWith('/') ? `${out[2]}/` : out[2]}model-customization-job-${job.jobArn.split('/').pop()}/`;
    const epochs = Math.max(1, Number(job.hyperParameters.epochCount ?? 2) || 2);
    const steps = epochs * 10;
    const curve = (end: number, start: number, at: number) => end + (start - end) * (1 - at) ** 2;
    const training = Array.from({ length: steps }, (_, step) => {
      const loss = curve(TRAINING_LOSS, 2.2, step / (steps - 1));
      return `${step},${Math.floor(step / 10) + 1},${loss.toFixed(4)},${Math.exp(loss).toFixed(4)}`;
    });
    this.s3.put(
      out[1],
      `${folder}training_artifacts/step_wise_training_metrics.csv`,
      `step_number,epoch_number,training_loss,perplexity\n${training.join('\n')}\n`,
    );
    if (!job.validationDataConfig?.validators?.length) return;
    const validation = Array.from({ length: epochs }, (_, e) => {
      const loss = curve(VALIDATION_LOSS, 2.0, epochs === 1 ? 1 : e / (epochs - 1));
      return `${(e + 1) * 10 - 1},${e + 1},${loss.toFixed(4)},${Math.exp(loss).toFixed(4)}`;
    });
    this.s3.put(
      out[1],
      `${folder}validation_artifacts/post_fine_tuning_validation/validation/validation_metrics.csv`,
      `step_number,epoch_number,validation_loss,perplexity\n${validation.join('\n')}\n`,
    );
  }

  /**
   * CreateModelImportJob reads the weights folder as the service does in outline: config.json must be
   * there (its model_type is the architecture), and a chat_template in tokenizer_config.json makes the
   * model one Converse serves [docs: "include the chat_template … to use Converse"]. The job completes
   * after jobDurationMs [guess: minutes to hours].
   */
  private startImport(ctx: RequestContext): void {
    const body = parseJsonBody<Record<string, any>>(ctx);
    requireFields(body, ['jobName', 'importedModelName', 'roleArn', 'modelDataSource']);
    requireRoleArn(body.roleArn);
    const s3Uri = String(body.modelDataSource?.s3DataSource?.s3Uri ?? '');
    const folder = /^s3:\/\/([^/]+)\/(.*?)\/*$/.exec(s3Uri);
    if (!folder) throw ServiceError.validation('modelDataSource.s3DataSource.s3Uri must be an s3:// folder.');
    if (this.state.importedModels.some((m) => m.modelName === body.importedModelName))
      throw new ServiceError(
        409,
        'ConflictException',
        `An imported model named ${body.importedModelName} already exists.`,
      );
    const read = (file: string) => this.s3.object(folder[1], `${folder[2]}/${file}`)?.body.toString('utf8');
    const config = read('config.json');
    let architecture = '';
    let instructSupported = false;
    try {
      architecture = String((JSON.parse(config ?? '{}') as { model_type?: unknown }).model_type ?? '');
      instructSupported =
        typeof (JSON.parse(read('tokenizer_config.json') ?? '{}') as { chat_template?: unknown }).chat_template ===
        'string';
    } catch {
      architecture = '';
    }
    const job: ImportJob = {
      jobArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:model-import-job/${id12()}`,
      jobName: body.jobName,
      importedModelName: body.importedModelName,
      roleArn: body.roleArn,
      s3Uri,
      status: 'InProgress',
      architecture,
      // Converse is not offered for GPT-OSS and Qwen2.5(-VL) imports whatever the template [docs].
      instructSupported: instructSupported && !/^(gpt_oss|qwen2_5_vl|qwen2_vl)$/.test(architecture),
      creationTime: new Date(),
      region: ctx.region,
      ...(config === undefined
        ? {
            failureMessage: `No config.json under ${s3Uri}: import the model's Hugging Face files (config.json, tokenizer, .safetensors).`,
          }
        : architecture === ''
          ? { failureMessage: 'config.json has no model_type: the architecture cannot be read.' }
          : {}),
    };
    this.importJobs.push(job);
    sendJson(ctx, 201, { jobArn: job.jobArn });
  }

  private advanceImport(job: ImportJob): void {
    if (job.status !== 'InProgress' || Date.now() - job.creationTime.getTime() < this.jobDurationMs) return;
    job.endTime = new Date();
    if (job.failureMessage) {
      job.status = 'Failed';
      return;
    }
    job.status = 'Completed';
    job.importedModelArn = `arn:aws:bedrock:${job.region}:${ACCOUNT_ID}:imported-model/${id12()}`;
    this.state.importedModels.push({
      modelArn: job.importedModelArn,
      modelName: job.importedModelName,
      modelArchitecture: job.architecture,
      instructSupported: job.instructSupported,
      creationTime: iso(job.endTime),
      s3Uri: job.s3Uri,
    });
  }

  private importJobView(j: ImportJob) {
    return {
      jobArn: j.jobArn,
      jobName: j.jobName,
      importedModelName: j.importedModelName,
      importedModelArn: j.importedModelArn,
      roleArn: j.roleArn,
      modelDataSource: { s3DataSource: { s3Uri: j.s3Uri } },
      status: j.status,
      failureMessage: j.status === 'Failed' ? j.failureMessage : undefined,
      creationTime: iso(j.creationTime),
      lastModifiedTime: iso(j.endTime ?? j.creationTime),
      endTime: j.endTime && iso(j.endTime),
    };
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a === 'model-import-jobs') {
      if (ctx.method === 'POST' && !b) return (this.startImport(ctx), true);
      this.importJobs.forEach((j) => this.advanceImport(j));
      if (ctx.method === 'GET' && !b) {
        sendJson(ctx, 200, { modelImportJobSummaries: this.importJobs.map((j) => this.importJobView(j)) });
        return true;
      }
      const job = this.importJobs.find((j) => j.jobArn === decodeURIComponent(b) || j.jobName === b);
      if (!job) throw ServiceError.notFound(`Could not find the model import job ${b}.`);
      sendJson(ctx, 200, this.importJobView(job));
      return true;
    }
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
    if (!TYPES.includes(type)) throw ServiceError.validation(`Unknown customizationType ${type}.`);
    const supported =
      type === 'REINFORCEMENT_FINE_TUNING' ? RFT_BASES.test(baseId) : model?.customizationsSupported.includes(type);
    if (!model || !supported)
      throw ServiceError.validation(
        `The model ${baseId} does not support ${type}. Use the customization variant of a customizable model.`,
      );
    const config = body.customizationConfig as Record<string, any> | undefined;
    if (type === 'DISTILLATION') this.checkDistillation(baseId, config, body);
    else if (type === 'REINFORCEMENT_FINE_TUNING') this.checkReinforcement(config, body);
    else if (config) throw ServiceError.validation(`customizationConfig is not used by ${type} jobs; remove it.`);
    const hyper = body.hyperParameters ?? {};
    for (const [k, v] of Object.entries(hyper))
      if (typeof v !== 'string') throw ServiceError.validation(`Hyperparameter ${k} must be a string.`);
    const logs = body.trainingDataConfig.invocationLogsConfig?.invocationLogSource?.s3Uri;
    if (body.trainingDataConfig.invocationLogsConfig && type !== 'DISTILLATION')
      throw ServiceError.validation('Invocation logs can be training data for distillation jobs only.');
    if (logs !== undefined && body.trainingDataConfig.s3Uri)
      throw ServiceError.validation('Give trainingDataConfig either s3Uri or invocationLogsConfig, not both.');
    if (
      logs !== undefined
        ? !this.s3.exists(logs.endsWith('/') ? logs : `${logs}/`)
        : !this.s3.exists(body.trainingDataConfig.s3Uri ?? '')
    )
      throw ServiceError.validation(
        logs !== undefined
          ? `The invocation logs at ${logs} were not found.`
          : `The training data at ${body.trainingDataConfig.s3Uri} was not found. Upload it first.`,
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
      customizationConfig: config,
      validationDataConfig: body.validationDataConfig,
      outputDataConfig: body.outputDataConfig,
      status: 'InProgress',
      creationTime: new Date(),
      region: ctx.region,
    };
    this.jobs.push(job);
    sendJson(ctx, 201, { jobArn: job.jobArn });
  }

  private checkDistillation(
    studentId: string,
    config: Record<string, any> | undefined,
    body: Record<string, any>,
  ): void {
    const teacher = config?.distillationConfig?.teacherModelConfig?.teacherModelIdentifier;
    if (typeof teacher !== 'string' || teacher === '')
      throw ServiceError.validation(
        'A DISTILLATION job needs customizationConfig.distillationConfig.teacherModelConfig.teacherModelIdentifier.',
      );
    const teacherId = teacher
      .split('/')
      .pop()!
      .replace(/^(us|eu|apac|global)\./, '');
    const allowed = TEACHERS.find((t) => t.student.test(studentId))?.teachers ?? [];
    if (!allowed.includes(teacherId))
      throw ServiceError.validation(
        `${teacher} cannot teach ${studentId}. Supported teachers for this student: ${allowed.join(', ') || 'none'}.`,
      );
    const max = config?.distillationConfig?.teacherModelConfig?.maxResponseLengthForInference;
    if (max !== undefined && !(Number.isInteger(max) && max >= 1))
      throw ServiceError.validation('maxResponseLengthForInference must be a whole number of tokens.');
    if (body.hyperParameters && Object.keys(body.hyperParameters).length > 0)
      throw ServiceError.validation('Distillation jobs do not take hyperParameters; remove them.');
    if (body.validationDataConfig?.validators?.length)
      throw ServiceError.validation('Distillation jobs do not take validation data; remove validationDataConfig.');
  }

  private checkReinforcement(config: Record<string, any> | undefined, body: Record<string, any>): void {
    const arn = config?.rftConfig?.graderConfig?.lambdaGrader?.lambdaArn;
    if (typeof arn !== 'string' || !LAMBDA_ARN.test(arn))
      throw ServiceError.validation(
        'A REINFORCEMENT_FINE_TUNING job needs customizationConfig.rftConfig.graderConfig.lambdaGrader.lambdaArn, a Lambda function ARN.',
      );
    const hp = config?.rftConfig?.hyperParameters ?? {};
    for (const [k, v] of Object.entries(hp))
      if (k === 'reasoningEffort' ? !['low', 'medium', 'high'].includes(v as string) : typeof v !== 'number')
        throw ServiceError.validation(`rftConfig.hyperParameters.${k} has an invalid value.`);
    if (body.hyperParameters && Object.keys(body.hyperParameters).length > 0)
      throw ServiceError.validation(
        'Reinforcement fine-tuning takes its hyperparameters in rftConfig.hyperParameters, not hyperParameters.',
      );
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
    // The three stages take a third of the job's time each: validation, data processing, training.
    const third = Math.min(3, Math.floor(((Date.now() - j.creationTime.getTime()) / this.jobDurationMs) * 3));
    const stageAt = (index: number) =>
      done || third > index
        ? 'Completed'
        : third === index
          ? j.status === 'InProgress'
            ? 'InProgress'
            : 'Stopped'
          : j.status === 'InProgress'
            ? 'NotStarted'
            : 'Stopped';
    const stage = (index: number) => ({
      status: stageAt(index),
      creationTime: iso(j.creationTime),
      lastModifiedTime: iso(j.endTime ?? new Date(j.creationTime.getTime() + (this.jobDurationMs * index) / 3)),
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
      customizationConfig: j.customizationConfig,
      statusDetails: {
        validationDetails: stage(0),
        dataProcessingDetails: stage(1),
        trainingDetails: stage(2),
      },
      trainingMetrics: done ? { trainingLoss: TRAINING_LOSS } : undefined,
      validationMetrics:
        done && j.validationDataConfig?.validators?.length ? [{ validationLoss: VALIDATION_LOSS }] : undefined,
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

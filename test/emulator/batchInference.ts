// Batch inference (CreateModelInvocationJob and friends). A job reads every .jsonl object under its
// input S3 URI, walks Submitted → Validating → Scheduled → InProgress over the job duration, then
// answers each record as Converse would and writes `{output}/{jobId}/{file}.out` (one line per record,
// `modelOutput` or `error`) and `manifest.json.out`, as the service does. Records use the Converse
// format (`modelInvocationType: "Converse"`); InvokeModel bodies are model-specific and not emulated.
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext, requireFields, requireRoleArn } from './http';
import { answer, type ConverseBody } from './responder';
import { responseContent, usage, validateConverse } from './runtime';
import type { S3Store } from './s3';
import { ACCOUNT_ID, type AccountState } from './state';

type BatchStatus =
  | 'Submitted'
  | 'Validating'
  | 'Scheduled'
  | 'InProgress'
  | 'Completed'
  | 'PartiallyCompleted'
  | 'Failed'
  | 'Stopping'
  | 'Stopped';

interface BatchJob {
  jobArn: string;
  jobName: string;
  modelId: string;
  roleArn: string;
  clientRequestToken?: string;
  inputDataConfig: { s3InputDataConfig: { s3Uri: string; s3InputFormat?: string } };
  outputDataConfig: { s3OutputDataConfig: { s3Uri: string } };
  modelInvocationType: 'Converse';
  timeoutDurationInHours: number;
  status: BatchStatus;
  message?: string;
  submitTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

const PHASES: BatchStatus[] = ['Submitted', 'Validating', 'Scheduled', 'InProgress'];

export class BatchInferenceService {
  readonly jobs: BatchJob[] = [];

  constructor(
    private readonly state: AccountState,
    private readonly s3: S3Store,
    private readonly jobDurationMs: number,
    /** The service's "Minimum number of records per batch inference job" quota. */
    private readonly minRecords: number,
  ) {}

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a === 'model-invocation-job' && ctx.method === 'POST' && !b) return (this.create(ctx), true);
    if (a === 'model-invocation-jobs' && ctx.method === 'GET' && !b) {
      this.jobs.forEach((j) => this.advance(j));
      const status = ctx.query.get('statusEquals');
      const name = ctx.query.get('nameContains');
      const list = this.jobs
        .filter((j) => (!status || j.status === status) && (!name || j.jobName.includes(name)))
        .sort((x, y) => y.submitTime.getTime() - x.submitTime.getTime());
      sendJson(ctx, 200, { invocationJobSummaries: list.map((j) => this.describe(j)) });
      return true;
    }
    if (a === 'model-invocation-job' && b) {
      const job = this.jobs.find((j) => j.jobArn === b || j.jobArn.endsWith(`/${b}`));
      if (!job) throw ServiceError.notFound(`Could not find the model invocation job ${b}.`);
      this.advance(job);
      if (ctx.method === 'GET' && !c) return (sendJson(ctx, 200, this.describe(job)), true);
      if (ctx.method === 'POST' && c === 'stop') {
        if (!PHASES.includes(job.status))
          throw new ServiceError(
            400,
            'ValidationException',
            `The job ${job.jobName} is ${job.status} and cannot be stopped.`,
          );
        job.status = 'Stopping';
        job.lastModifiedTime = new Date();
        sendJson(ctx, 200, {});
        return true;
      }
    }
    return false;
  }

  private create(ctx: RequestContext): void {
    const body = parseJsonBody<Record<string, any>>(ctx);
    requireFields(body, ['jobName', 'roleArn', 'modelId', 'inputDataConfig', 'outputDataConfig']);
    requireRoleArn(body.roleArn);
    if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/.test(body.jobName) || body.jobName.length > 63)
      throw ServiceError.validation(
        `1 validation error detected: Value '${body.jobName}' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}`,
      );
    if (this.jobs.some((j) => j.jobName === body.jobName))
      throw new ServiceError(409, 'ConflictException', `A model invocation job named ${body.jobName} already exists.`);
    if ((body.modelInvocationType ?? 'InvokeModel') !== 'Converse')
      throw ServiceError.validation(
        'The emulator runs batch records in the Converse format only: set modelInvocationType to "Converse".',
      );
    this.state.resolve(body.modelId);
    const input = body.inputDataConfig?.s3InputDataConfig?.s3Uri;
    const output = body.outputDataConfig?.s3OutputDataConfig?.s3Uri;
    if (!input || !output)
      throw ServiceError.validation(
        'inputDataConfig.s3InputDataConfig.s3Uri and outputDataConfig.s3OutputDataConfig.s3Uri are required.',
      );
    if (this.inputFiles(input).length === 0)
      throw ServiceError.validation(`No .jsonl input was found at ${input}. Upload the records first.`);
    const timeout = body.timeoutDurationInHours ?? 24;
    if (timeout < 24 || timeout > 168)
      throw ServiceError.validation('timeoutDurationInHours must be between 24 and 168.');
    const now = new Date();
    const job: BatchJob = {
      jobArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:model-invocation-job/${randomBytes(6).toString('hex')}`,
      jobName: body.jobName,
      modelId: body.modelId,
      roleArn: body.roleArn,
      clientRequestToken: body.clientRequestToken,
      inputDataConfig: body.inputDataConfig,
      outputDataConfig: body.outputDataConfig,
      modelInvocationType: 'Converse',
      timeoutDurationInHours: timeout,
      status: 'Submitted',
      submitTime: now,
      lastModifiedTime: now,
    };
    this.jobs.push(job);
    sendJson(ctx, 200, { jobArn: job.jobArn });
  }

  private inputFiles(uri: string): { bucket: string; key: string }[] {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
    if (!m) return [];
    const objects = this.s3.buckets.get(m[1]);
    if (!objects) return [];
    return [...objects.keys()]
      .filter(
        (k) => (k === m[2] || (m[2].endsWith('/') || m[2] === '' ? k.startsWith(m[2]) : false)) && k.endsWith('.jsonl'),
      )
      .map((key) => ({ bucket: m[1], key }));
  }

  private advance(job: BatchJob): void {
    if (job.status === 'Stopping') {
      job.status = 'Stopped';
      job.endTime = job.lastModifiedTime = new Date();
      return;
    }
    if (!PHASES.includes(job.status)) return;
    const elapsed = Date.now() - job.submitTime.getTime();
    const phase = Math.min(PHASES.length, Math.floor((elapsed / this.jobDurationMs) * PHASES.length));
    if (phase < PHASES.length) {
      if (PHASES[phase] !== job.status) {
        job.status = PHASES[phase];
        job.lastModifiedTime = new Date();
      }
      return;
    }
    this.complete(job);
  }

  private complete(job: BatchJob): void {
    const files = this.inputFiles(job.inputDataConfig.s3InputDataConfig.s3Uri);
    const records: { file: { bucket: string; key: string }; line: string }[] = [];
    for (const file of files) {
      for (const line of this.s3.object(file.bucket, file.key)!.body.toString('utf8').split('\n'))
        if (line.trim()) records.push({ file, line });
    }
    job.endTime = job.lastModifiedTime = new Date();
    job.totalRecordCount = records.length;
    if (records.length < this.minRecords) {
      job.status = 'Failed';
      job.message = `The number of records in the input (${records.length}) is less than the minimum of ${this.minRecords} records per batch inference job.`;
      return;
    }
    const target = this.state.resolve(job.modelId);
    const outBase = job.outputDataConfig.s3OutputDataConfig.s3Uri.replace(/\/?$/, '/');
    const out = /^s3:\/\/([^/]+)\/(.*)$/.exec(outBase);
    if (!out || !this.s3.buckets.has(out[1])) {
      job.status = 'Failed';
      job.message = `The output location ${outBase} is not accessible.`;
      return;
    }
    const jobId = job.jobArn.split('/').pop()!;
    const outputs = new Map<string, string[]>();
    let ok = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    records.forEach(({ file, line }, i) => {
      let result: Record<string, unknown>;
      try {
        const record = JSON.parse(line) as { recordId?: string; modelInput?: ConverseBody };
        const recordId = record.recordId ?? `${String(i + 1).padStart(11, '0')}`;
        try {
          if (!record.modelInput || typeof record.modelInput !== 'object')
            throw ServiceError.validation('modelInput is missing.');
          // Converse-type batch jobs take no tools (bedrock-wire.md: "reject toolConfig", [M]).
          if (record.modelInput.toolConfig !== undefined)
            throw ServiceError.validation('toolConfig is not supported for batch inference jobs of the Converse type.');
          validateConverse(record.modelInput, target, false);
          const a = answer(target.model.modelId, target.model.modelName, record.modelInput);
          const u = usage(a);
          inputTokens += u.inputTokens;
          outputTokens += u.outputTokens;
          result = {
            recordId,
            modelInput: record.modelInput,
            modelOutput: {
              output: { message: { role: 'assistant', content: responseContent(a) } },
              stopReason: a.stopReason,
              usage: u,
              metrics: { latencyMs: 5 },
            },
          };
          ok++;
        } catch (err) {
          result = {
            recordId,
            modelInput: record.modelInput,
            error: { errorCode: err instanceof ServiceError ? err.status : 500, errorMessage: (err as Error).message },
          };
        }
      } catch (err) {
        result = { error: { errorCode: 400, errorMessage: `Malformed JSON record: ${(err as Error).message}` } };
      }
      const name = file.key.split('/').pop()!;
      (outputs.get(name) ?? outputs.set(name, []).get(name)!).push(JSON.stringify(result));
    });
    const put = (key: string, text: string) => this.s3.put(out[1], key, text);
    for (const [name, lines] of outputs) put(`${out[2]}${jobId}/${name}.out`, `${lines.join('\n')}\n`);
    put(
      `${out[2]}${jobId}/manifest.json.out`,
      JSON.stringify({
        totalRecordCount: records.length,
        processedRecordCount: records.length,
        successRecordCount: ok,
        errorRecordCount: records.length - ok,
        inputTokenCount: inputTokens,
        outputTokenCount: outputTokens,
      }),
    );
    job.processedRecordCount = records.length;
    job.successRecordCount = ok;
    job.errorRecordCount = records.length - ok;
    job.status = ok === records.length ? 'Completed' : ok > 0 ? 'PartiallyCompleted' : 'Failed';
    if (job.status === 'Failed') job.message = 'Every record failed; see the .out file for the errors.';
  }

  private describe(j: BatchJob) {
    return {
      jobArn: j.jobArn,
      jobName: j.jobName,
      modelId: j.modelId,
      clientRequestToken: j.clientRequestToken,
      roleArn: j.roleArn,
      status: j.status,
      message: j.message,
      submitTime: j.submitTime.toISOString(),
      lastModifiedTime: j.lastModifiedTime.toISOString(),
      endTime: j.endTime?.toISOString(),
      inputDataConfig: j.inputDataConfig,
      outputDataConfig: j.outputDataConfig,
      timeoutDurationInHours: j.timeoutDurationInHours,
      jobExpirationTime: new Date(j.submitTime.getTime() + j.timeoutDurationInHours * 3_600_000).toISOString(),
      modelInvocationType: j.modelInvocationType,
      totalRecordCount: j.totalRecordCount,
      processedRecordCount: j.processedRecordCount,
      successRecordCount: j.successRecordCount,
      errorRecordCount: j.errorRecordCount,
    };
  }
}

// A model customization job from what the user chose (the editor's questions or the CLI's flags): the
// rules each kind of job follows, checked before anything is sent, and the request they make. Both front
// ends start jobs through here, and read a running job's stage the same way.
import type { CustomizationJobInput, JobSummary } from '../core/bedrock/clients';
import { s3UriProblem } from '../core/bedrock/s3Uri';
import { checkHyperParameters, defaultHyperParameters, parseRftHyperParameters } from '../core/dataset/hyperparameters';
import { CUSTOMIZATION_KINDS, type Customization } from '../core/models/registry';
import { lambdaArnProblem, roleArnProblem } from '../core/shared/arn';
import { BedrockError } from '../core/shared/bedrockError';

export interface CustomizationChoice {
  /** The model to customize; for distillation, the student. */
  baseModelId: string;
  customization: Customization;
  jobName: string;
  customModelName: string;
  roleArn: string;
  outputS3Uri: string;
  trainingS3Uri?: string;
  /** Distillation from the account's invocation logs under this s3:// prefix instead of a prompts file. */
  invocationLogs?: { s3Uri: string; usePromptResponse: boolean };
  validationS3Uri?: string;
  /** Fine-tuning and continued pre-training: the model's defaults when not given. */
  hyperParameters?: Record<string, string>;
  teacherModelId?: string;
  maxResponseLengthForInference?: number;
  lambdaArn?: string;
  /** Reinforcement fine-tuning's hyperparameters as `name=value` pairs ('' or none: the service's defaults). */
  rftHyperParameters?: string;
}

/** Bedrock's rule for a job name (CreateModelCustomizationJob's pattern), or undefined when it holds. */
export function jobNameProblem(name: string): string | undefined {
  return /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/.test(name) && name.length <= 63
    ? undefined
    : 'Letters, digits, + - . (at most 63)';
}

/** Bedrock's rule for a custom model's name, or undefined when it holds. */
export function customModelNameProblem(name: string): string | undefined {
  return /^([0-9a-zA-Z][_-]?){1,63}$/.test(name) ? undefined : 'Letters and digits, single _ or - between them';
}

/** A job name and a model name from the base model and the time (`nova-micro-202612051710`). */
export function defaultJobNames(baseModelId: string, customization: Customization, now = new Date()) {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const short =
    baseModelId
      .split(':')[0]
      .split('.')
      .pop()
      ?.replace(/[^a-zA-Z0-9-]/g, '-') ?? 'model';
  return {
    jobName: `${short}-${stamp}`,
    customModelName: `${short}-${customization === 'DISTILLATION' ? 'distilled' : 'custom'}-${stamp}`,
  };
}

/**
 * The CreateModelCustomizationJob request for a choice, or every problem with it at once (each with the
 * value and the fix), before anything is sent.
 */
export function customizationJobInput(c: CustomizationChoice): CustomizationJobInput {
  const problems: string[] = [];
  const check = (problem: string | undefined, what: string) =>
    problem && problems.push(`${what} is not valid (${problem.replace(/\.$/, '')}).`);
  const kind = CUSTOMIZATION_KINDS[c.customization];
  check(jobNameProblem(c.jobName), `The job name "${c.jobName}"`);
  check(customModelNameProblem(c.customModelName), `The model name "${c.customModelName}"`);
  check(roleArnProblem(c.roleArn), `The role "${c.roleArn}"`);
  check(s3UriProblem(c.outputS3Uri), 'The output location');
  if (c.invocationLogs && c.customization !== 'DISTILLATION')
    problems.push('Invocation logs are training data for distillation only.');
  if (c.invocationLogs && c.trainingS3Uri) problems.push('Give the training data or the invocation logs, not both.');
  if (c.invocationLogs) check(s3UriProblem(c.invocationLogs.s3Uri), 'The invocation logs location');
  else if (!c.trainingS3Uri) problems.push(`${kind.label} needs training data (an s3:// file).`);
  else check(s3UriProblem(c.trainingS3Uri, 's3://bucket/prefix/train.jsonl'), 'The training data location');
  if (c.validationS3Uri && !kind.takesValidationAndHyperParameters)
    problems.push(`${kind.label} takes no validation file: leave it out.`);
  else if (c.validationS3Uri) check(s3UriProblem(c.validationS3Uri), 'The validation data location');

  let hyperParameters: Record<string, string> | undefined;
  let distillation: CustomizationJobInput['distillation'];
  let reinforcement: CustomizationJobInput['reinforcement'];
  if (kind.takesValidationAndHyperParameters) {
    hyperParameters = c.hyperParameters ?? defaultHyperParameters(c.baseModelId);
    problems.push(...checkHyperParameters(c.baseModelId, hyperParameters));
  } else if (c.hyperParameters && Object.keys(c.hyperParameters).length > 0)
    problems.push(
      c.customization === 'DISTILLATION'
        ? 'Distillation takes no hyperparameters.'
        : 'Reinforcement fine-tuning takes its own hyperparameters (epochCount=2 reasoningEffort=low …).',
    );
  if (c.customization === 'DISTILLATION') {
    if (!c.teacherModelId) problems.push('Distillation needs a teacher model.');
    const max = c.maxResponseLengthForInference;
    if (max !== undefined && !(Number.isInteger(max) && max > 0))
      problems.push(`The longest teacher answer must be a whole number of tokens; got ${max}.`);
    if (c.teacherModelId)
      distillation = {
        teacherModelIdentifier: c.teacherModelId,
        ...(max !== undefined ? { maxResponseLengthForInference: max } : {}),
      };
  } else if (c.teacherModelId) problems.push('A teacher model is for distillation only.');
  if (c.customization === 'REINFORCEMENT_FINE_TUNING') {
    if (!c.lambdaArn)
      problems.push(
        'Reinforcement fine-tuning needs a grader: the ARN of a Lambda function (the API takes no other kind of grader).',
      );
    else check(lambdaArnProblem(c.lambdaArn), `The grader "${c.lambdaArn}"`);
    const parsed = parseRftHyperParameters(c.rftHyperParameters ?? '');
    problems.push(...parsed.problems);
    if (c.lambdaArn)
      reinforcement = {
        lambdaArn: c.lambdaArn,
        ...(Object.keys(parsed.values).length ? { hyperParameters: parsed.values } : {}),
      };
  } else if (c.lambdaArn) problems.push('A grader is for reinforcement fine-tuning only.');

  if (problems.length > 0)
    throw new BedrockError('Validation', `The ${kind.name} job was not started. ${problems.join(' ')}`);
  return {
    jobName: c.jobName,
    customModelName: c.customModelName,
    roleArn: c.roleArn,
    baseModelIdentifier: c.baseModelId,
    customizationType: c.customization,
    trainingS3Uri: c.invocationLogs ? undefined : c.trainingS3Uri,
    invocationLogs: c.invocationLogs,
    validationS3Uri: c.validationS3Uri,
    outputS3Uri: c.outputS3Uri,
    hyperParameters,
    distillation,
    reinforcement,
  };
}

/** Where a running job is: the stage under way and its place ("training, stage 3 of 3"). */
export function stageNote(j: Pick<JobSummary, 'status' | 'stages'>): string | undefined {
  if (!j.stages?.length || (j.status !== 'InProgress' && j.status !== 'Stopping')) return undefined;
  const at = j.stages.findIndex((s) => s.status !== 'Completed');
  if (at < 0) return 'finishing';
  const stage = j.stages[at];
  const status = stage.status.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${stage.name}${stage.status === 'InProgress' ? '' : ` ${status}`}, stage ${at + 1} of ${j.stages.length}`;
}

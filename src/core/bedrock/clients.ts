// Small interfaces over the SDK clients. Pure code depends on these (type-only imports of the SDK's
// shapes), so unit tests can pass in-memory fakes and nothing here loads the SDK.
import type {
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamCommandInput,
  ConverseStreamCommandOutput,
  CountTokensCommandInput,
  CountTokensCommandOutput,
  ApplyGuardrailCommandInput,
  ApplyGuardrailCommandOutput,
  InvokeGuardrailChecksCommandInput,
  InvokeGuardrailChecksCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  CustomModelSummary,
  FoundationModelSummary,
  InferenceProfileSummary,
  CustomModelDeploymentSummary,
  GuardrailSummary,
  ImportedModelSummary,
  ProjectSummary,
  PromptRouterSummary,
  ProvisionedModelSummary,
} from '@aws-sdk/client-bedrock';
import type { Customization as CustomizationKind } from '../models/registry';
import type {
  AgenticRetrieveStreamCommandInput,
  AgenticRetrieveStreamCommandOutput,
  InvokeAgentCommandInput,
  InvokeAgentCommandOutput,
  OptimizePromptCommandOutput,
  RetrieveAndGenerateStreamCommandInput,
  RetrieveAndGenerateStreamCommandOutput,
  RetrieveCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type {
  InvokeAgentRuntimeCommandInput,
  InvokeAgentRuntimeCommandOutput,
  InvokeHarnessCommandInput,
  InvokeHarnessCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import type { CreateHarnessCommandInput, UpdateHarnessCommandInput } from '@aws-sdk/client-bedrock-agentcore-control';
import type { AwsSettings } from './settings';

export interface Runtime {
  /** `retries: false` makes one attempt only (batch runs and prompt tests retry through their own limiter). */
  converse(
    input: ConverseCommandInput,
    signal?: AbortSignal,
    options?: { retries?: boolean },
  ): Promise<ConverseCommandOutput>;
  converseStream(input: ConverseStreamCommandInput, signal?: AbortSignal): Promise<ConverseStreamCommandOutput>;
  countTokens(input: CountTokensCommandInput, signal?: AbortSignal): Promise<CountTokensCommandOutput>;
  applyGuardrail(input: ApplyGuardrailCommandInput, signal?: AbortSignal): Promise<ApplyGuardrailCommandOutput>;
  invokeGuardrailChecks(
    input: InvokeGuardrailChecksCommandInput,
    signal?: AbortSignal,
  ): Promise<InvokeGuardrailChecksCommandOutput>;
  region(): Promise<string>;
}

export interface ControlPlane {
  listFoundationModels(signal?: AbortSignal): Promise<FoundationModelSummary[]>;
  listInferenceProfiles(): Promise<InferenceProfileSummary[]>;
  listCustomModels(): Promise<CustomModelSummary[]>;
  listProvisionedThroughputs(): Promise<ProvisionedModelSummary[]>;
  /** The account's active projects (Converse `projectIdentifier`). */
  listProjects(): Promise<ProjectSummary[]>;
  /** Bedrock's default prompt routers and the account's own. */
  listPromptRouters(): Promise<PromptRouterSummary[]>;
  /** Custom models deployed for on-demand use. */
  listCustomModelDeployments(): Promise<CustomModelDeploymentSummary[]>;
  /** Models imported from their weights (Custom Model Import). */
  listImportedModels(): Promise<ImportedModelSummary[]>;
  /** The account's guardrails (each one's working draft), or one guardrail's versions. */
  listGuardrails(guardrailIdentifier?: string): Promise<GuardrailSummary[]>;
  region(): Promise<string>;
}

export interface UploadProgress {
  loaded: number;
  total?: number;
}

export interface Storage {
  /** Uploads a local file (multipart when large); resolves to its s3:// URI. */
  uploadFile(
    bucket: string,
    key: string,
    filePath: string,
    onProgress?: (p: UploadProgress) => void,
    signal?: AbortSignal,
  ): Promise<string>;
  listBuckets(): Promise<string[]>;
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  readText(bucket: string, key: string, signal?: AbortSignal): Promise<string>;
}

/** Reinforcement fine-tuning's hyperparameters: numbers (and an effort), unlike fine-tuning's strings. */
export interface RftHyperParameters {
  epochCount?: number;
  batchSize?: number;
  learningRate?: number;
  maxPromptLength?: number;
  trainingSamplePerPrompt?: number;
  inferenceMaxTokens?: number;
  reasoningEffort?: 'low' | 'medium' | 'high';
  evalInterval?: number;
}

export interface CustomizationJobInput {
  jobName: string;
  customModelName: string;
  roleArn: string;
  /** The student, for distillation. */
  baseModelIdentifier: string;
  customizationType: CustomizationKind;
  /** Training records in S3; for distillation, either these prompts or `invocationLogs`. */
  trainingS3Uri?: string;
  /** Distillation from the account's model invocation logs in S3 instead of a prompts file. */
  invocationLogs?: { s3Uri: string; usePromptResponse: boolean };
  validationS3Uri?: string;
  outputS3Uri: string;
  /** Fine-tuning and continued pre-training only. */
  hyperParameters?: Record<string, string>;
  distillation?: { teacherModelIdentifier: string; maxResponseLengthForInference?: number };
  /** The API grades only with a Lambda function (a console "model as judge" grader is one it generates). */
  reinforcement?: { lambdaArn: string; hyperParameters?: RftHyperParameters };
}

export interface JobSummary {
  jobArn: string;
  jobName: string;
  status: string;
  baseModelId: string;
  customModelArn?: string;
  customModelName?: string;
  customizationType?: string;
  creationTime?: Date;
  endTime?: Date;
  /** Validation, data processing and training, each with its status, in that order (from the job's details). */
  stages?: JobStage[];
}

/** One stage of a customization job as GetModelCustomizationJob reports it. */
export interface JobStage {
  name: 'validation' | 'data processing' | 'training';
  status: string;
  since?: Date;
}

export interface JobDetails extends JobSummary {
  failureMessage?: string;
  teacherModelId?: string;
  lambdaArn?: string;
  /** Where the training data comes from: an s3:// file, or invocation logs under an s3:// prefix. */
  trainingData?: string;
  outputS3Uri?: string;
  trainingLoss?: number;
  validationLoss?: number;
  hyperParameters?: Record<string, string>;
}

export interface Customization {
  createJob(input: CustomizationJobInput): Promise<string>;
  listJobs(): Promise<JobSummary[]>;
  getJob(jobArn: string): Promise<JobDetails>;
  stopJob(jobArn: string): Promise<void>;
  /** Deploys a custom model for on-demand use; resolves to the deployment's ARN. */
  createDeployment(name: string, modelArn: string): Promise<string>;
  deleteDeployment(deploymentArn: string): Promise<void>;
  /** Custom Model Import: a model from its Hugging Face weights in S3; resolves to the job's ARN. */
  importModel(input: { jobName: string; importedModelName: string; roleArn: string; s3Uri: string }): Promise<string>;
  getImportJob(jobArn: string): Promise<{ status: string; importedModelArn?: string; failureMessage?: string }>;
  /** Points a deployment at another custom model (of the same base model); it keeps serving meanwhile. */
  updateDeployment(deploymentArn: string, modelArn: string): Promise<void>;
  createProvisionedThroughput(
    name: string,
    modelArn: string,
    modelUnits: number,
    commitment?: 'OneMonth' | 'SixMonths',
  ): Promise<string>;
}

export interface InvocationJobInput {
  jobName: string;
  roleArn: string;
  modelId: string;
  inputS3Uri: string;
  outputS3Uri: string;
  timeoutDurationInHours?: number;
}

export interface InvocationJob {
  jobArn: string;
  jobName: string;
  modelId: string;
  status: string;
  message?: string;
  submitTime?: Date;
  endTime?: Date;
  inputS3Uri?: string;
  outputS3Uri?: string;
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

/** Batch inference: CreateModelInvocationJob and friends (records in the Converse format). */
export interface BatchInference {
  createJob(input: InvocationJobInput): Promise<string>;
  listJobs(): Promise<InvocationJob[]>;
  getJob(jobArn: string): Promise<InvocationJob>;
  stopJob(jobArn: string): Promise<void>;
}

/** A model evaluation job that grades answers brought along (LLM as a judge, custom metrics). */
export interface JudgeJobInput {
  jobName: string;
  roleArn: string;
  /** The dataset (one JSON line per prompt, with the answer in `modelResponses`). */
  datasetS3Uri: string;
  datasetName: string;
  outputS3Uri: string;
  /** The label of the answers in the dataset (`modelResponses[].modelIdentifier`). */
  sourceIdentifier: string;
  evaluatorModel: string;
  metrics: { name: string; instructions: string; ratingScale: { definition: string; value: number }[] }[];
}

export interface JudgeJob {
  jobArn: string;
  jobName: string;
  status: string;
  failureMessages: string[];
  outputS3Uri?: string;
}

/** Bedrock model evaluation jobs (CreateEvaluationJob, GetEvaluationJob). */
/** An Advanced Prompt Optimization job as the lab shows it. */
export interface OptimizationJob {
  jobArn: string;
  jobName: string;
  /** InProgress, Completed, PartiallyCompleted, Failed, Stopping, Stopped, Deleting. */
  status: string;
  createdAt?: Date;
  updatedAt?: Date;
  inputS3Uri?: string;
  outputS3Uri?: string;
  modelIds: string[];
  failureMessage?: string;
}

/** Advanced Prompt Optimization jobs (bedrock control plane): the input and output live in S3. */
export interface OptimizationJobs {
  createJob(input: {
    jobName: string;
    description?: string;
    inputS3Uri: string;
    outputS3Uri: string;
    modelIds: string[];
  }): Promise<string>;
  getJob(jobArn: string): Promise<OptimizationJob>;
  listJobs(): Promise<OptimizationJob[]>;
  stopJob(jobArn: string): Promise<void>;
}

export interface EvaluationJobs {
  createJudgeJob(input: JudgeJobInput): Promise<string>;
  getJob(jobArn: string): Promise<JudgeJob>;
}

/** A knowledge base as the sidebar shows it: its type comes from GetKnowledgeBase, the rest from the list. */
export interface KnowledgeBaseInfo {
  id: string;
  name: string;
  status: string;
  /** VECTOR, KENDRA, SQL or MANAGED. */
  type?: string;
  description?: string;
  updatedAt?: Date;
}

export interface DataSourceInfo {
  knowledgeBaseId: string;
  id: string;
  name: string;
  status: string;
  updatedAt?: Date;
  /** The latest sync (ingestion job), when there has been one. */
  lastSync?: { status: string; startedAt?: Date; updatedAt?: Date };
}

export interface RetrieveOptions {
  numberOfResults?: number;
  searchType?: 'HYBRID' | 'SEMANTIC';
  /** Retrieve's RetrievalFilter, as the prompt wrote it. */
  filter?: Record<string, unknown>;
  /** A Bedrock reranker model and how many reranked passages to keep. */
  reranking?: { modelArn: string; numberOfResults?: number };
  signal?: AbortSignal;
}

/** Knowledge bases (bedrock-agent, bedrock-agent-runtime): SigV4 only, no API key reaches them. */
export interface KnowledgeBases {
  list(): Promise<KnowledgeBaseInfo[]>;
  dataSources(knowledgeBaseId: string): Promise<DataSourceInfo[]>;
  /** Starts a sync of one data source; resolves to the ingestion job's id. */
  sync(knowledgeBaseId: string, dataSourceId: string): Promise<string>;
  syncStatus(
    knowledgeBaseId: string,
    dataSourceId: string,
    jobId: string,
  ): Promise<{ status: string; failureReasons?: string[] }>;
  retrieve(knowledgeBaseId: string, query: string, opts?: RetrieveOptions): Promise<RetrieveCommandOutput>;
  /** Retrieve and generate in one call, the answer streamed with its citations (not for managed knowledge bases). */
  retrieveAndGenerateStream(
    input: RetrieveAndGenerateStreamCommandInput,
    signal?: AbortSignal,
  ): Promise<RetrieveAndGenerateStreamCommandOutput>;
  /** A document's text (GetDocumentContent, extracted, read from the link it returns). */
  documentText(
    knowledgeBaseId: string,
    document: { dataSourceId: string; documentId: string },
    signal?: AbortSignal,
  ): Promise<string>;
  /** Agentic retrieval, with the answer generated: what a managed knowledge base takes instead. */
  agenticRetrieveStream(
    input: AgenticRetrieveStreamCommandInput,
    signal?: AbortSignal,
  ): Promise<AgenticRetrieveStreamCommandOutput>;
}

/** An AgentCore harness as the lab shows it (its model and system prompt from GetHarness). */
export interface HarnessInfo {
  id: string;
  name: string;
  arn: string;
  /** CREATING, READY, UPDATING, CREATE_FAILED, UPDATE_FAILED, DELETING, DELETE_FAILED. */
  status: string;
  version?: string;
  updatedAt?: Date;
  modelId?: string;
  failureReason?: string;
}

/** An AgentCore runtime (the user's own agent code) and its endpoints. */
export interface AgentRuntimeInfo {
  id: string;
  name: string;
  arn: string;
  status: string;
  version?: string;
  description?: string;
  updatedAt?: Date;
  endpoints: { name: string; status: string; liveVersion?: string; arn: string }[];
}

/** A Bedrock Agent (classic) with its aliases: closed to new customers, still serving existing ones. */
export interface ClassicAgentInfo {
  id: string;
  name: string;
  status: string;
  description?: string;
  updatedAt?: Date;
  aliases: { id: string; name: string; status: string; version?: string }[];
}

/**
 * Agents: AgentCore (bedrock-agentcore-control, bedrock-agentcore) and Bedrock Agents classic
 * (bedrock-agent, bedrock-agent-runtime). SigV4 only: no API key reaches them.
 */
export interface Agents {
  listHarnesses(): Promise<HarnessInfo[]>;
  getHarness(harnessId: string): Promise<HarnessInfo>;
  createHarness(input: CreateHarnessCommandInput): Promise<HarnessInfo>;
  updateHarness(input: UpdateHarnessCommandInput): Promise<HarnessInfo>;
  invokeHarness(input: InvokeHarnessCommandInput, signal?: AbortSignal): Promise<InvokeHarnessCommandOutput>;
  listRuntimes(): Promise<AgentRuntimeInfo[]>;
  invokeRuntime(input: InvokeAgentRuntimeCommandInput, signal?: AbortSignal): Promise<InvokeAgentRuntimeCommandOutput>;
  listClassicAgents(): Promise<ClassicAgentInfo[]>;
  invokeClassicAgent(input: InvokeAgentCommandInput, signal?: AbortSignal): Promise<InvokeAgentCommandOutput>;
}

/** Bedrock's prompt tools (bedrock-agent-runtime): SigV4 only, no API key reaches them. */
export interface PromptTools {
  /** OptimizePrompt: the prompt's text rewritten for a model, with the analysis streamed first. */
  optimize(text: string, targetModelId: string, signal?: AbortSignal): Promise<OptimizePromptCommandOutput>;
}

/** A managed prompt (Prompt Management) or one of its versions, as the lab lists it. */
export interface ManagedPromptInfo {
  id: string;
  name: string;
  arn: string;
  /** `DRAFT`, or the version number. */
  version: string;
  description?: string;
  updatedAt?: Date;
}

/** Prompt Management (bedrock-agent): SigV4 only, no API key reaches it. Shapes are the SDK's, as data. */
export interface ManagedPrompts {
  list(): Promise<ManagedPromptInfo[]>;
  /** The versions of one prompt (and its draft). */
  versions(promptId: string): Promise<ManagedPromptInfo[]>;
  /** GetPrompt's answer (its variants with their templates), of a version or the draft. */
  get(promptId: string, version?: string): Promise<Record<string, unknown>>;
  create(input: {
    name: string;
    description?: string;
    defaultVariant: string;
    variants: Record<string, unknown>[];
  }): Promise<ManagedPromptInfo>;
  update(
    promptId: string,
    input: { name: string; description?: string; defaultVariant: string; variants: Record<string, unknown>[] },
  ): Promise<ManagedPromptInfo>;
  createVersion(promptId: string, description?: string): Promise<ManagedPromptInfo>;
}

export interface BedrockClients {
  runtime: Runtime;
  knowledgeBases: KnowledgeBases;
  prompts: PromptTools;
  optimizationJobs: OptimizationJobs;
  managedPrompts: ManagedPrompts;
  agents: Agents;
  control: ControlPlane;
  storage: Storage;
  customization: Customization;
  batch: BatchInference;
  evaluation: EvaluationJobs;
  dispose(): void;
}

export type ClientFactory = (settings: AwsSettings) => BedrockClients;

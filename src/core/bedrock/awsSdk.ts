// The only module that imports the AWS SDK. It is bundled on its own (dist/awsSdk.js) and required on
// first use, so activation never pays for loading the SDK. Everything else talks to the interfaces in
// ./clients.ts.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  CountTokensCommand,
  ApplyGuardrailCommand,
  InvokeGuardrailChecksCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { createReadStream, promises as fs } from 'node:fs';
import { GetObjectCommand, ListBucketsCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  CreateEvaluationJobCommand,
  GetEvaluationJobCommand,
  type EvaluationTaskType,
  paginateListModelInvocationJobs,
  StopModelInvocationJobCommand,
  type ModelInvocationJobSummary,
  CreateProvisionedModelThroughputCommand,
  GetModelCustomizationJobCommand,
  ListFoundationModelsCommand,
  paginateListModelCustomizationJobs,
  StopModelCustomizationJobCommand,
  UpdateCustomModelDeploymentCommand,
  paginateListCustomModels,
  paginateListImportedModels,
  GetImportedModelCommand,
  CreateModelImportJobCommand,
  GetModelImportJobCommand,
  paginateListProjects,
  paginateListGuardrails,
  paginateListCustomModelDeployments,
  CreateCustomModelDeploymentCommand,
  DeleteCustomModelDeploymentCommand,
  paginateListPromptRouters,
  paginateListInferenceProfiles,
  paginateListProvisionedModelThroughputs,
  CreateAdvancedPromptOptimizationJobCommand,
  GetAdvancedPromptOptimizationJobCommand,
  StopAdvancedPromptOptimizationJobCommand,
  paginateListAdvancedPromptOptimizationJobs,
} from '@aws-sdk/client-bedrock';
import {
  BedrockAgentClient,
  GetIngestionJobCommand,
  GetKnowledgeBaseCommand,
  ListIngestionJobsCommand,
  StartIngestionJobCommand,
  paginateListAgents,
  paginateListAgentAliases,
  paginateListDataSources,
  paginateListKnowledgeBases,
  CreatePromptCommand,
  CreatePromptVersionCommand,
  GetPromptCommand,
  UpdatePromptCommand,
  paginateListPrompts,
  type PromptVariant,
} from '@aws-sdk/client-bedrock-agent';
import {
  AgenticRetrieveStreamCommand,
  BedrockAgentRuntimeClient,
  GetDocumentContentCommand,
  InvokeAgentCommand,
  OptimizePromptCommand,
  RetrieveAndGenerateStreamCommand,
  RetrieveCommand,
} from '@aws-sdk/client-bedrock-agent-runtime';
import {
  BedrockAgentCoreClient,
  InvokeAgentRuntimeCommand,
  InvokeHarnessCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import {
  BedrockAgentCoreControlClient,
  CreateHarnessCommand,
  GetHarnessCommand,
  UpdateHarnessCommand,
  paginateListHarnesses,
  paginateListAgentRuntimes,
  paginateListAgentRuntimeEndpoints,
  type Harness,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { retrievalConfiguration } from './passages';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { API_KEY_NOT_FOR_S3, type AwsSettings } from './settings';
import { chatCompletionBody, converseOutputOf } from './chatCompletion';
import { BedrockError } from '../shared/bedrockError';
import { normalizeModelRef } from '../models/modelRef';
import type {
  Agents,
  BatchInference,
  BedrockClients,
  HarnessInfo,
  KnowledgeBases,
  PromptTools,
  OptimizationJob,
  OptimizationJobs,
  ManagedPromptInfo,
  ManagedPrompts,
  EvaluationJobs,
  ControlPlane,
  Customization,
  InvocationJob,
  JobSummary,
  Runtime,
  Storage,
} from './clients';

/** Every item of a paginated list call, page after page. */
async function everyPage<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/**
 * A call that gives up when the service has not answered in time: a server that accepts the connection
 * and never answers would otherwise keep a run (or a batch row) waiting with no end; the SDK times out
 * nothing before the response headers. The caller's signal (Stop) stays linked for the whole stream.
 */
async function untilAnswered<T>(
  call: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
  ms: number,
  what: string,
  where: () => Promise<string>,
  keepLinked = false,
): Promise<T> {
  const inner = new AbortController();
  const forward = () => inner.abort(signal?.reason);
  if (signal?.aborted) inner.abort(signal.reason);
  else signal?.addEventListener('abort', forward, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    inner.abort();
  }, ms);
  try {
    return await call(inner.signal);
  } catch (err) {
    if (!timedOut) throw err;
    const e = new Error(`Bedrock (${await where()}) did not ${what} within ${Math.round(ms / 1000)} s`);
    e.name = 'ResponseTimeout';
    throw e;
  } finally {
    clearTimeout(timer);
    // A whole answer: its listener comes off the caller's signal (prompt tests and evaluations share one
    // across thousands of calls). A stream keeps it: Stop must reach the stream until it ends.
    if (!keepLinked) signal?.removeEventListener('abort', forward);
  }
}

export function createClients(settings: AwsSettings, userAgent: string): BedrockClients {
  const common = {
    region: settings.region,
    // Empty endpoint: the SDK resolves AWS_ENDPOINT_URL_BEDROCK(_RUNTIME) / AWS_ENDPOINT_URL itself.
    endpoint: settings.endpoint,
    credentials: fromNodeProviderChain({ profile: settings.profile }),
    customUserAgent: userAgent,
    profile: settings.profile,
  };
  // A Bedrock API key goes to Bedrock and Bedrock Runtime only, as a bearer token (the preference is needed:
  // without it one SDK version silently signed with SigV4). S3 keeps the credential chain: it needs SigV4.
  const bearer = settings.apiKey ? { token: { token: settings.apiKey }, authSchemePreference: ['httpBearerAuth'] } : {};
  const runtimeClient = new BedrockRuntimeClient({ ...common, ...bearer });
  // One attempt per call, for callers that retry through their own adaptive limiter (made on first use).
  let singleAttemptClient: BedrockRuntimeClient | undefined;
  const singleAttempt = () =>
    (singleAttemptClient ??= new BedrockRuntimeClient({ ...common, ...bearer, maxAttempts: 1 }));
  const controlClient = new BedrockClient({ ...common, ...bearer });

  const endpoint = settings.endpoint ?? process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? process.env.AWS_ENDPOINT_URL;
  const where = async () =>
    endpoint ?? `bedrock-runtime.${(await runtimeClient.config.region()) || 'the region'}.amazonaws.com`;
  // The session's project (the workspace setting, `--project`) unless the prompt names one (`bedrock.project`).
  const inProject = <T extends { projectIdentifier?: string }>(input: T): T =>
    settings.project && input.projectIdentifier === undefined
      ? { ...input, projectIdentifier: settings.project }
      : input;
  // An imported model that Converse does not serve (GetImportedModel's instructSupported, asked once per
  // model) is called through InvokeModel's chat-completion body and answers in Converse's shape.
  const converseServes = new Map<string, Promise<boolean>>();
  const servedByConverse = (modelId: string | undefined): Promise<boolean> => {
    if (!modelId || normalizeModelRef(modelId).kind !== 'imported-model') return Promise.resolve(true);
    let known = converseServes.get(modelId);
    if (!known) {
      known = controlClient
        .send(new GetImportedModelCommand({ modelIdentifier: modelId }))
        .then((m) => m.instructSupported !== false)
        // Not readable (no permission, say): Converse is tried, and the service answers for itself.
        .catch(() => true);
      converseServes.set(modelId, known);
    }
    return known;
  };
  const viaChatCompletion = async (
    input: ConverseCommandInput,
    signal: AbortSignal | undefined,
  ): Promise<ConverseCommandOutput> => {
    const body = chatCompletionBody(input);
    const startedAt = performance.now();
    const out = await untilAnswered(
      (s) =>
        runtimeClient.send(
          new InvokeModelCommand({
            modelId: input.modelId,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify(body),
          }),
          { abortSignal: s },
        ),
      signal,
      settings.converseTimeoutMs ?? 300_000,
      'answer',
      where,
    );
    return converseOutputOf(JSON.parse(new TextDecoder().decode(out.body)), performance.now() - startedAt);
  };
  const runtime: Runtime = {
    converse: async (input, signal, options) =>
      (await servedByConverse(input.modelId))
        ? untilAnswered(
            (s) =>
              (options?.retries === false ? singleAttempt() : runtimeClient).send(
                new ConverseCommand(inProject(input)),
                { abortSignal: s },
              ),
            signal,
            settings.converseTimeoutMs ?? 300_000,
            'answer',
            where,
          )
        : viaChatCompletion(input, signal),
    converseStream: async (input, signal) => {
      if (!(await servedByConverse(input.modelId)))
        // The callers fall back to one whole answer on this code (invoke.ts streamAnswer).
        throw new BedrockError(
          'StreamingUnsupported',
          `${input.modelId} is an imported model that Converse does not serve: it answers through InvokeModel, whole.`,
        );
      return untilAnswered(
        (s) => runtimeClient.send(new ConverseStreamCommand(inProject(input)), { abortSignal: s }),
        signal,
        settings.firstByteTimeoutMs ?? 60_000,
        'start streaming',
        where,
        true,
      );
    },
    countTokens: (input, signal) => runtimeClient.send(new CountTokensCommand(input), { abortSignal: signal }),
    applyGuardrail: (input, signal) => runtimeClient.send(new ApplyGuardrailCommand(input), { abortSignal: signal }),
    invokeGuardrailChecks: (input, signal) =>
      runtimeClient.send(new InvokeGuardrailChecksCommand(input), { abortSignal: signal }),
    region: async () => runtimeClient.config.region(),
  };

  // The control plane's list calls read every page, 1,000 items at a time.
  const controlPages = { client: controlClient, pageSize: 1000 };
  const control: ControlPlane = {
    async listFoundationModels(signal) {
      const out = await controlClient.send(new ListFoundationModelsCommand({}), { abortSignal: signal });
      return out.modelSummaries ?? [];
    },
    listInferenceProfiles: () =>
      everyPage(paginateListInferenceProfiles(controlPages, {}), (p) => p.inferenceProfileSummaries),
    listProjects: () =>
      everyPage(paginateListProjects(controlPages, { statusFilter: 'active' }), (p) => p.projectSummaries),
    listCustomModelDeployments: () =>
      everyPage(paginateListCustomModelDeployments(controlPages, {}), (p) => p.modelDeploymentSummaries),
    listGuardrails: (guardrailIdentifier) =>
      everyPage(paginateListGuardrails(controlPages, { guardrailIdentifier }), (p) => p.guardrails),
    listPromptRouters: () => everyPage(paginateListPromptRouters(controlPages, {}), (p) => p.promptRouterSummaries),
    listCustomModels: () => everyPage(paginateListCustomModels(controlPages, {}), (p) => p.modelSummaries),
    listImportedModels: () => everyPage(paginateListImportedModels(controlPages, {}), (p) => p.modelSummaries),
    listProvisionedThroughputs: () =>
      everyPage(paginateListProvisionedModelThroughputs(controlPages, {}), (p) => p.provisionedModelSummaries),
    region: async () => controlClient.config.region(),
  };

  // A custom endpoint (the setting or AWS_ENDPOINT_URL[_S3]) is a local or private S3: path-style.
  const s3Client = new S3Client({
    ...common,
    forcePathStyle: Boolean(settings.endpoint || process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL),
  });
  // With a Bedrock API key and no AWS credentials, S3 cannot sign: that says so (errors.ts words it).
  const keyOnly = () => Boolean(settings.apiKey || process.env.AWS_BEARER_TOKEN_BEDROCK?.trim());
  // `refusedBy` completes "… not accept a Bedrock API key" in the message (errors.ts).
  const sigV4 = async <T>(call: () => Promise<T>, refusedBy = 'S3 does'): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      const e = err as Error;
      if (
        keyOnly() &&
        (e?.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e?.message ?? ''))
      ) {
        const only = Object.assign(
          new Error(`needs AWS credentials: ${refusedBy} not accept a Bedrock API key (${e.message})`),
          { refusedBy },
        );
        only.name = API_KEY_NOT_FOR_S3;
        throw only;
      }
      throw err;
    }
  };

  // Knowledge bases: their own two clients, signed with AWS credentials only.
  const agentClient = new BedrockAgentClient(common);
  const agentRuntimeClient = new BedrockAgentRuntimeClient(common);
  const kb = <T>(call: () => Promise<T>) => sigV4(call, 'Knowledge bases do');
  const knowledgeBases: KnowledgeBases = {
    list: () =>
      kb(async () => {
        const summaries = await everyPage(
          paginateListKnowledgeBases({ client: agentClient, pageSize: 100 }, {}),
          (p) => p.knowledgeBaseSummaries,
        );
        // The type is only in each knowledge base's own description.
        return Promise.all(
          summaries.map(async (k) => {
            const full = await agentClient
              .send(new GetKnowledgeBaseCommand({ knowledgeBaseId: k.knowledgeBaseId }))
              .catch(() => undefined);
            return {
              id: k.knowledgeBaseId ?? '',
              name: k.name ?? '',
              status: k.status ?? 'ACTIVE',
              type: full?.knowledgeBase?.knowledgeBaseConfiguration?.type,
              description: k.description,
              updatedAt: k.updatedAt,
            };
          }),
        );
      }),
    dataSources: (knowledgeBaseId) =>
      kb(async () => {
        const sources = await everyPage(
          paginateListDataSources({ client: agentClient, pageSize: 100 }, { knowledgeBaseId }),
          (p) => p.dataSourceSummaries,
        );
        return Promise.all(
          sources.map(async (d) => {
            const jobs = await agentClient
              .send(
                new ListIngestionJobsCommand({
                  knowledgeBaseId,
                  dataSourceId: d.dataSourceId,
                  sortBy: { attribute: 'STARTED_AT', order: 'DESCENDING' },
                  maxResults: 1,
                }),
              )
              .catch(() => undefined);
            const last = jobs?.ingestionJobSummaries?.[0];
            return {
              knowledgeBaseId,
              id: d.dataSourceId ?? '',
              name: d.name ?? '',
              status: d.status ?? 'AVAILABLE',
              updatedAt: d.updatedAt,
              ...(last
                ? { lastSync: { status: last.status ?? '', startedAt: last.startedAt, updatedAt: last.updatedAt } }
                : {}),
            };
          }),
        );
      }),
    sync: (knowledgeBaseId, dataSourceId) =>
      kb(async () => {
        const out = await agentClient.send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId }));
        return out.ingestionJob?.ingestionJobId ?? '';
      }),
    syncStatus: (knowledgeBaseId, dataSourceId, ingestionJobId) =>
      kb(async () => {
        const out = await agentClient.send(
          new GetIngestionJobCommand({ knowledgeBaseId, dataSourceId, ingestionJobId }),
        );
        return { status: out.ingestionJob?.status ?? 'IN_PROGRESS', failureReasons: out.ingestionJob?.failureReasons };
      }),
    retrieve: (knowledgeBaseId, text, opts = {}) =>
      kb(() =>
        agentRuntimeClient.send(
          new RetrieveCommand({
            knowledgeBaseId,
            retrievalQuery: { text },
            retrievalConfiguration: retrievalConfiguration(opts),
          }),
          { abortSignal: opts.signal },
        ),
      ),
    retrieveAndGenerateStream: (input, signal) =>
      kb(() => agentRuntimeClient.send(new RetrieveAndGenerateStreamCommand(input), { abortSignal: signal })),
    documentText: (knowledgeBaseId, { dataSourceId, documentId }, signal) =>
      kb(async () => {
        const out = await agentRuntimeClient.send(
          new GetDocumentContentCommand({ knowledgeBaseId, dataSourceId, documentId, outputFormat: 'EXTRACTED' }),
          { abortSignal: signal },
        );
        // The link is presigned: it carries its own authorization, and holds the document only.
        const res = await fetch(out.presignedUrl ?? '', { signal });
        if (!res.ok) throw new Error(`The document link answered ${res.status} ${res.statusText}.`);
        return res.text();
      }),
    agenticRetrieveStream: (input, signal) =>
      kb(() => agentRuntimeClient.send(new AgenticRetrieveStreamCommand(input), { abortSignal: signal })),
  };
  const prompts: PromptTools = {
    optimize: (text, targetModelId, signal) =>
      sigV4(
        () =>
          agentRuntimeClient.send(new OptimizePromptCommand({ input: { textPrompt: { text } }, targetModelId }), {
            abortSignal: signal,
          }),
        'Prompt optimization does',
      ),
  };
  // Prompt Management: the agent client, signed with AWS credentials only.
  const pm = <T>(call: () => Promise<T>) => sigV4(call, 'Prompt Management does');
  const promptInfo = (p: {
    id?: string;
    name?: string;
    arn?: string;
    version?: string;
    description?: string;
    updatedAt?: Date;
  }): ManagedPromptInfo => ({
    id: p.id ?? '',
    name: p.name ?? '',
    arn: p.arn ?? '',
    version: p.version ?? 'DRAFT',
    description: p.description,
    updatedAt: p.updatedAt,
  });
  const listPrompts = (promptIdentifier?: string) =>
    pm(async () =>
      (
        await everyPage(
          paginateListPrompts({ client: agentClient, pageSize: 100 }, { promptIdentifier }),
          (p) => p.promptSummaries,
        )
      ).map(promptInfo),
    );
  const managedPrompts: ManagedPrompts = {
    list: () => listPrompts(),
    versions: (promptId) => listPrompts(promptId),
    get: (promptId, version) =>
      pm(async () => {
        const out: Record<string, unknown> = {
          ...(await agentClient.send(new GetPromptCommand({ promptIdentifier: promptId, promptVersion: version }))),
        };
        delete out.$metadata;
        return out;
      }),
    create: (input) =>
      pm(async () =>
        promptInfo(
          await agentClient.send(
            new CreatePromptCommand({ ...input, variants: input.variants as unknown as PromptVariant[] }),
          ),
        ),
      ),
    update: (promptId, input) =>
      pm(async () =>
        promptInfo(
          await agentClient.send(
            new UpdatePromptCommand({
              ...input,
              promptIdentifier: promptId,
              variants: input.variants as unknown as PromptVariant[],
            }),
          ),
        ),
      ),
    createVersion: (promptId, description) =>
      pm(async () =>
        promptInfo(await agentClient.send(new CreatePromptVersionCommand({ promptIdentifier: promptId, description }))),
      ),
  };
  // AgentCore: its control plane and data plane, signed with AWS credentials only.
  const agentCoreControlClient = new BedrockAgentCoreControlClient(common);
  const agentCoreClient = new BedrockAgentCoreClient(common);
  const agentCore = <T>(call: () => Promise<T>) => sigV4(call, 'AgentCore does');
  const classic = <T>(call: () => Promise<T>) => sigV4(call, 'Bedrock Agents do');
  const harnessInfo = (h: Harness | undefined): HarnessInfo => ({
    id: h?.harnessId ?? '',
    name: h?.harnessName ?? '',
    arn: h?.arn ?? '',
    status: h?.status ?? 'READY',
    version: h?.harnessVersion,
    updatedAt: h?.updatedAt,
    modelId: h?.model?.bedrockModelConfig?.modelId,
    failureReason: h?.failureReason,
  });
  const agents: Agents = {
    listHarnesses: () =>
      agentCore(async () => {
        const summaries = await everyPage(
          paginateListHarnesses({ client: agentCoreControlClient, pageSize: 100 }, {}),
          (p) => p.harnesses,
        );
        return summaries.map((h) => ({
          id: h.harnessId ?? '',
          name: h.harnessName ?? '',
          arn: h.arn ?? '',
          status: h.status ?? 'READY',
          version: h.harnessVersion,
          updatedAt: h.updatedAt,
        }));
      }),
    getHarness: (harnessId) =>
      agentCore(async () =>
        harnessInfo((await agentCoreControlClient.send(new GetHarnessCommand({ harnessId }))).harness),
      ),
    createHarness: (input) =>
      agentCore(async () => harnessInfo((await agentCoreControlClient.send(new CreateHarnessCommand(input))).harness)),
    updateHarness: (input) =>
      agentCore(async () => harnessInfo((await agentCoreControlClient.send(new UpdateHarnessCommand(input))).harness)),
    invokeHarness: (input, signal) =>
      agentCore(() => agentCoreClient.send(new InvokeHarnessCommand(input), { abortSignal: signal })),
    listRuntimes: () =>
      agentCore(async () => {
        const runtimes = await everyPage(
          paginateListAgentRuntimes({ client: agentCoreControlClient, pageSize: 100 }, {}),
          (p) => p.agentRuntimes,
        );
        return Promise.all(
          runtimes.map(async (r) => ({
            id: r.agentRuntimeId ?? '',
            name: r.agentRuntimeName ?? '',
            arn: r.agentRuntimeArn ?? '',
            status: r.status ?? 'READY',
            version: r.agentRuntimeVersion,
            description: r.description,
            updatedAt: r.lastUpdatedAt,
            endpoints: (
              await everyPage(
                paginateListAgentRuntimeEndpoints(
                  { client: agentCoreControlClient, pageSize: 100 },
                  { agentRuntimeId: r.agentRuntimeId },
                ),
                (p) => p.runtimeEndpoints,
              ).catch(() => [])
            ).map((e) => ({
              name: e.name ?? '',
              status: e.status ?? 'READY',
              liveVersion: e.liveVersion,
              arn: e.agentRuntimeEndpointArn ?? '',
            })),
          })),
        );
      }),
    invokeRuntime: (input, signal) =>
      agentCore(() => agentCoreClient.send(new InvokeAgentRuntimeCommand(input), { abortSignal: signal })),
    listClassicAgents: () =>
      classic(async () => {
        const summaries = await everyPage(
          paginateListAgents({ client: agentClient, pageSize: 100 }, {}),
          (p) => p.agentSummaries,
        );
        return Promise.all(
          summaries.map(async (a) => ({
            id: a.agentId ?? '',
            name: a.agentName ?? '',
            status: a.agentStatus ?? 'PREPARED',
            description: a.description,
            updatedAt: a.updatedAt,
            aliases: (
              await everyPage(
                paginateListAgentAliases({ client: agentClient, pageSize: 100 }, { agentId: a.agentId }),
                (p) => p.agentAliasSummaries,
              ).catch(() => [])
            ).map((alias) => ({
              id: alias.agentAliasId ?? '',
              name: alias.agentAliasName ?? '',
              status: alias.agentAliasStatus ?? 'PREPARED',
              version: alias.routingConfiguration?.[0]?.agentVersion,
            })),
          })),
        );
      }),
    invokeClassicAgent: (input, signal) =>
      classic(() => agentRuntimeClient.send(new InvokeAgentCommand(input), { abortSignal: signal })),
  };
  const storage: Storage = {
    uploadFile: (bucket, key, filePath, onProgress, signal) =>
      sigV4(() => uploadOne(bucket, key, filePath, onProgress, signal)),
    listBuckets: () => sigV4(listAllBuckets),
    listKeys: (bucket, prefix) => sigV4(() => listAllKeys(bucket, prefix)),
    readText: (bucket, key, signal) => sigV4(() => readOne(bucket, key, signal)),
  };
  async function uploadOne(
    bucket: string,
    key: string,
    filePath: string,
    onProgress?: (p: { loaded: number; total: number }) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    const { size } = await fs.stat(filePath);
    const upload = new Upload({
      client: s3Client,
      params: {
        Bucket: bucket,
        Key: key,
        Body: createReadStream(filePath),
        ContentLength: size,
        ContentType: 'application/jsonl',
      },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
    });
    upload.on('httpUploadProgress', (p) => onProgress?.({ loaded: p.loaded ?? 0, total: p.total ?? size }));
    const stop = () => void upload.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await upload.done();
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    return `s3://${bucket}/${key}`;
  }
  async function listAllBuckets(): Promise<string[]> {
    return ((await s3Client.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean);
  }
  async function listAllKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3Client }, { Bucket: bucket, Prefix: prefix }))
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? '').filter(Boolean));
    return keys;
  }
  async function readOne(bucket: string, key: string, signal?: AbortSignal): Promise<string> {
    const out = await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return (await out.Body?.transformToString('utf8')) ?? '';
  }

  const toSummary = (j: {
    jobArn?: string;
    jobName?: string;
    status?: string;
    baseModelArn?: string;
    customModelArn?: string;
    outputModelArn?: string;
    customModelName?: string;
    outputModelName?: string;
    customizationType?: string;
    creationTime?: Date;
    endTime?: Date;
  }): JobSummary => ({
    jobArn: j.jobArn ?? '',
    jobName: j.jobName ?? '',
    status: j.status ?? 'Unknown',
    baseModelId: (j.baseModelArn ?? '').split('/').pop() ?? '',
    customModelArn: j.customModelArn ?? j.outputModelArn,
    customModelName: j.customModelName ?? j.outputModelName,
    customizationType: j.customizationType,
    creationTime: j.creationTime,
    endTime: j.endTime,
  });
  const customization: Customization = {
    async createJob(input) {
      const out = await controlClient.send(
        new CreateModelCustomizationJobCommand({
          jobName: input.jobName,
          customModelName: input.customModelName,
          roleArn: input.roleArn,
          baseModelIdentifier: input.baseModelIdentifier,
          customizationType: input.customizationType,
          trainingDataConfig: input.invocationLogs
            ? {
                invocationLogsConfig: {
                  usePromptResponse: input.invocationLogs.usePromptResponse,
                  invocationLogSource: { s3Uri: input.invocationLogs.s3Uri },
                },
              }
            : { s3Uri: input.trainingS3Uri },
          validationDataConfig: input.validationS3Uri ? { validators: [{ s3Uri: input.validationS3Uri }] } : undefined,
          outputDataConfig: { s3Uri: input.outputS3Uri },
          hyperParameters: input.hyperParameters,
          customizationConfig: input.distillation
            ? { distillationConfig: { teacherModelConfig: input.distillation } }
            : input.reinforcement
              ? {
                  rftConfig: {
                    graderConfig: { lambdaGrader: { lambdaArn: input.reinforcement.lambdaArn } },
                    hyperParameters: input.reinforcement.hyperParameters,
                  },
                }
              : undefined,
        }),
      );
      return out.jobArn ?? '';
    },
    async listJobs() {
      const all: JobSummary[] = [];
      for await (const page of paginateListModelCustomizationJobs(
        { client: controlClient, pageSize: 100 },
        { sortBy: 'CreationTime', sortOrder: 'Descending' },
      )) {
        all.push(...(page.modelCustomizationJobSummaries ?? []).map(toSummary));
      }
      return all;
    },
    async getJob(jobArn) {
      const j = await controlClient.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      return {
        ...toSummary(j),
        failureMessage: j.failureMessage,
        stages: (
          [
            ['validation', j.statusDetails?.validationDetails],
            ['data processing', j.statusDetails?.dataProcessingDetails],
            ['training', j.statusDetails?.trainingDetails],
          ] as const
        ).flatMap(([name, d]) => (d?.status ? [{ name, status: d.status, since: d.lastModifiedTime }] : [])),
        teacherModelId:
          j.customizationConfig && 'distillationConfig' in j.customizationConfig
            ? j.customizationConfig.distillationConfig?.teacherModelConfig?.teacherModelIdentifier
            : undefined,
        lambdaArn:
          j.customizationConfig && 'rftConfig' in j.customizationConfig
            ? j.customizationConfig.rftConfig?.graderConfig?.lambdaGrader?.lambdaArn
            : undefined,
        trainingData:
          j.trainingDataConfig?.s3Uri ??
          (j.trainingDataConfig?.invocationLogsConfig?.invocationLogSource?.s3Uri &&
            `invocation logs under ${j.trainingDataConfig.invocationLogsConfig.invocationLogSource.s3Uri}`),
        outputS3Uri: j.outputDataConfig?.s3Uri,
        trainingLoss: j.trainingMetrics?.trainingLoss,
        validationLoss: j.validationMetrics?.[0]?.validationLoss,
        hyperParameters: j.hyperParameters,
      };
    },
    async stopJob(jobArn) {
      await controlClient.send(new StopModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    },
    async createProvisionedThroughput(name, modelArn, modelUnits, commitment) {
      const out = await controlClient.send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: name,
          modelId: modelArn,
          modelUnits,
          commitmentDuration: commitment,
        }),
      );
      return out.provisionedModelArn ?? '';
    },
    async createDeployment(name, modelArn) {
      const out = await controlClient.send(
        new CreateCustomModelDeploymentCommand({ modelDeploymentName: name, modelArn }),
      );
      return out.customModelDeploymentArn ?? '';
    },
    async deleteDeployment(deploymentArn) {
      await controlClient.send(
        new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: deploymentArn }),
      );
    },
    async importModel(input) {
      const out = await controlClient.send(
        new CreateModelImportJobCommand({
          jobName: input.jobName,
          importedModelName: input.importedModelName,
          roleArn: input.roleArn,
          modelDataSource: { s3DataSource: { s3Uri: input.s3Uri } },
        }),
      );
      return out.jobArn ?? '';
    },
    async getImportJob(jobArn) {
      const j = await controlClient.send(new GetModelImportJobCommand({ jobIdentifier: jobArn }));
      return {
        status: j.status ?? 'InProgress',
        importedModelArn: j.importedModelArn,
        failureMessage: j.failureMessage,
      };
    },
    async updateDeployment(deploymentArn, modelArn) {
      await controlClient.send(
        new UpdateCustomModelDeploymentCommand({ customModelDeploymentIdentifier: deploymentArn, modelArn }),
      );
    },
  };

  const toInvocationJob = (j: Partial<ModelInvocationJobSummary>): InvocationJob => ({
    jobArn: j.jobArn ?? '',
    jobName: j.jobName ?? '',
    modelId: j.modelId ?? '',
    status: j.status ?? 'Unknown',
    message: j.message,
    submitTime: j.submitTime,
    endTime: j.endTime,
    inputS3Uri: j.inputDataConfig?.s3InputDataConfig?.s3Uri,
    outputS3Uri: j.outputDataConfig?.s3OutputDataConfig?.s3Uri,
    totalRecordCount: j.totalRecordCount,
    processedRecordCount: j.processedRecordCount,
    successRecordCount: j.successRecordCount,
    errorRecordCount: j.errorRecordCount,
  });
  const batch: BatchInference = {
    async createJob(input) {
      const out = await controlClient.send(
        new CreateModelInvocationJobCommand({
          jobName: input.jobName,
          roleArn: input.roleArn,
          modelId: input.modelId,
          modelInvocationType: 'Converse',
          inputDataConfig: { s3InputDataConfig: { s3Uri: input.inputS3Uri, s3InputFormat: 'JSONL' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: input.outputS3Uri } },
          timeoutDurationInHours: input.timeoutDurationInHours,
        }),
      );
      return out.jobArn ?? '';
    },
    async listJobs() {
      const all: InvocationJob[] = [];
      for await (const page of paginateListModelInvocationJobs(
        { client: controlClient, pageSize: 100 },
        { sortBy: 'CreationTime', sortOrder: 'Descending' },
      )) {
        all.push(...(page.invocationJobSummaries ?? []).map(toInvocationJob));
      }
      return all;
    },
    async getJob(jobArn) {
      return toInvocationJob(await controlClient.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn })));
    },
    async stopJob(jobArn) {
      await controlClient.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    },
  };

  const optimizationJobs: OptimizationJobs = {
    async createJob(input) {
      const out = await controlClient.send(
        new CreateAdvancedPromptOptimizationJobCommand({
          jobName: input.jobName,
          jobDescription: input.description,
          inputConfig: { s3Uri: input.inputS3Uri },
          outputConfig: { s3Uri: input.outputS3Uri },
          modelConfigurations: input.modelIds.map((modelId) => ({ modelId })),
        }),
      );
      return out.jobArn ?? '';
    },
    async getJob(jobArn) {
      const j = await controlClient.send(new GetAdvancedPromptOptimizationJobCommand({ jobIdentifier: jobArn }));
      return {
        jobArn: j.jobArn ?? jobArn,
        jobName: j.jobName ?? '',
        status: j.jobStatus ?? 'InProgress',
        createdAt: j.creationTime,
        updatedAt: j.lastModifiedTime,
        inputS3Uri: j.inputConfig?.s3Uri,
        outputS3Uri: j.outputConfig?.s3Uri,
        modelIds: (j.modelConfigurations ?? []).map((m) => m.modelId ?? ''),
        failureMessage: j.failureMessage,
      };
    },
    async listJobs() {
      const all: OptimizationJob[] = [];
      for await (const page of paginateListAdvancedPromptOptimizationJobs(
        { client: controlClient, pageSize: 100 },
        { sortBy: 'CreationTime', sortOrder: 'Descending' },
      ))
        all.push(
          ...(page.jobSummaries ?? []).map((j) => ({
            jobArn: j.jobArn ?? '',
            jobName: j.jobName ?? '',
            status: j.jobStatus ?? 'InProgress',
            createdAt: j.creationTime,
            updatedAt: j.lastModifiedTime,
            modelIds: [],
          })),
        );
      return all;
    },
    async stopJob(jobArn) {
      await controlClient.send(new StopAdvancedPromptOptimizationJobCommand({ jobIdentifier: jobArn }));
    },
  };

  const evaluation: EvaluationJobs = {
    async createJudgeJob(input) {
      const out = await controlClient.send(
        new CreateEvaluationJobCommand({
          jobName: input.jobName,
          roleArn: input.roleArn,
          applicationType: 'ModelEvaluation',
          evaluationConfig: {
            automated: {
              datasetMetricConfigs: [
                {
                  // "General" is what model-as-a-judge jobs use in AWS's examples; the SDK's enum predates it.
                  taskType: 'General' as EvaluationTaskType,
                  dataset: { name: input.datasetName, datasetLocation: { s3Uri: input.datasetS3Uri } },
                  metricNames: input.metrics.map((m) => m.name),
                },
              ],
              evaluatorModelConfig: { bedrockEvaluatorModels: [{ modelIdentifier: input.evaluatorModel }] },
              customMetricConfig: {
                customMetrics: input.metrics.map((m) => ({
                  customMetricDefinition: {
                    name: m.name,
                    instructions: m.instructions,
                    ratingScale: m.ratingScale.map((r) => ({
                      definition: r.definition,
                      value: { floatValue: r.value },
                    })),
                  },
                })),
                evaluatorModelConfig: { bedrockEvaluatorModels: [{ modelIdentifier: input.evaluatorModel }] },
              },
            },
          },
          inferenceConfig: {
            models: [{ precomputedInferenceSource: { inferenceSourceIdentifier: input.sourceIdentifier } }],
          },
          outputDataConfig: { s3Uri: input.outputS3Uri },
        }),
      );
      return out.jobArn ?? '';
    },
    async getJob(jobArn) {
      const j = await controlClient.send(new GetEvaluationJobCommand({ jobIdentifier: jobArn }));
      return {
        jobArn: j.jobArn ?? jobArn,
        jobName: j.jobName ?? '',
        status: j.status ?? 'InProgress',
        failureMessages: j.failureMessages ?? [],
        outputS3Uri: j.outputDataConfig?.s3Uri,
      };
    },
  };

  return {
    runtime,
    knowledgeBases,
    prompts,
    optimizationJobs,
    managedPrompts,
    agents,
    control,
    storage,
    customization,
    batch,
    evaluation,
    dispose() {
      runtimeClient.destroy();
      singleAttemptClient?.destroy();
      controlClient.destroy();
      s3Client.destroy();
      agentClient.destroy();
      agentRuntimeClient.destroy();
      agentCoreControlClient.destroy();
      agentCoreClient.destroy();
    },
  };
}

/** ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) as the credential chain reads them. */
export async function readSharedIni(): Promise<{
  configFile: Record<string, Record<string, string | undefined>>;
  credentialsFile: Record<string, Record<string, string | undefined>>;
}> {
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  return { configFile: files.configFile, credentialsFile: files.credentialsFile };
}

export function classifyError(err: unknown): 'throttling' | 'server' | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const sdkError = err as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(sdkError)) return 'throttling';
  // A 5xx: the SDK calls 500/502/503/504 transient and the other 5xx server errors; both mean "retry later".
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (isServerError(sdkError) || (status >= 500 && isTransientError(sdkError))) return 'server';
  return undefined;
}

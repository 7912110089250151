// The local Bedrock-compatible server: one port, HTTP/2 cleartext (the runtime client's default
// NodeHttp2Handler) and HTTP/1.1 (control plane, S3), told apart by the HTTP/2 connection preface.
import { Deployments } from './deployments';
import { handleGuardrailChecks, handleGuardrails } from './guardrails';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { URL } from 'node:url';
import { FaultQueue, type FaultRule } from './faults';
import {
  ServiceError,
  newRequestId,
  regionOf,
  sendError,
  sendJson,
  type AnyRequest,
  type AnyResponse,
  type RequestContext,
  parseJsonBody,
} from './http';
import { converse, converseStream, countTokens, invokeImportedModel } from './runtime';
import { handleControlPlane } from './controlPlane';
import { AccountState } from './state';
import { S3Store } from './s3';
import { BatchInferenceService } from './batchInference';
import { EvaluationJobService } from './evaluationJobs';
import { KnowledgeBaseService } from './knowledgeBases';
import { HarnessService } from './harnesses';
import { AgentRuntimeService } from './agentRuntimes';
import { PromptOptimizerService } from './promptOptimizer';
import { OptimizationJobService } from './optimizationJobs';
import { PromptManagementService } from './promptManagement';
import { ClassicAgentService } from './classicAgents';
import { CustomizationService } from './customization';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Delay between streamed events; 0 streams as fast as the socket takes it. */
  tokenDelayMs?: number;
  firstTokenDelayMs?: number;
  tokensPerEvent?: number;
  /** Seed the account with a custom model and a provisioned throughput (default true). */
  seed?: boolean;
  /** Print one line per request to stderr. */
  verbose?: boolean;
  /** How long a customization job runs before it completes (default 3 s). */
  jobDurationMs?: number;
  /** How long a custom model deployment takes to become Active (ms, default 1000). */
  deployMs?: number;
  /** The minimum number of records per batch inference job (the service's default quota is 100). */
  batchMinRecords?: number;
  /** The folder of Markdown and text files the support knowledge base holds (default: examples/knowledge-base). */
  knowledgeBaseFolder?: string;
}

export interface RecordedRequest {
  operation: string;
  modelId?: string;
  region: string;
  httpVersion: string;
  method: string;
  path: string;
  body?: unknown;
  at: string;
  /** How the request authenticated: SigV4, a Bedrock API key (bearer), or nothing. */
  auth: 'sigv4' | 'bearer' | 'none';
}

/**
 * The Bedrock API key the local server accepts (`AWS_BEARER_TOKEN_BEDROCK`, or signed in with in the
 * editor). Long-term Bedrock API keys start with `ABSK`; any other bearer token is refused.
 */
export const EMULATOR_API_KEY = 'ABSKbG9jYWwtZW11bGF0b3ItYXBpLWtleQ==';

const MAX_LOG = 2000;

export class BedrockEmulator {
  readonly faults = new FaultQueue();
  readonly state: AccountState;
  readonly requests: RecordedRequest[] = [];
  readonly s3 = new S3Store();
  readonly customization: CustomizationService;
  readonly deployments: Deployments;
  readonly batchInference: BatchInferenceService;
  readonly evaluationJobs: EvaluationJobService;
  readonly optimizationJobs: OptimizationJobService;
  readonly promptManagement: PromptManagementService;
  readonly knowledgeBases: KnowledgeBaseService;
  readonly harnesses = new HarnessService();
  readonly agentRuntimes = new AgentRuntimeService();
  readonly promptOptimizer = new PromptOptimizerService();
  readonly classicAgents = new ClassicAgentService();
  private readonly sockets = new Set<net.Socket>();
  private server?: net.Server;
  private readonly h1 = http.createServer((req, res) => void this.handle(req, res));
  private readonly h2 = http2.createServer({}, (req, res) => void this.handle(req, res));
  private _port = 0;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.state = new AccountState(options.seed ?? true);
    this.customization = new CustomizationService(this.state, this.s3, options.jobDurationMs ?? 3000);
    this.deployments = new Deployments(this.state, options.deployMs ?? 1000);
    this.state.deploymentBase = (arn) => this.deployments.baseModelOf(arn);
    this.batchInference = new BatchInferenceService(
      this.state,
      this.s3,
      options.jobDurationMs ?? 3000,
      options.batchMinRecords ?? 100,
    );
    this.evaluationJobs = new EvaluationJobService(this.s3, options.jobDurationMs ?? 3000);
    this.optimizationJobs = new OptimizationJobService(this.state, this.s3, options.jobDurationMs ?? 3000);
    this.promptManagement = new PromptManagementService(this.state);
    this.knowledgeBases = new KnowledgeBaseService(this.s3, options.jobDurationMs ?? 3000, options.knowledgeBaseFolder);
    // A response in flight must not keep the server from closing.
    this.h1.keepAliveTimeout = 1000;
  }

  get port(): number {
    return this._port;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this._port}`;
  }

  /** The environment that points the AWS SDK (and the extension) at this server. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCALEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'local-emulator-secret',
      AWS_REGION: 'us-east-1',
    };
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Drops the faults not yet used up. */
  clearFaults(): void {
    this.faults.clear();
  }

  async start(): Promise<this> {
    this.server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this._port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const isH2Prefix = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2Prefix && seen.length < H2_PREFACE.length) return; // wait for the whole preface
      socket.off('data', onData);
      socket.pause();
      if (isH2Prefix) {
        // The HTTP/2 session reads a net.Socket's native handle directly and would miss the bytes
        // already read, so it gets a JS stream that replays them first.
        this.h2.emit('connection', replaying(socket, seen));
      } else {
        socket.unshift(seen);
        this.h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  }

  private async handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const rawPath = qIndex >= 0 ? rawUrl.slice(0, qIndex) : rawUrl;
    const segments = rawPath
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
    const body = await readBody(req);
    let ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      segments,
      query: new URL(rawUrl, 'http://local').searchParams,
      body,
      region: regionOf(req),
      requestId: newRequestId(),
      httpVersion: req.httpVersion,
    };
    try {
      if (segments[0] === '__emulator') {
        this.control(ctx);
        return;
      }
      if (segments[0] === '__kb-documents' && ctx.method === 'GET') {
        this.knowledgeBases.documentBody(ctx);
        return;
      }
      if (isS3(ctx)) {
        this.record(ctx, `S3 ${ctx.method}`, undefined);
        this.s3.handle(ctx);
        return;
      }
      const { operation, modelId } = operationOf(ctx);
      this.record(ctx, operation, modelId);
      // Bedrock and Bedrock Runtime take an API key as a bearer token; a wrong or expired one is refused
      // as the service does (403, its words: seen in users' reports [medium]).
      const bearer = /^Bearer (.+)$/.exec(String(req.headers['authorization'] ?? ''))?.[1];
      if (bearer !== undefined && bearer !== EMULATOR_API_KEY)
        throw new ServiceError(
          403,
          'AccessDeniedException',
          'Authentication failed: Please make sure your API Key is valid.',
        );
      if (this.options.verbose)
        process.stderr.write(`[emulator] ${ctx.method} ${rawPath} -> ${operation} (HTTP/${ctx.httpVersion})\n`);
      const faults = this.faults.take(operation, modelId);
      for (const f of faults) if (f.kind === 'delay') await new Promise((r) => setTimeout(r, f.ms));
      // A managed prompt's ARN as the model: its template, filled with promptVariables, is what is answered.
      const onPrompt =
        operation === 'Converse' || operation === 'ConverseStream'
          ? this.promptManagement.converseOn(modelId!, parseJsonBody(ctx))
          : undefined;
      if (onPrompt) ctx = { ...ctx, body: Buffer.from(JSON.stringify(onPrompt.body)) };
      const answeringModel = onPrompt?.modelId ?? modelId!;
      switch (operation) {
        case 'Converse':
          await converse(ctx, (body) => this.state.invocation(answeringModel, body), faults);
          return;
        case 'ConverseStream': {
          await converseStream(ctx, (body) => this.state.invocation(answeringModel, body), faults, {
            tokenDelayMs: this.options.tokenDelayMs ?? 0,
            firstTokenDelayMs: this.options.firstTokenDelayMs ?? 0,
            tokensPerEvent: this.options.tokensPerEvent ?? 1,
            cut: () => cutConnection(req),
          });
          return;
        }
        case 'CountTokens':
          this.state.resolve(modelId!);
          countTokens(ctx, faults);
          return;
        case 'InvokeModel':
          invokeImportedModel(ctx, this.state, decodeURIComponent(modelId!), faults);
          return;
        default:
          if (handleControlPlane(ctx, this.state, faults)) return;
          if (handleGuardrails(ctx)) return;
          if (handleGuardrailChecks(ctx)) return;
          if (this.customization.handle(ctx)) return;
          if (this.deployments.handle(ctx)) return;
          if (this.batchInference.handle(ctx)) return;
          if (this.evaluationJobs.handle(ctx)) return;
          if (this.knowledgeBases.handle(ctx)) return;
          if (this.harnesses.handle(ctx)) return;
          if (this.agentRuntimes.handle(ctx)) return;
          if (this.classicAgents.handle(ctx)) return;
          if (this.promptOptimizer.handle(ctx)) return;
          if (this.optimizationJobs.handle(ctx)) return;
          if (this.promptManagement.handle(ctx)) return;
          throw new ServiceError(
            404,
            'UnknownOperationException',
            `The emulator does not implement ${ctx.method} ${rawPath}.`,
          );
      }
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(ctx, err instanceof ServiceError ? err : new ServiceError(500, 'InternalServerException', String(err)));
    }
  }

  private record(ctx: RequestContext, operation: string, modelId: string | undefined): void {
    let parsed: unknown;
    if (ctx.body.length > 0 && ctx.body.length < 1_000_000) {
      try {
        parsed = JSON.parse(ctx.body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
    }
    this.requests.push({
      operation,
      modelId,
      region: ctx.region,
      httpVersion: ctx.httpVersion,
      method: ctx.method,
      path: (ctx.req.url ?? '').split('?')[0],
      body: parsed,
      at: new Date().toISOString(),
      auth: authOf(String(ctx.req.headers['authorization'] ?? '')),
    });
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);
  }

  /** Test control over HTTP, for tests that run in another process (the VS Code extension host). */
  private control(ctx: RequestContext): void {
    const what = ctx.segments[1];
    if (what === 'health') return sendJson(ctx, 200, { ok: true });
    if (what === 'faults' && ctx.method === 'POST') {
      const rules = JSON.parse(ctx.body.toString('utf8') || '[]') as FaultRule | FaultRule[];
      for (const rule of Array.isArray(rules) ? rules : [rules]) this.faults.add(rule);
      return sendJson(ctx, 200, { ok: true });
    }
    if (what === 'faults' && ctx.method === 'DELETE') {
      this.faults.clear();
      return sendJson(ctx, 200, { ok: true });
    }
    if (what === 'requests' && ctx.method === 'GET') return sendJson(ctx, 200, { requests: this.requests });
    if (what === 'requests' && ctx.method === 'DELETE') {
      this.requests.length = 0;
      return sendJson(ctx, 200, { ok: true });
    }
    throw ServiceError.notFound(`Unknown emulator control path ${ctx.segments.join('/')}`);
  }
}

function operationOf(ctx: RequestContext): { operation: string; modelId?: string } {
  const [a, b, c] = ctx.segments;
  if (a === 'model' && b !== undefined) {
    const op = {
      converse: 'Converse',
      'converse-stream': 'ConverseStream',
      'count-tokens': 'CountTokens',
      invoke: 'InvokeModel',
    }[c ?? ''];
    return { operation: op ?? 'Unknown', modelId: b };
  }
  if (ctx.method === 'GET') {
    if (a === 'foundation-models')
      return { operation: b === undefined ? 'ListFoundationModels' : 'GetFoundationModel', modelId: b };
    if (a === 'inference-profiles')
      return { operation: b === undefined ? 'ListInferenceProfiles' : 'GetInferenceProfile' };
    if (a === 'custom-models') return { operation: b === undefined ? 'ListCustomModels' : 'GetCustomModel' };
    if (a === 'imported-models') return { operation: b === undefined ? 'ListImportedModels' : 'GetImportedModel' };
    if (a === 'model-import-jobs') return { operation: b === undefined ? 'ListModelImportJobs' : 'GetModelImportJob' };
    if (a === 'provisioned-model-throughputs') return { operation: 'ListProvisionedModelThroughputs' };
    if (a === 'model-customization' && b === 'custom-model-deployments')
      return { operation: c === undefined ? 'ListCustomModelDeployments' : 'GetCustomModelDeployment' };
    if (a === 'prompt-routers') return { operation: b === undefined ? 'ListPromptRouters' : 'GetPromptRouter' };
    if (a === 'projects') return { operation: b === undefined ? 'ListProjects' : 'GetProject' };
    if (a === 'model-customization-jobs')
      return { operation: b === undefined ? 'ListModelCustomizationJobs' : 'GetModelCustomizationJob' };
    if (a === 'provisioned-model-throughput') return { operation: 'GetProvisionedModelThroughput' };
    if (a === 'model-invocation-jobs') return { operation: 'ListModelInvocationJobs' };
    if (a === 'model-invocation-job') return { operation: 'GetModelInvocationJob' };
    if (a === 'evaluation-jobs') return { operation: b === undefined ? 'ListEvaluationJobs' : 'GetEvaluationJob' };
  }
  if (ctx.method === 'GET' && a === 'guardrails') return { operation: 'ListGuardrails' };
  if (a === 'model-customization' && b === 'custom-model-deployments' && ctx.method !== 'GET')
    return {
      operation:
        ctx.method === 'POST'
          ? 'CreateCustomModelDeployment'
          : ctx.method === 'PATCH'
            ? 'UpdateCustomModelDeployment'
            : 'DeleteCustomModelDeployment',
    };
  if (ctx.method === 'POST' && a === 'guardrail-checks') return { operation: 'InvokeGuardrailChecks' };
  if (ctx.method === 'POST' && a === 'guardrail' && ctx.segments[4] === 'apply') return { operation: 'ApplyGuardrail' };
  if (ctx.method === 'POST' && a === 'evaluation-jobs' && b === undefined) return { operation: 'CreateEvaluationJob' };
  if (ctx.method === 'POST' && a === 'evaluation-job') return { operation: 'StopEvaluationJob' };
  if (ctx.method === 'POST' && a === 'model-invocation-job')
    return { operation: b === undefined ? 'CreateModelInvocationJob' : 'StopModelInvocationJob' };
  if (ctx.method === 'POST' && a === 'model-customization-jobs')
    return { operation: b === undefined ? 'CreateModelCustomizationJob' : 'StopModelCustomizationJob' };
  if (ctx.method === 'POST' && a === 'model-import-jobs') return { operation: 'CreateModelImportJob' };
  if (a === 'retrieveAndGenerateStream') return { operation: 'RetrieveAndGenerateStream' };
  if (a === 'agenticRetrieveStream') return { operation: 'AgenticRetrieveStream' };
  if (a === 'optimize-prompt') return { operation: 'OptimizePrompt' };
  if (a === 'prompts') {
    if (c === 'versions') return { operation: 'CreatePromptVersion' };
    if (!b) return { operation: ctx.method === 'POST' ? 'CreatePrompt' : 'ListPrompts' };
    return { operation: ctx.method === 'PUT' ? 'UpdatePrompt' : 'GetPrompt' };
  }
  if (a === 'advanced-prompt-optimization-jobs') {
    if (ctx.method === 'POST')
      return {
        operation: b === undefined ? 'CreateAdvancedPromptOptimizationJob' : 'StopAdvancedPromptOptimizationJob',
      };
    return { operation: b === undefined ? 'ListAdvancedPromptOptimizationJobs' : 'GetAdvancedPromptOptimizationJob' };
  }
  if (a === 'agents' && ctx.method === 'POST') {
    if (b === undefined) return { operation: 'ListAgents' };
    if (c === 'agentaliases') return { operation: 'ListAgentAliases' };
    if (c === 'agentAliases') return { operation: 'InvokeAgent' };
  }
  if (a === 'runtimes') {
    if (c === 'invocations') return { operation: 'InvokeAgentRuntime' };
    return { operation: c === 'runtime-endpoints' ? 'ListAgentRuntimeEndpoints' : 'ListAgentRuntimes' };
  }
  if (a === 'harnesses') {
    if (b === 'invoke') return { operation: 'InvokeHarness' };
    if (b === undefined) return { operation: ctx.method === 'POST' ? 'CreateHarness' : 'ListHarnesses' };
    return { operation: ctx.method === 'PATCH' ? 'UpdateHarness' : 'GetHarness' };
  }
  if (a === 'knowledgebases') {
    if (b === undefined) return { operation: 'ListKnowledgeBases' };
    if (c === 'retrieve') return { operation: 'Retrieve' };
    if (ctx.segments[6] === 'content') return { operation: 'GetDocumentContent' };
    if (c === 'datasources') {
      const [, , , ds, jobs, job] = ctx.segments;
      if (ds === undefined) return { operation: 'ListDataSources' };
      if (jobs === 'ingestionjobs')
        return {
          operation:
            ctx.method === 'PUT' ? 'StartIngestionJob' : job === undefined ? 'ListIngestionJobs' : 'GetIngestionJob',
        };
    }
    return { operation: 'GetKnowledgeBase' };
  }
  if (ctx.method === 'POST' && a === 'provisioned-model-throughput')
    return { operation: 'CreateProvisionedModelThroughput' };
  return { operation: `${ctx.method} /${a ?? ''}` };
}

/** Cuts the TCP connection, after a moment so that the frames already written reach the client and are read (a destroyed stream drops what it buffered). */
/** S3 requests are signed for the `s3` service (path-style requests against this one port). */
function isS3(ctx: RequestContext): boolean {
  return /\/s3\/aws4_request/.test(String(ctx.req.headers['authorization'] ?? ''));
}

function cutConnection(req: AnyRequest): void {
  const h2req = req as http2.Http2ServerRequest;
  setTimeout(() => {
    if (h2req.stream) {
      const proxy = h2req.stream.session?.socket as unknown as {
        stream?: { rawSocket?: net.Socket };
        rawSocket?: net.Socket;
      };
      const raw = proxy?.rawSocket ?? proxy?.stream?.rawSocket;
      if (raw) raw.destroy();
      else h2req.stream.session?.destroy();
    } else (req as http.IncomingMessage).socket.destroy();
  }, 250);
}

/** A duplex over `socket` that first yields `head`, the bytes read while sniffing the protocol. */
function replaying(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  // Reachable from the HTTP/2 session's socket proxy, so a 'cut' fault can drop the real connection.
  Object.assign(duplex, { rawSocket: socket });
  duplex.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

function readBody(req: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<BedrockEmulator> {
  return new BedrockEmulator(options).start();
}

function authOf(header: string): RecordedRequest['auth'] {
  if (header.startsWith('Bearer ')) return 'bearer';
  return header.startsWith('AWS4-HMAC-SHA256') ? 'sigv4' : 'none';
}

// AgentCore harnesses: the control plane (CreateHarness, GetHarness, ListHarnesses, UpdateHarness) and
// the data plane's InvokeHarness event stream.
//
// Shapes [sdk: client-bedrock-agentcore-control 3.1149 and client-bedrock-agentcore 3.1141, their
// generated commands and schemas]: POST /harnesses (201), GET /harnesses, GET|PATCH /harnesses/{id};
// POST /harnesses/invoke?harnessArn=…&qualifier=… with the session in
// `X-Amzn-Bedrock-AgentCore-Runtime-Session-Id`; the stream's events are messageStart, contentBlockStart
// (toolUse with its type, toolResult), contentBlockDelta (text, toolUse input, toolResult, reasoning),
// contentBlockStop, messageStop, metadata. Name and ARN patterns are the API reference's.
//
// The loop [ours: deterministic so tests can predict it; a real harness asks its model]:
// - the session keeps the conversation (the harness's documented behaviour: the same session id
//   continues it); the answer handed back for an inline function is not kept (the caller sends it
//   again, then the result) [issues: a client library's notes on the resume contract];
// - each harness tool (remote_mcp, agentcore_gateway, code interpreter, browser) is called once, in
//   order, with the last user text as its input; its result is `<tool> (emulated) read: "<text>"`;
// - then an inline function (a `toolDefs` entry), if there is one and no result came back yet, is handed
//   back (stopReason tool_use), its input built from its schema;
// - else the model answers through the emulator's responder, as Converse would with that history.
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import { eventFrame } from './eventstream';
import { ACCOUNT_ID } from './state';
import { findModel } from './catalogue';
import { answer, type ConverseBody } from './responder';

const NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const ROLE = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;
const SESSION_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';
/** The default model of a harness created without one [docs: a harness stood up with a name and a role]. */
const DEFAULT_MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

type Json = Record<string, any>;

interface Harness {
  harnessId: string;
  harnessName: string;
  arn: string;
  status: string;
  harnessVersion: string;
  executionRoleArn: string;
  createdAt: Date;
  updatedAt: Date;
  /** When a CREATING or UPDATING harness is READY. */
  readyAt: number;
  config: Json;
}

interface Message {
  role: 'user' | 'assistant';
  content: Json[];
}

/** The fields a harness's configuration holds, as CreateHarness and UpdateHarness take them. */
const CONFIG_KEYS = [
  'model',
  'systemPrompt',
  'tools',
  'skills',
  'allowedTools',
  'maxIterations',
  'maxTokens',
  'timeoutSeconds',
  'truncation',
  'memory',
];

export class HarnessService {
  private readonly harnesses: Harness[] = [];
  private readonly sessions = new Map<string, Message[]>();

  constructor(private readonly settleMs = 300) {
    // The demo's agent (examples/support-agent.prompt names it), READY from the start.
    const now = new Date();
    const harnessId = 'support_agent-a1b2c3d4e5';
    this.harnesses.push({
      harnessId,
      harnessName: 'support_agent',
      arn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT_ID}:harness/${harnessId}`,
      status: 'READY',
      harnessVersion: '1',
      executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/AgentCoreHarness`,
      createdAt: now,
      updatedAt: now,
      readyAt: 0,
      config: {
        model: { bedrockModelConfig: { modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' } },
        systemPrompt: [{ text: 'You are the support agent of an online shop.' }],
        tools: [
          { type: 'remote_mcp', name: 'orders', config: { remoteMcp: { url: 'https://orders.example.com/mcp' } } },
        ],
      },
    });
  }

  private advance(h: Harness): void {
    if ((h.status === 'CREATING' || h.status === 'UPDATING') && Date.now() >= h.readyAt) {
      h.status = 'READY';
      h.updatedAt = new Date();
    }
  }

  private find(idOrArn: string): Harness {
    const h = this.harnesses.find((x) => x.harnessId === idOrArn || x.arn === idOrArn);
    if (!h) throw ServiceError.notFound(`Harness ${idOrArn} not found.`);
    this.advance(h);
    return h;
  }

  private view(h: Harness): Json {
    return {
      harnessId: h.harnessId,
      harnessName: h.harnessName,
      arn: h.arn,
      status: h.status,
      harnessVersion: h.harnessVersion,
      executionRoleArn: h.executionRoleArn,
      createdAt: h.createdAt.toISOString(),
      updatedAt: h.updatedAt.toISOString(),
      model: h.config.model ?? { bedrockModelConfig: { modelId: DEFAULT_MODEL } },
      systemPrompt: h.config.systemPrompt ?? [],
      tools: h.config.tools ?? [],
      skills: h.config.skills ?? [],
      allowedTools: h.config.allowedTools ?? ['*'],
      truncation: h.config.truncation ?? { strategy: 'sliding_window' },
      environment: {
        agentCoreRuntimeEnvironment: {
          agentRuntimeArn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT_ID}:runtime/${h.harnessId}`,
          agentRuntimeName: h.harnessName,
          agentRuntimeId: h.harnessId,
        },
      },
      ...(h.config.memory !== undefined ? { memory: h.config.memory } : {}),
      ...(h.config.maxIterations !== undefined ? { maxIterations: h.config.maxIterations } : {}),
      ...(h.config.maxTokens !== undefined ? { maxTokens: h.config.maxTokens } : {}),
      ...(h.config.timeoutSeconds !== undefined ? { timeoutSeconds: h.config.timeoutSeconds } : {}),
    };
  }

  private checkConfig(body: Json): void {
    const modelId = body.model?.bedrockModelConfig?.modelId;
    if (body.model !== undefined && (typeof modelId !== 'string' || !modelId))
      throw ServiceError.validation(
        "model must hold bedrockModelConfig.modelId (or another provider's configuration).",
      );
    for (const [i, tool] of ((body.tools ?? []) as Json[]).entries()) {
      if (
        ![
          'remote_mcp',
          'agentcore_browser',
          'agentcore_gateway',
          'inline_function',
          'agentcore_code_interpreter',
        ].includes(tool.type)
      )
        throw ServiceError.validation(
          `1 validation error detected: Value '${String(tool.type)}' at 'tools.${i + 1}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [remote_mcp, agentcore_browser, agentcore_gateway, inline_function, agentcore_code_interpreter]`,
        );
      if (tool.name !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name))
        throw ServiceError.validation(
          `1 validation error detected: Value '${String(tool.name)}' at 'tools.${i + 1}.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`,
        );
      if (
        tool.type === 'inline_function' &&
        (!tool.config?.inlineFunction?.description || tool.config?.inlineFunction?.inputSchema === undefined)
      )
        throw ServiceError.validation(
          `tools.${i + 1}: an inline function needs config.inlineFunction.description and inputSchema.`,
        );
    }
  }

  private create(ctx: RequestContext): void {
    const body = parseJsonBody<Json>(ctx);
    if (typeof body.harnessName !== 'string' || !NAME.test(body.harnessName))
      throw ServiceError.validation(
        `1 validation error detected: Value '${String(body.harnessName)}' at 'harnessName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][a-zA-Z0-9_]{0,39}`,
      );
    if (typeof body.executionRoleArn !== 'string' || !ROLE.test(body.executionRoleArn))
      throw ServiceError.validation(
        `1 validation error detected: Value '${String(body.executionRoleArn)}' at 'executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+`,
      );
    if (this.harnesses.some((h) => h.harnessName === body.harnessName))
      throw new ServiceError(409, 'ConflictException', `A harness named ${body.harnessName} already exists.`);
    this.checkConfig(body);
    const harnessId = `${body.harnessName}-${randomBytes(8).toString('hex').slice(0, 10)}`;
    const now = new Date();
    const h: Harness = {
      harnessId,
      harnessName: body.harnessName,
      arn: `arn:aws:bedrock-agentcore:${ctx.region}:${ACCOUNT_ID}:harness/${harnessId}`,
      status: 'CREATING',
      harnessVersion: '1',
      executionRoleArn: body.executionRoleArn,
      createdAt: now,
      updatedAt: now,
      readyAt: Date.now() + this.settleMs,
      config: Object.fromEntries(CONFIG_KEYS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])),
    };
    this.harnesses.push(h);
    sendJson(ctx, 201, { harness: this.view(h) });
  }

  private update(ctx: RequestContext, h: Harness): void {
    const body = parseJsonBody<Json>(ctx);
    if (h.status === 'CREATING' || h.status === 'UPDATING')
      throw new ServiceError(
        409,
        'ConflictException',
        `Harness ${h.harnessId} is ${h.status}; update it once it is READY.`,
      );
    this.checkConfig(body);
    for (const k of CONFIG_KEYS) if (body[k] !== undefined) h.config[k] = body[k];
    // UpdateHarness wraps the memory: `{optionalValue}` sets it, an empty wrapper clears it [sdk shapes].
    if (body.memory !== undefined) h.config.memory = body.memory.optionalValue;
    if (typeof body.executionRoleArn === 'string') h.executionRoleArn = body.executionRoleArn;
    h.status = 'UPDATING';
    h.harnessVersion = String(Number(h.harnessVersion) + 1);
    h.updatedAt = new Date();
    h.readyAt = Date.now() + this.settleMs;
    sendJson(ctx, 200, { harness: this.view(h) });
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a !== 'harnesses' || c !== undefined) return false;
    if (b === 'invoke' && ctx.method === 'POST') {
      this.invoke(ctx);
      return true;
    }
    if (b === undefined && ctx.method === 'POST') {
      this.create(ctx);
      return true;
    }
    if (b === undefined && ctx.method === 'GET') {
      this.harnesses.forEach((h) => this.advance(h));
      sendJson(ctx, 200, {
        harnesses: this.harnesses.map((h) => ({
          harnessId: h.harnessId,
          harnessName: h.harnessName,
          arn: h.arn,
          status: h.status,
          harnessVersion: h.harnessVersion,
          createdAt: h.createdAt.toISOString(),
          updatedAt: h.updatedAt.toISOString(),
        })),
      });
      return true;
    }
    if (b !== undefined && ctx.method === 'GET') {
      sendJson(ctx, 200, { harness: this.view(this.find(b)) });
      return true;
    }
    if (b !== undefined && ctx.method === 'PATCH') {
      this.update(ctx, this.find(b));
      return true;
    }
    return false;
  }

  private invoke(ctx: RequestContext): void {
    const arn = ctx.query.get('harnessArn') ?? '';
    const sessionId = String(ctx.req.headers[SESSION_HEADER] ?? '');
    if (sessionId.length < 33 || sessionId.length > 256)
      throw ServiceError.validation(
        `1 validation error detected: Value at 'runtimeSessionId' failed to satisfy constraint: Member must have length greater than or equal to 33`,
      );
    const h = this.find(arn);
    if (h.status !== 'READY')
      throw new ServiceError(
        409,
        'ConflictException',
        `Harness ${h.harnessId} is ${h.status}; invoke it once it is READY.`,
      );
    const body = parseJsonBody<Json>(ctx);
    const sent = body.messages as Message[] | undefined;
    if (!Array.isArray(sent) || sent.length === 0)
      throw ServiceError.validation('messages must hold at least one message.');
    const config = {
      ...h.config,
      ...Object.fromEntries(CONFIG_KEYS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])),
    };
    this.checkConfig(config);
    const modelId: string = config.model?.bedrockModelConfig?.modelId ?? DEFAULT_MODEL;
    const model = findModel(modelId.replace(/^(us|eu|apac|global|jp|au|ca)\./, ''));
    if (!model) throw ServiceError.validation(`The model ${modelId} is not available to this harness.`);
    const key = `${h.arn}|${sessionId}`;
    const history = [...(this.sessions.get(key) ?? []), ...sent];

    ctx.res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': ctx.requestId });
    const write = (type: string, payload: unknown) =>
      (ctx.res as { write(c: Uint8Array): boolean }).write(eventFrame(type, payload));

    const tools = (config.tools ?? []) as Json[];
    const serverTools = tools.filter((t) => t.type !== 'inline_function');
    const inline = tools.filter((t) => t.type === 'inline_function');
    const lastUser = [...history]
      .reverse()
      .find((m) => m.role === 'user' && m.content.some((b) => typeof b.text === 'string'));
    const lastText = (lastUser?.content ?? []).map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
    const maxIterations = Number(config.maxIterations ?? 50);
    const loop: Message[] = [];
    let iterations = 0;
    let stoppedForTool = false;
    const usage = (i: number, o: number) =>
      write('metadata', { usage: { inputTokens: i, outputTokens: o, totalTokens: i + o }, metrics: { latencyMs: 40 } });

    // The harness's own tools, each once, in order.
    for (const [i, tool] of serverTools.entries()) {
      if (iterations >= maxIterations) break;
      iterations++;
      const name = tool.name ?? tool.type;
      const toolUseId = `tooluse_${randomBytes(6).toString('hex')}`;
      const type = tool.type === 'remote_mcp' ? 'mcp_tool_use' : 'server_tool_use';
      const input = JSON.stringify({ query: lastText });
      write('messageStart', { role: 'assistant' });
      write('contentBlockStart', {
        contentBlockIndex: 0,
        start: { toolUse: { toolUseId, name, type, ...(tool.type === 'remote_mcp' ? { serverName: name } : {}) } },
      });
      write('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input } } });
      write('contentBlockStop', { contentBlockIndex: 0 });
      write('messageStop', { stopReason: 'tool_use' });
      usage(20 + i, 12);
      const result = `${name} (emulated) read: "${lastText}"`;
      write('messageStart', { role: 'user' });
      write('contentBlockStart', { contentBlockIndex: 0, start: { toolResult: { toolUseId, status: 'success' } } });
      write('contentBlockDelta', { contentBlockIndex: 0, delta: { toolResult: [{ text: result }] } });
      write('contentBlockStop', { contentBlockIndex: 0 });
      write('messageStop', { stopReason: 'tool_result' });
      loop.push(
        { role: 'assistant', content: [{ toolUse: { toolUseId, name, input: JSON.parse(input), type } }] },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId, content: [{ text: result }], status: 'success', type } }],
        },
      );
    }

    if (iterations >= maxIterations && serverTools.length > 0) {
      write('messageStart', { role: 'assistant' });
      write('messageStop', { stopReason: 'max_iterations_exceeded' });
    } else {
      // The model's turn: Converse's rules over the conversation so far (inline functions offered).
      const converse: ConverseBody = {
        messages: [...history, ...loop].map((m) => ({
          role: m.role,
          content: m.content.map((b) => {
            if (b.toolUse)
              return { toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input } };
            if (b.toolResult)
              return { toolResult: { toolUseId: b.toolResult.toolUseId, content: b.toolResult.content } };
            return b;
          }),
        })),
        system: config.systemPrompt,
        inferenceConfig: { maxTokens: config.model?.bedrockModelConfig?.maxTokens },
        ...(inline.length
          ? {
              toolConfig: {
                tools: inline.map((t) => ({
                  toolSpec: {
                    name: t.name,
                    description: t.config.inlineFunction.description,
                    inputSchema: { json: t.config.inlineFunction.inputSchema },
                  },
                })),
              },
            }
          : {}),
      };
      const a = answer(model.modelId, model.modelName, converse);
      write('messageStart', { role: 'assistant' });
      const text = a.tokens.join('');
      if (text) {
        for (const token of a.tokens) write('contentBlockDelta', { contentBlockIndex: 0, delta: { text: token } });
        write('contentBlockStop', { contentBlockIndex: 0 });
      }
      if (a.toolUse) {
        const index = text ? 1 : 0;
        write('contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: a.toolUse.toolUseId, name: a.toolUse.name, type: 'tool_use' } },
        });
        write('contentBlockDelta', {
          contentBlockIndex: index,
          delta: { toolUse: { input: JSON.stringify(a.toolUse.input) } },
        });
        write('contentBlockStop', { contentBlockIndex: index });
        stoppedForTool = true;
      }
      write('messageStop', { stopReason: a.stopReason });
      usage(a.inputTokens, a.outputTokens);
      loop.push({ role: 'assistant', content: [{ text }] });
    }
    // The session keeps finished turns; the turn handed back for an inline function is not kept: the
    // caller sends it again (its tool call, then the result).
    this.sessions.set(key, stoppedForTool ? history : [...history, ...loop]);
    ctx.res.end();
  }
}

// AgentCore runtimes: ListAgentRuntimes, ListAgentRuntimeEndpoints (control plane) and InvokeAgentRuntime.
//
// Shapes [sdk: client-bedrock-agentcore-control 3.1149, client-bedrock-agentcore 3.1141]: POST /runtimes/
// lists (`agentRuntimes`), POST /runtimes/{id}/runtime-endpoints/ lists (`runtimeEndpoints`); POST
// /runtimes/{arn}/invocations?qualifier=… takes the payload as the body and the session in
// `X-Amzn-Bedrock-AgentCore-Runtime-Session-Id`, and answers with the agent's own bytes, its content type
// and the session and trace headers.
//
// The demo runtime [ours: a runtime runs the user's code; this stands in for an agent built on the
// AgentCore starter, which streams server-sent events]: it reads `{"prompt"}` (or `{"messages"}`, whose
// last user text it takes), counts the turns of its session, and streams
// `support_runtime (emulated), turn <n>: you asked "<prompt>"` one word per `data:` event (a JSON string).
// A payload that is not JSON, or has neither, is answered 400 as the agent's own error would be.
import { randomBytes } from 'node:crypto';
import { ServiceError, sendJson, type RequestContext } from './http';
import { ACCOUNT_ID } from './state';

const SESSION_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';

interface AgentRuntime {
  id: string;
  name: string;
  arn: string;
  version: string;
  description: string;
  updatedAt: Date;
  endpoints: string[];
}

export class AgentRuntimeService {
  private readonly runtimes: AgentRuntime[] = [
    {
      id: 'support_runtime-AbCdEf1234',
      name: 'support_runtime',
      arn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT_ID}:runtime/support_runtime-AbCdEf1234`,
      version: '3',
      description: 'The support agent, built on the AgentCore starter (Strands).',
      updatedAt: new Date('2026-11-28T10:00:00Z'),
      endpoints: ['DEFAULT', 'production'],
    },
  ];
  /** Turns per session, so a continued session is visible in the answer. */
  private readonly turns = new Map<string, number>();

  private find(idOrArn: string): AgentRuntime {
    const r = this.runtimes.find((x) => x.id === idOrArn || x.arn === idOrArn);
    if (!r) throw ServiceError.notFound(`Agent runtime ${idOrArn} not found.`);
    return r;
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a !== 'runtimes') return false;
    if (b === undefined && ctx.method === 'POST') {
      sendJson(ctx, 200, {
        agentRuntimes: this.runtimes.map((r) => ({
          agentRuntimeArn: r.arn,
          agentRuntimeId: r.id,
          agentRuntimeVersion: r.version,
          agentRuntimeName: r.name,
          description: r.description,
          lastUpdatedAt: r.updatedAt.toISOString(),
          status: 'READY',
        })),
      });
      return true;
    }
    if (b !== undefined && c === 'runtime-endpoints' && ctx.method === 'POST') {
      const r = this.find(b);
      sendJson(ctx, 200, {
        runtimeEndpoints: r.endpoints.map((name) => ({
          name,
          liveVersion: r.version,
          agentRuntimeEndpointArn: `${r.arn}/runtime-endpoint/${name}`,
          agentRuntimeArn: r.arn,
          status: 'READY',
          id: `${name}-${r.id}`.slice(0, 40),
          createdAt: r.updatedAt.toISOString(),
          lastUpdatedAt: r.updatedAt.toISOString(),
        })),
      });
      return true;
    }
    if (b !== undefined && c === 'invocations' && ctx.method === 'POST') {
      this.invoke(ctx, this.find(b));
      return true;
    }
    return false;
  }

  private invoke(ctx: RequestContext, runtime: AgentRuntime): void {
    const qualifier = ctx.query.get('qualifier') ?? 'DEFAULT';
    if (!runtime.endpoints.includes(qualifier))
      throw ServiceError.notFound(`Endpoint ${qualifier} of agent runtime ${runtime.name} not found.`);
    const sessionId = String(ctx.req.headers[SESSION_HEADER] ?? '');
    if (sessionId.length < 33 || sessionId.length > 256)
      throw ServiceError.validation(
        "1 validation error detected: Value at 'runtimeSessionId' failed to satisfy constraint: Member must have length greater than or equal to 33",
      );
    let payload: { prompt?: unknown; messages?: { role?: string; content?: { text?: unknown }[] }[] };
    try {
      payload = JSON.parse(ctx.body.toString('utf8')) as typeof payload;
    } catch {
      throw new ServiceError(400, 'RuntimeClientError', 'The agent could not read the payload: it is not JSON.');
    }
    const fromMessages = payload.messages
      ?.filter((m) => m.role === 'user')
      .at(-1)
      ?.content?.map((b) => (typeof b.text === 'string' ? b.text : ''))
      .join('');
    const prompt = typeof payload.prompt === 'string' ? payload.prompt : fromMessages;
    if (!prompt)
      throw new ServiceError(400, 'RuntimeClientError', 'The agent needs "prompt" (or "messages") in its payload.');
    const key = `${runtime.arn}|${sessionId}`;
    const turn = (this.turns.get(key) ?? 0) + 1;
    this.turns.set(key, turn);
    const trace = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
    ctx.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'x-amzn-requestid': ctx.requestId,
      [SESSION_HEADER]: sessionId,
      'x-amzn-trace-id': trace,
    });
    const words = `${runtime.name} (emulated), turn ${turn}: you asked "${prompt}"`.match(/\S+\s*/g) ?? [];
    const write = (frame: string) => (ctx.res as { write(c: string): boolean }).write(frame);
    for (const w of words) write(`data: ${JSON.stringify(w)}\n\n`);
    ctx.res.end();
  }
}

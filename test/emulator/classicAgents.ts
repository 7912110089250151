// Bedrock Agents (classic): ListAgents, ListAgentAliases (bedrock-agent) and InvokeAgent (bedrock-agent-
// runtime).
//
// Shapes [sdk: client-bedrock-agent 3.1138 and client-bedrock-agent-runtime 3.1178, their schemas]: POST
// /agents/ (`agentSummaries`), POST /agents/{id}/agentaliases/ (`agentAliasSummaries`); POST
// /agents/{id}/agentAliases/{alias}/sessions/{session}/text answers an event stream of `chunk` ({bytes},
// base64 in JSON) and `trace` ({agentId, agentAliasId, sessionId, trace: {orchestrationTrace: …}})
// events, with the session in `x-amz-bedrock-agent-session-id` and `x-amzn-bedrock-agent-content-type`.
//
// The demo agent [ours: deterministic so tests can predict it; a real agent asks its model]: for each
// question it thinks (a rationale), calls its `orders` action group's `get_order` with the question,
// looks the question up in knowledge base SUPPORTKB1, then answers
// `refund_agent (emulated), turn <n>: you asked "<question>"` (n counts the session's turns), one chunk
// per word when `streamFinalResponse` is on, else one chunk.
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import { eventFrame } from './eventstream';

interface ClassicAgent {
  id: string;
  name: string;
  description: string;
  aliases: { id: string; name: string; version: string }[];
}

const AGENTS: ClassicAgent[] = [
  {
    id: 'REFUNDAGT1',
    name: 'refund_agent',
    description: 'Answers refund questions with the orders action group and the support handbook.',
    aliases: [
      { id: 'LIVEALIAS1', name: 'live', version: '2' },
      { id: 'TSTALIASID', name: 'AgentTestAlias', version: 'DRAFT' },
    ],
  },
];
const UPDATED = '2026-06-30T12:00:00.000Z';

export class ClassicAgentService {
  private readonly turns = new Map<string, number>();

  private find(id: string): ClassicAgent {
    const a = AGENTS.find((x) => x.id === id);
    if (!a) throw ServiceError.notFound(`Agent ${id} not found.`);
    return a;
  }

  handle(ctx: RequestContext): boolean {
    const [a, id, b, alias, c, session, d] = ctx.segments;
    if (a !== 'agents' || ctx.method !== 'POST') return false;
    if (id === undefined) {
      sendJson(ctx, 200, {
        agentSummaries: AGENTS.map((x) => ({
          agentId: x.id,
          agentName: x.name,
          agentStatus: 'PREPARED',
          description: x.description,
          updatedAt: UPDATED,
          latestAgentVersion: '2',
        })),
      });
      return true;
    }
    if (b === 'agentaliases' && alias === undefined) {
      sendJson(ctx, 200, {
        agentAliasSummaries: this.find(id).aliases.map((x) => ({
          agentAliasId: x.id,
          agentAliasName: x.name,
          routingConfiguration: [{ agentVersion: x.version }],
          agentAliasStatus: 'PREPARED',
          createdAt: UPDATED,
          updatedAt: UPDATED,
        })),
      });
      return true;
    }
    if (b === 'agentAliases' && c === 'sessions' && d === 'text') {
      this.invoke(ctx, this.find(id), alias, session);
      return true;
    }
    return false;
  }

  private invoke(ctx: RequestContext, agent: ClassicAgent, aliasId: string, sessionId: string): void {
    if (!agent.aliases.some((x) => x.id === aliasId))
      throw ServiceError.notFound(`Alias ${aliasId} of agent ${agent.id} not found.`);
    if (!/^[0-9a-zA-Z._:-]{2,100}$/.test(sessionId))
      throw ServiceError.validation(
        `1 validation error detected: Value '${sessionId}' at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+`,
      );
    const body = parseJsonBody<{
      inputText?: unknown;
      enableTrace?: unknown;
      streamingConfigurations?: { streamFinalResponse?: unknown };
    }>(ctx);
    if (typeof body.inputText !== 'string' || !body.inputText.trim())
      throw ServiceError.validation('inputText must be a non-empty string.');
    const question = body.inputText;
    const key = `${agent.id}|${aliasId}|${sessionId}`;
    const turn = (this.turns.get(key) ?? 0) + 1;
    this.turns.set(key, turn);
    ctx.res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': ctx.requestId,
      'x-amz-bedrock-agent-session-id': sessionId,
      'x-amzn-bedrock-agent-content-type': 'application/json',
    });
    const write = (type: string, payload: unknown) =>
      (ctx.res as { write(c: Uint8Array): boolean }).write(eventFrame(type, payload));
    const trace = (t: Record<string, unknown>) =>
      body.enableTrace === true &&
      write('trace', {
        agentId: agent.id,
        agentAliasId: aliasId,
        sessionId,
        agentVersion: '2',
        trace: { orchestrationTrace: t },
      });
    trace({
      rationale: {
        traceId: 'trace-1',
        text: `The customer asks: ${question}. I will look the order up, then check the policy.`,
      },
    });
    trace({
      invocationInput: {
        traceId: 'trace-1',
        invocationType: 'ACTION_GROUP',
        actionGroupInvocationInput: {
          actionGroupName: 'orders',
          function: 'get_order',
          parameters: [{ name: 'question', type: 'string', value: question }],
          executionType: 'LAMBDA',
        },
      },
    });
    trace({
      observation: {
        traceId: 'trace-1',
        type: 'ACTION_GROUP',
        actionGroupInvocationOutput: { text: '{"order": "1042", "status": "delivered", "paid": "gift card"}' },
      },
    });
    trace({
      invocationInput: {
        traceId: 'trace-2',
        invocationType: 'KNOWLEDGE_BASE',
        knowledgeBaseLookupInput: { text: question, knowledgeBaseId: 'SUPPORTKB1' },
      },
    });
    trace({
      observation: {
        traceId: 'trace-2',
        type: 'KNOWLEDGE_BASE',
        knowledgeBaseLookupOutput: {
          retrievedReferences: [
            {
              content: { text: 'Refunds go back to the original payment method within 5 business days.' },
              location: {
                type: 'S3',
                s3Location: { uri: 's3://bedrock-prompt-lab-data/knowledge-base/refund-policy.md' },
              },
            },
          ],
        },
      },
    });
    const answer = `${agent.name} (emulated), turn ${turn}: you asked "${question}"`;
    const parts =
      body.streamingConfigurations?.streamFinalResponse === true ? (answer.match(/\S+\s*/g) ?? []) : [answer];
    for (const part of parts) write('chunk', { bytes: Buffer.from(part, 'utf8').toString('base64') });
    trace({ observation: { traceId: 'trace-3', type: 'FINISH', finalResponse: { text: answer } } });
    ctx.res.end();
  }
}

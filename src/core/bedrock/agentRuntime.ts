// An AgentCore runtime answering a prompt (`bedrock.agent.runtime`): the user's own agent code, behind
// the Runtime interface like a harness. The prompt becomes the payload (`{"prompt": …}`, the AgentCore
// starter's shape, or the Converse `messages` and `system`), and the answer is the agent's own byte
// stream, shown as it arrives: server-sent events (`data:` lines; a JSON string is text, a Converse-style
// text delta is its text, anything else is shown as sent), or a body of JSON or text. A runtime reports
// no steps in its answer (its trace goes to CloudWatch): the run says so and links the trace.
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandInput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import type { ConverseRequest } from '../format/render';
import type { AgentRun, AgentSetting } from '../format/agent';
import type { Agents, Runtime } from './clients';
import { lastTurnOnly, type AgentSessions } from './agentSessions';
import { answeredBy, noEvents } from './streamedAnswer';

function refused(message: string): BedrockError {
  return new BedrockError('PromptInvalid', `An agent runtime (\`bedrock.agent.runtime\`) ${message}`);
}

/** The payload a runtime is sent for a conversation, of which it has seen the first `seen` turns. */
export function runtimePayload(
  request: ConverseRequest,
  setting: AgentSetting,
  seen: number,
): { payload: Record<string, unknown>; note?: string } {
  const messages = request.messages ?? [];
  for (const m of messages)
    for (const b of m.content ?? [])
      if (b.text === undefined && !b.toolUse && !b.toolResult && !b.cachePoint)
        throw refused(
          `takes JSON, and ${Object.keys(b)[0]} blocks (media, documents) do not go in it: move them out of the prompt.`,
        );
  if (setting.payload === 'converse')
    return {
      payload: {
        messages: messages.slice(seen).map((m) => ({
          role: m.role,
          content: (m.content ?? []).filter((b) => !b.cachePoint),
        })),
        ...(request.system?.length && seen === 0
          ? { system: request.system.filter((b) => b.text !== undefined).map((b) => ({ text: b.text })) }
          : {}),
      },
    };
  const { text: prompt, note } = lastTurnOnly(messages, seen, 'set `payload: converse` to send every turn');
  if (!prompt) throw refused('needs a question: write it in the last user turn.');
  return { payload: { prompt }, ...(note ? { note } : {}) };
}

/** The root of an X-Ray trace header (`Root=1-…;Parent=…`), and where the console shows it. */
export function traceOf(header: string | undefined, region: string): AgentRun['trace'] {
  const id = /(?:^|;)\s*Root=([^;]+)/.exec(header ?? '')?.[1] ?? (header && !header.includes('=') ? header : undefined);
  if (!id) return undefined;
  return {
    id,
    url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#xray:traces/${encodeURIComponent(id)}`,
  };
}

/** The text in one server-sent event's data: a JSON string, a text delta, or the data as sent. */
function eventText(data: string): string {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  const delta = v?.event?.contentBlockDelta?.delta?.text ?? v?.contentBlockDelta?.delta?.text ?? v?.delta?.text;
  if (typeof delta === 'string') return delta;
  if (typeof v?.text === 'string') return v.text;
  // Metadata events with no text (message starts and stops, usage) are the agent's own bookkeeping.
  if (v && typeof v === 'object' && v.event && typeof v.event === 'object') return '';
  return `${data}\n`;
}

/** A whole JSON body's answer: a string, a `result`/`response`/`output`/`text` string, else the JSON itself. */
function bodyText(body: string): string {
  try {
    const v = JSON.parse(body) as unknown;
    if (typeof v === 'string') return v;
    for (const key of ['result', 'response', 'output', 'text', 'message'])
      if (typeof (v as Record<string, unknown>)?.[key] === 'string') return (v as Record<string, string>)[key];
    return JSON.stringify(v, null, 2);
  } catch {
    return body;
  }
}

export interface AgentRuntimeRuntime extends Runtime {
  agentRun(): AgentRun | undefined;
}

export function agentRuntimeRuntime(
  base: Runtime,
  agents: Agents,
  setting: AgentSetting,
  sessions: AgentSessions,
): AgentRuntimeRuntime {
  let run: AgentRun | undefined;
  const start = async (input: ConverseCommandInput, signal?: AbortSignal) => {
    const arn = setting.runtime!;
    const request = input as ConverseRequest;
    const conversation = request.messages ?? [];
    const { sessionId, seen } = sessions.resume(arn, conversation);
    const { payload, note } = runtimePayload(request, setting, seen);
    const out = await agents.invokeRuntime(
      {
        agentRuntimeArn: arn,
        ...(setting.qualifier ? { qualifier: setting.qualifier } : {}),
        runtimeSessionId: sessionId,
        contentType: 'application/json',
        accept: 'text/event-stream, application/json',
        payload: new TextEncoder().encode(JSON.stringify(payload)),
      },
      signal,
    );
    const current: AgentRun = {
      kind: 'runtime',
      agent: arn,
      sessionId: out.runtimeSessionId ?? sessionId,
      toolCalls: [],
      steps: [],
      trace: traceOf(out.traceId, await base.region()),
      ...(note ? { note } : {}),
    };
    run = current;
    return events((out.response ?? noEvents()) as AsyncIterable<Uint8Array>, out.contentType ?? '', (answer) =>
      sessions.remember(arn, current.sessionId, [...conversation, answer]),
    );
  };
  return { ...answeredBy(base, start), agentRun: () => run };
}

/** The runtime's bytes as Converse stream events: text as it arrives, one block, the turn ended. */
async function* events(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  finished: (answer: Message) => void,
): AsyncIterable<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  const decoder = new TextDecoder();
  let text = '';
  const emit = (t: string): ConverseStreamOutput[] => {
    if (!t) return [];
    text += t;
    return [{ contentBlockDelta: { contentBlockIndex: 0, delta: { text: t } } }];
  };
  if (/text\/event-stream/i.test(contentType)) {
    let pending = '';
    const flush = (block: string) => {
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      return data ? emit(eventText(data)) : [];
    };
    for await (const chunk of body) {
      pending += decoder.decode(chunk, { stream: true });
      let at: number;
      while ((at = pending.search(/\r?\n\r?\n/)) >= 0) {
        const block = pending.slice(0, at);
        pending = pending.slice(at).replace(/^\r?\n\r?\n/, '');
        yield* flush(block);
      }
    }
    pending += decoder.decode();
    if (pending.trim()) yield* flush(pending);
  } else if (/json/i.test(contentType)) {
    let whole = '';
    for await (const chunk of body) whole += decoder.decode(chunk, { stream: true });
    yield* emit(bodyText(whole + decoder.decode()));
  } else {
    for await (const chunk of body) yield* emit(decoder.decode(chunk, { stream: true }));
    yield* emit(decoder.decode());
  }
  finished({ role: 'assistant', content: [{ text }] });
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason: 'end_turn' } };
}

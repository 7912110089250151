// A Bedrock Agent (classic) answering a prompt (`bedrock.agent.agentId` and `aliasId`), behind the Runtime
// interface like a harness. Bedrock Agents are closed to new customers (AgentCore is their successor) and
// still serve existing ones, so a prompt can keep testing one. InvokeAgent takes one question per call
// (the last user turn) in a session, and its trace events say what it did: its thoughts (rationale), the
// action groups, knowledge bases and code it called with what came back. Those become the run's steps;
// the answer's chunks stream as they arrive (`streamFinalResponse`).
import type { ResponseStream, Trace } from '@aws-sdk/client-bedrock-agent-runtime';
import type { ConverseCommandInput, ConverseStreamOutput, Message } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import type { ConverseRequest } from '../format/render';
import { stepText, type AgentRun, type AgentSetting, type AgentStep } from '../format/agent';
import type { Agents, Runtime } from './clients';
import { lastTurnOnly, type AgentSessions } from './agentSessions';
import { answeredBy, noEvents } from './streamedAnswer';

export interface ClassicAgentRuntime extends Runtime {
  agentRun(): AgentRun | undefined;
}

export function classicAgentRuntime(
  base: Runtime,
  agents: Agents,
  setting: AgentSetting,
  sessions: AgentSessions,
): ClassicAgentRuntime {
  let run: AgentRun | undefined;
  const start = async (input: ConverseCommandInput, signal?: AbortSignal) => {
    const agent = `${setting.agentId}/${setting.aliasId}`;
    const request = input as ConverseRequest;
    const conversation = request.messages ?? [];
    const { sessionId, seen } = sessions.resume(agent, conversation);
    const { text, note } = lastTurnOnly(
      conversation,
      seen,
      'a Bedrock agent keeps its history in its session, and this conversation was not held in one',
    );
    if (!text)
      throw new BedrockError('PromptInvalid', 'A Bedrock agent needs a question: write it in the last user turn.');
    const out = await agents.invokeClassicAgent(
      {
        agentId: setting.agentId,
        agentAliasId: setting.aliasId,
        sessionId,
        inputText: text,
        enableTrace: true,
        streamingConfigurations: { streamFinalResponse: true },
      },
      signal,
    );
    const current: AgentRun = {
      kind: 'classic',
      agent,
      sessionId: out.sessionId ?? sessionId,
      toolCalls: [],
      steps: [],
      ...(note ? { note } : {}),
    };
    run = current;
    return events(out.completion ?? noEvents(), current, (answer) =>
      sessions.remember(agent, current.sessionId, [...conversation, answer]),
    );
  };
  return { ...answeredBy(base, start), agentRun: () => run };
}

/** What one trace event adds to the run: a thought, a call, or the result of the last call. */
function traced(trace: Trace | undefined, run: AgentRun): 'intervened' | undefined {
  if (trace?.guardrailTrace?.action === 'INTERVENED') return 'intervened';
  const o = trace?.orchestrationTrace;
  if (!o) return undefined;
  const push = (step: AgentStep, name: string) => {
    run.steps.push(step);
    run.toolCalls.push(name);
  };
  const last = () => [...run.steps].reverse().find((s) => s.type !== 'rationale');
  if (o.rationale?.text) run.steps.push({ tool: '', type: 'rationale', input: stepText(o.rationale.text) });
  const call = o.invocationInput;
  if (call?.actionGroupInvocationInput) {
    const a = call.actionGroupInvocationInput;
    const name = a.function ?? a.apiPath ?? a.actionGroupName ?? 'action';
    const params = Object.fromEntries((a.parameters ?? []).map((p) => [p.name ?? '', p.value]));
    push(
      {
        tool: `${a.actionGroupName ?? 'action group'}.${a.function ?? `${a.verb ?? ''} ${a.apiPath ?? ''}`.trim()}`,
        type: 'action_group',
        input: stepText(JSON.stringify(params)),
      },
      name,
    );
  } else if (call?.knowledgeBaseLookupInput) {
    push(
      {
        tool: `knowledge base ${call.knowledgeBaseLookupInput.knowledgeBaseId ?? ''}`.trim(),
        type: 'knowledge_base',
        input: stepText(JSON.stringify(call.knowledgeBaseLookupInput.text ?? '')),
      },
      'knowledge_base',
    );
  } else if (call?.codeInterpreterInvocationInput) {
    push(
      {
        tool: 'code interpreter',
        type: 'code_interpreter',
        input: stepText(call.codeInterpreterInvocationInput.code ?? ''),
      },
      'code_interpreter',
    );
  }
  const seen = o.observation;
  const step = last();
  if (seen && step && step.result === undefined) {
    if (seen.actionGroupInvocationOutput) step.result = stepText(seen.actionGroupInvocationOutput.text ?? '');
    else if (seen.knowledgeBaseLookupOutput) {
      const refs = seen.knowledgeBaseLookupOutput.retrievedReferences ?? [];
      const sources = refs.map((r) => r.location?.s3Location?.uri?.split('/').pop() ?? r.location?.type ?? '?');
      step.result = `${refs.length} passage(s)${sources.length ? `: ${[...new Set(sources)].join(', ')}` : ''}`;
    } else if (seen.codeInterpreterInvocationOutput)
      step.result = stepText(
        seen.codeInterpreterInvocationOutput.executionOutput ??
          seen.codeInterpreterInvocationOutput.executionError ??
          '',
      );
    if (step.result !== undefined) step.status = 'success';
  }
  return undefined;
}

/** The agent's events as Converse stream events: its chunks as text, its trace as the run's steps. */
async function* events(
  stream: AsyncIterable<ResponseStream>,
  run: AgentRun,
  finished: (answer: Message) => void,
): AsyncIterable<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  const decoder = new TextDecoder();
  let text = '';
  let stopReason: 'end_turn' | 'guardrail_intervened' = 'end_turn';
  for await (const ev of stream) {
    if (ev.chunk?.bytes) {
      const t = decoder.decode(ev.chunk.bytes, { stream: true });
      if (t) {
        text += t;
        yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: t } } };
      }
    } else if (ev.trace) {
      if (traced(ev.trace.trace, run) === 'intervened') stopReason = 'guardrail_intervened';
    } else if (ev.returnControl) {
      const inputs = ev.returnControl.invocationInputs ?? [];
      const names = inputs.map((i) => i.functionInvocationInput?.function ?? i.apiInvocationInput?.apiPath ?? '?');
      run.toolCalls.push(...names);
      run.note = `the agent returned control to the caller for ${names.join(', ')} (an action group without a Lambda): answering it from a .prompt is not supported; give the action group a Lambda to test it here`;
    }
  }
  const rest = decoder.decode();
  if (rest) {
    text += rest;
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: rest } } };
  }
  finished({ role: 'assistant', content: [{ text }] });
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason } };
}

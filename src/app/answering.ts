// What a rendered prompt is answered through: Converse; or, with `bedrock.knowledgeBase.mode: generate`,
// its knowledge base's RetrieveAndGenerateStream; or, with `bedrock.agent`, an AgentCore harness. The
// other two sit behind the same Runtime interface, so every caller (a run, Compare, prompt tests,
// evaluations, batch rows) sends the rendered Converse request and reads one shape of answer.
import type { AgentRun } from '../core/format/agent';
import type { Retrieval } from '../core/format/knowledgeBase';
import type { RenderResult } from '../core/format/render';
import type { BedrockClients, Runtime } from '../core/bedrock/clients';
import { knowledgeBaseRuntime } from '../core/bedrock/knowledgeBaseAnswer';
import { harnessRuntime } from '../core/bedrock/harness';
import { AgentSessions } from '../core/bedrock/agentSessions';
import { agentRuntimeRuntime } from '../core/bedrock/agentRuntime';
import { classicAgentRuntime } from '../core/bedrock/classicAgent';

/** The sessions of this process (agents', and knowledge bases' in generate mode): Continue in the editor carries a conversation on in its session. */
const agentSessions = new AgentSessions();

export interface Answering {
  runtime: Runtime;
  /** What a knowledge base answering the call cited (`mode: generate`). */
  retrieval(): Retrieval | undefined;
  /** What an agent answering the call did: its session, steps and tool calls (`bedrock.agent`). */
  agentRun(): AgentRun | undefined;
  /** The API that answers, for the log (undefined: Converse or ConverseStream). */
  api?: string;
}

/** One per call: `retrieval()` and `agentRun()` are that call's. */
export function answeringRuntime(
  clients: Pick<BedrockClients, 'runtime' | 'knowledgeBases' | 'agents'>,
  target: Pick<RenderResult, 'knowledgeBase' | 'agent'> | undefined,
): Answering {
  if (target?.agent?.agentId) {
    const runtime = classicAgentRuntime(clients.runtime, clients.agents, target.agent, agentSessions);
    return { runtime, retrieval: () => undefined, agentRun: () => runtime.agentRun(), api: 'InvokeAgent' };
  }
  if (target?.agent?.runtime) {
    const runtime = agentRuntimeRuntime(clients.runtime, clients.agents, target.agent, agentSessions);
    return { runtime, retrieval: () => undefined, agentRun: () => runtime.agentRun(), api: 'InvokeAgentRuntime' };
  }
  if (target?.agent) {
    const runtime = harnessRuntime(clients.runtime, clients.agents, target.agent, agentSessions);
    return { runtime, retrieval: () => undefined, agentRun: () => runtime.agentRun(), api: 'InvokeHarness' };
  }
  if (target?.knowledgeBase?.mode === 'generate') {
    const runtime = knowledgeBaseRuntime(clients.runtime, clients.knowledgeBases, target.knowledgeBase, agentSessions);
    return {
      runtime,
      retrieval: () => runtime.retrieval(),
      agentRun: () => undefined,
      api: 'RetrieveAndGenerateStream',
    };
  }
  return { runtime: clients.runtime, retrieval: () => undefined, agentRun: () => undefined };
}

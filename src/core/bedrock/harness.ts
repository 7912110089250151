// An AgentCore harness answering a prompt (`bedrock.agent`). Like a knowledge base in generate mode, it
// is served behind the Runtime interface, so every caller (a run, Compare, prompt tests, evaluations)
// sends the rendered Converse request and reads one shape of answer:
// - the request maps onto InvokeHarness almost field for field: messages, the model (with maxTokens,
//   temperature, topP), the system turn, `toolDefs` as inline functions, and the harness's own tools
//   named in `bedrock.agent.tools`, as per-call overrides, so a run tries the file as written (what the
//   prompt leaves out, such as tools, the harness's own configuration supplies);
// - the harness's loop (several model calls, its own tool calls and their results) comes back as one
//   answer: its text, the inline-function calls it hands back to the caller (tool turns, as with a
//   model), and its own tool calls as steps kept beside the answer (`agentRun()`);
// - a session (`runtimeSessionId`) is carried on when the conversation continues one the harness has
//   seen, sending only the turns it has not; otherwise a new session gets the whole conversation.
import type { HarnessMemoryConfiguration } from '@aws-sdk/client-bedrock-agentcore-control';
import type {
  HarnessContentBlock,
  HarnessSkill,
  HarnessMessage,
  HarnessTool,
  InvokeHarnessCommandInput,
  InvokeHarnessStreamOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseStreamOutput,
  Message,
  StopReason,
} from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import type { ConverseRequest } from '../format/render';
import { stepText, type AgentRun, type AgentSetting, type AgentStep, type AgentToolSetting } from '../format/agent';
import type { Agents, Runtime } from './clients';
import { answeredBy, noEvents } from './streamedAnswer';
import type { AgentSessions } from './agentSessions';

function refused(message: string): BedrockError {
  return new BedrockError('PromptInvalid', `An agent (\`bedrock.agent\`) ${message}`);
}

/** A Converse content block as the harness takes it; media and documents are refused (the harness takes text and tool turns). */
function harnessBlock(block: ContentBlock): HarnessContentBlock | undefined {
  if (block.text !== undefined) return { text: block.text };
  if (block.cachePoint) return undefined;
  if (block.citationsContent)
    return {
      text: (block.citationsContent.content ?? []).map((c) => c.text ?? '').join(''),
    };
  if (block.toolUse)
    return {
      toolUse: {
        toolUseId: block.toolUse.toolUseId ?? '',
        name: block.toolUse.name ?? '',
        input: (block.toolUse.input ?? {}) as never,
        type: 'tool_use',
      },
    };
  if (block.toolResult)
    return {
      toolResult: {
        toolUseId: block.toolResult.toolUseId ?? '',
        content: (block.toolResult.content ?? []).map((c) =>
          c.json !== undefined ? { json: c.json as never } : { text: c.text ?? JSON.stringify(c) },
        ),
        status: block.toolResult.status === 'error' ? 'error' : 'success',
        type: 'tool_use',
      },
    };
  if (block.reasoningContent?.reasoningText)
    return {
      reasoningContent: {
        reasoningText: {
          text: block.reasoningContent.reasoningText.text ?? '',
          signature: block.reasoningContent.reasoningText.signature,
        },
      },
    };
  if (block.reasoningContent) return undefined;
  throw refused(
    `takes text and tool turns only: ${Object.keys(block)[0]} blocks (media, documents) cannot go to a harness. Move them out of the prompt, or remove \`bedrock.agent\` to run on the model.`,
  );
}

export function harnessMessages(messages: readonly Message[]): HarnessMessage[] {
  return messages.map((m) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    content: (m.content ?? []).map(harnessBlock).filter((b): b is HarnessContentBlock => b !== undefined),
  }));
}

/** The harness's own tools as the service names them. */
function harnessToolOf(tool: AgentToolSetting): HarnessTool {
  switch (tool.type) {
    case 'remote_mcp':
      return { type: 'remote_mcp', name: tool.name, config: { remoteMcp: { url: tool.url } } };
    case 'agentcore_gateway':
      return {
        type: 'agentcore_gateway',
        name: tool.name,
        config: { agentCoreGateway: { gatewayArn: tool.gatewayArn } },
      };
    case 'agentcore_code_interpreter':
      return { type: 'agentcore_code_interpreter', ...(tool.name ? { name: tool.name } : {}) };
    case 'agentcore_browser':
      return { type: 'agentcore_browser', ...(tool.name ? { name: tool.name } : {}) };
  }
}

/** A skill as the service names it. */
function harnessSkillOf(skill: NonNullable<AgentSetting['skills']>[number]): HarnessSkill {
  if ('s3' in skill) return { s3: { uri: skill.s3 } };
  if ('git' in skill) return { git: { url: skill.git, ...(skill.path ? { path: skill.path } : {}) } };
  if ('awsSkills' in skill) return { awsSkills: { paths: skill.awsSkills } };
  return { path: skill.path };
}

/** The harness's memory as CreateHarness and UpdateHarness take it (memory is the harness's, not a call's). */
export function harnessMemoryOf(memory: AgentSetting['memory']): HarnessMemoryConfiguration | undefined {
  if (memory === undefined) return undefined;
  if (memory === 'off') return { disabled: {} };
  if (memory === 'managed') return { managedMemoryConfiguration: {} };
  if ('managed' in memory) return { managedMemoryConfiguration: { strategies: memory.managed as never } };
  return { agentCoreMemoryConfiguration: { arn: memory.arn, ...(memory.actorId ? { actorId: memory.actorId } : {}) } };
}

/** The prompt's agent definition: what a run sends as overrides and Deploy as Agent sends as defaults. */
export interface HarnessDefinition {
  model: NonNullable<InvokeHarnessCommandInput['model']>;
  systemPrompt?: InvokeHarnessCommandInput['systemPrompt'];
  tools?: HarnessTool[];
  skills?: HarnessSkill[];
  allowedTools?: string[];
  maxIterations?: number;
  timeoutSeconds?: number;
}

/** The rendered request as a harness definition; what the harness cannot honour is refused with the fix. */
export function harnessDefinition(request: ConverseRequest, setting: AgentSetting): HarnessDefinition {
  if (request.guardrailConfig)
    throw refused(
      'takes no guardrail per call: remove `bedrock.guardrail` (or give the guardrail to the model behind the harness), or remove `bedrock.agent` to run on the model with it.',
    );
  if (request.promptVariables) throw refused('runs a model, not a managed prompt: name a model in `model:`.');
  const inference = request.inferenceConfig;
  const system = (request.system ?? [])
    .map((b) => b.text)
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  const inline: HarnessTool[] = (request.toolConfig?.tools ?? []).flatMap((t) =>
    t.toolSpec
      ? [
          {
            type: 'inline_function' as const,
            name: t.toolSpec.name,
            config: {
              inlineFunction: {
                description: t.toolSpec.description ?? t.toolSpec.name ?? '',
                inputSchema: (t.toolSpec.inputSchema?.json ?? { type: 'object' }) as never,
              },
            },
          },
        ]
      : [],
  );
  const tools = [...inline, ...(setting.tools ?? []).map(harnessToolOf)];
  return {
    model: {
      bedrockModelConfig: {
        modelId: request.modelId,
        apiFormat: 'converse_stream',
        ...(inference?.maxTokens !== undefined ? { maxTokens: inference.maxTokens } : {}),
        ...(inference?.temperature !== undefined ? { temperature: inference.temperature } : {}),
        ...(inference?.topP !== undefined ? { topP: inference.topP } : {}),
        ...(request.additionalModelRequestFields
          ? { additionalParams: request.additionalModelRequestFields as never }
          : {}),
      },
    },
    ...(system.length ? { systemPrompt: system.map((text) => ({ text })) } : {}),
    ...(tools.length ? { tools } : {}),
    ...(setting.skills?.length ? { skills: setting.skills.map(harnessSkillOf) } : {}),
    ...(setting.allowedTools ? { allowedTools: setting.allowedTools } : {}),
    ...(setting.maxIterations !== undefined ? { maxIterations: setting.maxIterations } : {}),
    ...(setting.timeoutSeconds !== undefined ? { timeoutSeconds: setting.timeoutSeconds } : {}),
  };
}

/** The harness's stop reasons that Converse has; the others end the turn and are reported beside it. */
const CONVERSE_STOP_REASONS = new Set([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'content_filtered',
  'malformed_model_output',
  'malformed_tool_use',
  'model_context_window_exceeded',
]);

/** A Runtime that answers Converse requests through a harness; `agentRun()` is what its last answer did. */
export interface HarnessRuntime extends Runtime {
  agentRun(): AgentRun | undefined;
}

export function harnessRuntime(
  base: Runtime,
  agents: Agents,
  setting: AgentSetting,
  sessions: AgentSessions,
): HarnessRuntime {
  let run: AgentRun | undefined;
  const start = async (input: ConverseCommandInput, signal?: AbortSignal) => {
    const harness = setting.harness;
    if (!harness)
      throw refused(
        'has no harness yet: run Deploy as Agent (it creates one from this prompt and writes `bedrock.agent.harness`), or set the ARN of one.',
      );
    const request = input as ConverseRequest;
    const definition = harnessDefinition(request, setting);
    const conversation = request.messages ?? [];
    const messages = harnessMessages(conversation);
    const { sessionId, seen } = sessions.resume(harness, conversation);
    run = { kind: 'harness', agent: harness, sessionId, toolCalls: [], steps: [] };
    const out = await agents.invokeHarness(
      {
        harnessArn: harness,
        ...(setting.qualifier ? { qualifier: setting.qualifier } : {}),
        runtimeSessionId: sessionId,
        messages: messages.slice(seen),
        ...definition,
      },
      signal,
    );
    const current = run;
    return events(out.stream ?? noEvents(), current, (answer, stoppedForTool) =>
      // The harness keeps a finished turn; a turn it handed back for a tool result is sent again with the
      // result (it does not keep the half turn), so only the turns sent are remembered then.
      sessions.remember(harness, sessionId, stoppedForTool ? conversation : [...conversation, answer]),
    );
  };
  return { ...answeredBy(base, start), agentRun: () => run };
}

/** An error event inside the harness's stream, thrown as the SDK names it. */
function streamError(ev: InvokeHarnessStreamOutput): Error | undefined {
  const [name, value] =
    (
      [
        ['ValidationException', ev.validationException],
        ['InternalServerException', ev.internalServerException],
        ['RuntimeClientError', ev.runtimeClientError],
      ] as const
    ).find(([, v]) => v !== undefined) ?? [];
  if (!name) return undefined;
  const e = new Error((value as { message?: string }).message ?? name);
  e.name = name;
  return e;
}

/**
 * The harness's loop as one Converse answer. Text of every assistant message is the answer (a blank line
 * between messages); inline-function calls are the answer's tool calls; the harness's own tool calls and
 * their results are steps. Block indexes are renumbered: the harness's restart with each message.
 */
async function* events(
  stream: AsyncIterable<InvokeHarnessStreamOutput>,
  run: AgentRun,
  finished: (answer: Message, stoppedForTool: boolean) => void,
): AsyncIterable<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  type Block =
    | { kind: 'text' | 'reasoning'; out: number }
    | { kind: 'inline'; out: number; toolUseId: string; name: string; input: string }
    | { kind: 'step'; step: AgentStep & { toolUseId: string } }
    | { kind: 'result'; step?: AgentStep };
  let blocks = new Map<number, Block>();
  const steps: (AgentStep & { toolUseId: string })[] = [];
  let next = 0;
  let role: string | undefined;
  let text = '';
  let messageHasText = false;
  const inline: { toolUseId: string; name: string; input: string }[] = [];
  let stopReason: string | undefined;
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let latencyMs = 0;
  let sawMetadata = false;
  for await (const ev of stream) {
    const failed = streamError(ev);
    if (failed) throw failed;
    if (ev.messageStart) {
      role = ev.messageStart.role;
      blocks = new Map();
      messageHasText = false;
      continue;
    }
    if (ev.contentBlockStart) {
      const index = ev.contentBlockStart.contentBlockIndex ?? 0;
      const use = ev.contentBlockStart.start?.toolUse;
      const result = ev.contentBlockStart.start?.toolResult;
      if (use && (use.type ?? 'tool_use') === 'tool_use') {
        const block = {
          kind: 'inline' as const,
          out: next++,
          toolUseId: use.toolUseId ?? '',
          name: use.name ?? '',
          input: '',
        };
        blocks.set(index, block);
        inline.push(block);
        run.toolCalls.push(block.name);
        yield {
          contentBlockStart: {
            contentBlockIndex: block.out,
            start: { toolUse: { toolUseId: block.toolUseId, name: block.name } },
          },
        };
      } else if (use) {
        const step = {
          tool: use.name ?? '',
          type: use.type ?? 'server_tool_use',
          toolUseId: use.toolUseId ?? '',
          input: '',
        };
        if (use.serverName) Object.assign(step, { server: use.serverName });
        steps.push(step);
        run.toolCalls.push(step.tool);
        blocks.set(index, { kind: 'step', step });
      } else if (result) {
        const step = steps.find((s) => s.toolUseId === result.toolUseId);
        if (step) step.status = result.status ?? 'success';
        blocks.set(index, { kind: 'result', step });
      }
      continue;
    }
    if (ev.contentBlockDelta) {
      const index = ev.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = ev.contentBlockDelta.delta;
      let block = blocks.get(index);
      if (delta?.text !== undefined && role !== 'user') {
        if (!block) {
          block = { kind: 'text', out: next++ };
          blocks.set(index, block);
        }
        if (block.kind !== 'text') continue;
        // A later message of the loop starts a new paragraph of the one answer.
        const lead = !messageHasText && text ? '\n\n' : '';
        messageHasText = true;
        text += lead + delta.text;
        yield { contentBlockDelta: { contentBlockIndex: block.out, delta: { text: lead + delta.text } } };
      } else if (delta?.reasoningContent) {
        if (!block) {
          block = { kind: 'reasoning', out: next++ };
          blocks.set(index, block);
        }
        if (block.kind !== 'reasoning') continue;
        const r = delta.reasoningContent;
        if (r.text !== undefined)
          yield { contentBlockDelta: { contentBlockIndex: block.out, delta: { reasoningContent: { text: r.text } } } };
        else if (r.signature !== undefined)
          yield {
            contentBlockDelta: {
              contentBlockIndex: block.out,
              delta: { reasoningContent: { signature: r.signature } },
            },
          };
      } else if (delta?.toolUse && block?.kind === 'inline') {
        block.input += delta.toolUse.input ?? '';
        yield {
          contentBlockDelta: { contentBlockIndex: block.out, delta: { toolUse: { input: delta.toolUse.input ?? '' } } },
        };
      } else if (delta?.toolUse && block?.kind === 'step') {
        block.step.input += delta.toolUse.input ?? '';
      } else if (delta?.toolResult && block?.kind === 'result' && block.step) {
        const parts = delta.toolResult.map((p) => (p.text !== undefined ? p.text : JSON.stringify(p.json ?? null)));
        block.step.result = stepText(`${block.step.result ?? ''}${parts.join('')}`);
      }
      continue;
    }
    if (ev.contentBlockStop) {
      const block = blocks.get(ev.contentBlockStop.contentBlockIndex ?? 0);
      if (block && 'out' in block) yield { contentBlockStop: { contentBlockIndex: block.out } };
      continue;
    }
    if (ev.messageStop && role === 'assistant') stopReason = ev.messageStop.stopReason;
    if (ev.metadata) {
      sawMetadata = true;
      usage.inputTokens += ev.metadata.usage?.inputTokens ?? 0;
      usage.outputTokens += ev.metadata.usage?.outputTokens ?? 0;
      usage.totalTokens += ev.metadata.usage?.totalTokens ?? 0;
      latencyMs += ev.metadata.metrics?.latencyMs ?? 0;
    }
  }
  run.steps = steps.map(({ toolUseId: _id, ...step }) => ({ ...step, input: stepText(step.input) }));
  const stoppedForTool = inline.length > 0;
  const converseStop = stoppedForTool
    ? 'tool_use'
    : stopReason === 'max_output_tokens_exceeded'
      ? 'max_tokens'
      : stopReason && CONVERSE_STOP_REASONS.has(stopReason)
        ? stopReason
        : 'end_turn';
  if (stopReason && stopReason !== converseStop && !(stoppedForTool && stopReason === 'tool_use'))
    run.stopReason = stopReason;
  const answer: Message = {
    role: 'assistant',
    content: [
      ...(text ? [{ text }] : []),
      ...inline.map((t) => ({ toolUse: { toolUseId: t.toolUseId, name: t.name, input: {} as never } })),
    ],
  };
  finished(answer, stoppedForTool);
  yield { messageStop: { stopReason: converseStop as StopReason } };
  if (sawMetadata) yield { metadata: { usage, metrics: { latencyMs } } };
}

// The one way a prompt becomes a Converse request, whoever wrote the prompt: a .prompt rendered
// (render.ts) or a VS Code chat (core/bedrock/chatRequest.ts). Both hand over neutral turns; this makes
// them what Converse takes: adjacent turns of one role merged (user and assistant must alternate), empty
// turns dropped, the inference settings and tools only when there are some.
import type {
  ContentBlock,
  ConverseStreamCommandInput,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';

/** What runs send: ConverseStream's input (Converse takes the same), always with a model. */
export type ConverseRequest = ConverseStreamCommandInput & { modelId: string };

/** A turn as the callers hold it (render also keeps the turn's line in the file). */
export interface NeutralTurn {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** Adds a turn to a conversation: an empty one is dropped, one of the previous turn's role joins it. */
export function appendTurn<T extends NeutralTurn>(conversation: T[], turn: T): void {
  if (turn.content.length === 0) return;
  const last = conversation.at(-1);
  if (last?.role === turn.role) last.content.push(...turn.content);
  else conversation.push({ ...turn, content: [...turn.content] });
}

export interface InferenceSettings {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface ToolSettings {
  specs: Tool[];
  /** Converse's default (auto) when absent. */
  choice?: 'auto' | 'any' | { tool: string };
}

export interface NeutralPrompt {
  modelId: string;
  system?: SystemContentBlock[];
  turns: readonly NeutralTurn[];
  inference?: InferenceSettings;
  tools?: ToolSettings;
}

/** The Converse request for neutral turns (checked by the caller: a first user turn, tool pairs). */
export function converseRequest(p: NeutralPrompt): ConverseRequest {
  const messages: Message[] = p.turns.map((t) => ({ role: t.role, content: t.content }));
  const request: ConverseRequest = { modelId: p.modelId, messages };
  if (p.system && p.system.length > 0) request.system = p.system;
  const inference = Object.fromEntries(
    Object.entries(p.inference ?? {}).filter(([, v]) => v !== undefined),
  ) as NonNullable<ConverseRequest['inferenceConfig']>;
  if (Object.keys(inference).length > 0) request.inferenceConfig = inference;
  if (p.tools && p.tools.specs.length > 0) {
    const choice = p.tools.choice;
    const toolChoice: ToolChoice | undefined =
      choice === 'any'
        ? { any: {} }
        : choice === 'auto'
          ? { auto: {} }
          : choice
            ? { tool: { name: choice.tool } }
            : undefined;
    request.toolConfig = { tools: p.tools.specs, ...(toolChoice ? { toolChoice } : {}) };
  }
  return request;
}

/**
 * The text of a request's last user turn: the question a knowledge base is queried with, and what an agent
 * that takes one question per call (a runtime's `{"prompt"}`, a classic agent's input) is sent.
 */
export function lastUserText(messages: ConverseRequest['messages']): string {
  const last = (messages ?? []).filter((m) => m.role === 'user').at(-1);
  return (last?.content ?? [])
    .map((b) => b.text ?? '')
    .join('\n')
    .trim();
}

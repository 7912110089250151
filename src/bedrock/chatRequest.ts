// VS Code chat messages → a Converse request, for Bedrock models offered in VS Code's chat
// (src/chat/chatModels.ts). Pure: the glue turns VS Code's part classes into the plain parts below.
// Message text is data, never structure: it becomes text blocks only (no Dotprompt markers are read).
import type { ContentBlock, Message, Tool, ToolChoice } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from './errors';
import type { ConverseRequest } from '../prompt/render';

export type ChatPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; texts: string[]; isError?: boolean }
  | { kind: 'image'; mimeType: string; data: Uint8Array };

export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  parts: ChatPart[];
}

export interface ChatTool {
  name: string;
  description: string;
  inputSchema?: object;
}

export interface ChatRequestOptions {
  tools?: readonly ChatTool[];
  /** 'required': the model must call a tool (one given: that one). */
  toolMode?: 'auto' | 'required';
  maxTokens?: number;
  temperature?: number;
}

const IMAGE_FORMATS: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function block(part: ChatPart): ContentBlock | undefined {
  switch (part.kind) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'toolCall':
      return { toolUse: { toolUseId: part.callId, name: part.name, input: (part.input ?? {}) as never } };
    case 'toolResult':
      return {
        toolResult: {
          toolUseId: part.callId,
          content: (part.texts.length > 0 ? part.texts : ['']).map((text) => ({ text })),
          ...(part.isError ? { status: 'error' as const } : {}),
        },
      };
    case 'image': {
      const format = IMAGE_FORMATS[part.mimeType.toLowerCase()];
      if (!format) {
        throw new BedrockError(
          'Validation',
          `Bedrock takes PNG, JPEG, GIF or WebP images in chat, not ${part.mimeType}.`,
        );
      }
      return { image: { format, source: { bytes: part.data } } };
    }
  }
}

/**
 * The Converse request for a chat: system messages go to `system` (in order), adjacent messages of one
 * role merge (Converse wants user and assistant to alternate), empty ones are dropped, tools become a
 * tool config. The conversation must start with a user message, as Bedrock requires.
 */
export function converseRequestForChat(
  modelId: string,
  messages: readonly ChatMessage[],
  opts: ChatRequestOptions = {},
): ConverseRequest {
  const system: { text: string }[] = [];
  const out: Message[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      for (const p of m.parts) if (p.kind === 'text' && p.text.trim() !== '') system.push({ text: p.text });
      continue;
    }
    const content = m.parts.map(block).filter((b): b is ContentBlock => b !== undefined);
    if (content.length === 0) continue;
    const previous = out[out.length - 1];
    if (previous?.role === m.role) previous.content = [...(previous.content ?? []), ...content];
    else out.push({ role: m.role, content });
  }
  if (out.length === 0) throw new BedrockError('Validation', 'The chat request has no message to send.');
  if (out[0].role !== 'user') {
    throw new BedrockError(
      'Validation',
      'Bedrock needs the conversation to start with a user message; this one starts with the model.',
    );
  }
  const request: ConverseRequest = { modelId, messages: out };
  if (system.length > 0) request.system = system;
  const inference: NonNullable<ConverseRequest['inferenceConfig']> = {};
  if (opts.maxTokens !== undefined) inference.maxTokens = opts.maxTokens;
  if (opts.temperature !== undefined) inference.temperature = opts.temperature;
  if (Object.keys(inference).length > 0) request.inferenceConfig = inference;
  const tools = opts.tools ?? [];
  if (tools.length > 0) {
    const specs: Tool[] = tools.map((t) => ({
      toolSpec: {
        name: t.name,
        description: t.description || t.name,
        inputSchema: { json: (t.inputSchema ?? { type: 'object', properties: {} }) as never },
      },
    }));
    let toolChoice: ToolChoice | undefined;
    if (opts.toolMode === 'required') toolChoice = tools.length === 1 ? { tool: { name: tools[0].name } } : { any: {} };
    request.toolConfig = { tools: specs, ...(toolChoice ? { toolChoice } : {}) };
  }
  return request;
}

/** A rough count for text when the service cannot count (4 characters a token, as the estimates use). */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// VS Code chat messages → a Converse request, for Bedrock models offered in VS Code's chat
// (src/vscode/chat/chatModels.ts). Pure: the glue turns VS Code's part classes into the plain parts below.
// Message text is data, never structure: it becomes text blocks only (no Dotprompt markers are read).
import { appendTurn, converseRequest, type NeutralTurn } from '../format/converseRequest';
import { CONVERSE_LIMITS, PROMPT_RULES } from '../format/rules';
import { estimateInputTokens } from './pricing';
import type { ContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import type { ConverseRequest } from '../format/render';

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

/** Bedrock's patterns for a tool's name and a tool call's id (MCP names such as `github.create_issue` break them). */
const VALID_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Tool names and call ids as Bedrock takes them, and the way back to the caller's own: a name or id that
 * fits the pattern is kept; any other becomes its valid characters plus a short hash of the original
 * (so two originals never meet), and the answer's tool calls are mapped back before VS Code sees them.
 */
export class ToolNameMap {
  private readonly out = { name: new Map<string, string>(), id: new Map<string, string>() };
  private readonly back = { name: new Map<string, string>(), id: new Map<string, string>() };

  name(original: string): string {
    return this.map('name', original);
  }
  id(original: string): string {
    return this.map('id', original);
  }
  /** The caller's name for a tool the model called (unchanged when it was never mapped). */
  originalName(bedrock: string): string {
    return this.back.name.get(bedrock) ?? bedrock;
  }
  originalId(bedrock: string): string {
    return this.back.id.get(bedrock) ?? bedrock;
  }

  private map(kind: 'name' | 'id', original: string): string {
    const known = this.out[kind].get(original);
    if (known !== undefined) return known;
    let mapped = original;
    if (!VALID_NAME.test(original) || this.back[kind].has(original)) {
      const base =
        original
          .replace(/[^a-zA-Z0-9_-]+/g, '_')
          .replace(/^_+|_+$/g, '')
          .slice(0, 55) || kind;
      mapped = `${base}_${fnv1a(original)}`;
    }
    this.out[kind].set(original, mapped);
    this.back[kind].set(mapped, original);
    return mapped;
  }
}

/** 8 hex digits of FNV-1a: enough to keep two mapped names apart. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The most a chat request may carry (text and images), checked before anything is mapped or sent. */
export const MAX_CHAT_REQUEST_BYTES = 20 * 1024 * 1024;
/** Bedrock's limit for one image in a Converse request. */
const MAX_IMAGE_BYTES = CONVERSE_LIMITS.imageBytes;

function block(part: ChatPart, names: ToolNameMap): ContentBlock | undefined {
  switch (part.kind) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'toolCall':
      return {
        toolUse: { toolUseId: names.id(part.callId), name: names.name(part.name), input: (part.input ?? {}) as never },
      };
    case 'toolResult':
      return {
        toolResult: {
          toolUseId: names.id(part.callId),
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
      if (part.data.byteLength > MAX_IMAGE_BYTES)
        throw new BedrockError(
          'Validation',
          `${PROMPT_RULES.imageTooLarge('An image in the chat', part.data.byteLength)} Send a smaller one.`,
        );
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
  names: ToolNameMap = new ToolNameMap(),
): ConverseRequest {
  const size = requestBytes(messages);
  if (size > MAX_CHAT_REQUEST_BYTES)
    throw new BedrockError(
      'Validation',
      `The chat request holds ${(size / 1024 / 1024).toFixed(0)} MB; at most ${MAX_CHAT_REQUEST_BYTES / 1024 / 1024} MB is sent to Bedrock in one request. Start a new chat, or attach less.`,
    );
  const system: { text: string }[] = [];
  const turns: NeutralTurn[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      for (const p of m.parts) if (p.kind === 'text' && p.text.trim() !== '') system.push({ text: p.text });
      continue;
    }
    const content = m.parts.map((p) => block(p, names)).filter((b): b is ContentBlock => b !== undefined);
    appendTurn(turns, { role: m.role, content });
  }
  if (turns.length === 0) throw new BedrockError('Validation', 'The chat request has no message to send.');
  if (turns[0].role !== 'user') {
    throw new BedrockError(
      'Validation',
      'Bedrock needs the conversation to start with a user message; this one starts with the model.',
    );
  }
  const tools = opts.tools ?? [];
  return converseRequest({
    modelId,
    system,
    turns,
    inference: { maxTokens: opts.maxTokens, temperature: opts.temperature },
    tools:
      tools.length > 0
        ? {
            specs: tools.map((t): Tool => ({
              toolSpec: {
                name: names.name(t.name),
                description: t.description || t.name,
                inputSchema: { json: (t.inputSchema ?? { type: 'object', properties: {} }) as never },
              },
            })),
            choice:
              opts.toolMode === 'required'
                ? tools.length === 1
                  ? { tool: names.name(tools[0].name) }
                  : 'any'
                : undefined,
          }
        : undefined,
  });
}

/** The bytes a chat's parts carry, as UTF-8. */
function requestBytes(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages)
    for (const p of m.parts) {
      if (p.kind === 'text') n += Buffer.byteLength(p.text);
      else if (p.kind === 'image') n += p.data.byteLength;
      else if (p.kind === 'toolResult') for (const t of p.texts) n += Buffer.byteLength(t);
      else n += Buffer.byteLength(JSON.stringify(p.input ?? {}));
    }
  return n;
}

/** A rough count for text when the service cannot count (4 characters a token, as the estimates use). */
export function estimateTokens(text: string): number {
  return Math.max(1, estimateInputTokens(text.length));
}

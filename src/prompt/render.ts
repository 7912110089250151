// Renders a .prompt file into the exact Converse request, through the `dotprompt` package (so a
// prompt renders here as it does in Dotprompt and Genkit), then maps Dotprompt's messages and the
// `bedrock.*` options onto Converse and checks the rules the service enforces before anything is sent.
import type { ContentBlock, ConverseStreamCommandInput, Message, SystemContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';
import { Dotprompt, picoschema, type Part } from 'dotprompt';
import { normalizeModelRef } from '../bedrock/modelRef';
import { safeDecodeUri, splitPrompt } from './document';

/** File access the renderer needs; paths are relative to the prompt file. */
export interface PromptFiles {
  readBytes(relativePath: string): Promise<Uint8Array>;
  /** Source of `_name.prompt` beside the file, or undefined. */
  readPartial(name: string): Promise<string | undefined>;
}

export class RenderError extends Error {
  constructor(
    message: string,
    /** 1-based line in the prompt file, when known. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export type ConverseRequest = ConverseStreamCommandInput & { modelId: string };

export interface RenderResult {
  request: ConverseRequest;
  /** The inputs used (defaults merged with the given values). */
  input: Record<string, unknown>;
  /** The output format asked for in the frontmatter. */
  outputFormat?: 'text' | 'json';
  outputSchema?: unknown;
}

export const LIMITS = {
  imageBytes: 3_750_000,
  documentBytes: 4_500_000,
  imagesPerRequest: 20,
  documentsPerRequest: 5,
};

const IMAGE_TYPES: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };
const DOC_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};
const VIDEO_TYPES: Record<string, string> = { 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'video/x-matroska': 'mkv' };
const EXT_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  pdf: 'application/pdf', csv: 'text/csv', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html', htm: 'text/html', txt: 'text/plain', md: 'text/markdown', mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
};

export function contentTypeOf(url: string, explicit?: string): string | undefined {
  if (explicit) return explicit.toLowerCase();
  const data = /^data:([^;,]+)/.exec(url);
  if (data) return data[1].toLowerCase();
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return ext ? EXT_TYPES[ext] : undefined;
}

/** Values the template uses that have no default and were not given: a Run asks for these. */
export function missingInputs(declared: Iterable<string>, used: Iterable<string>, given: Record<string, unknown>, defaults: Record<string, unknown>): string[] {
  const names = new Set([...declared, ...used]);
  return [...names].filter((n) => !(n in given) && !(n in defaults));
}

export interface RenderOptions {
  defaultModel?: string;
  /** Refuse a conversation whose last user turn is empty (a run needs the next message). Default true. */
  requireUserMessage?: boolean;
}

export async function renderPrompt(text: string, input: Record<string, unknown>, files: PromptFiles, options: RenderOptions = {}): Promise<RenderResult> {
  return (await compilePrompt(text, files, options))(input);
}

/**
 * Parses and compiles a prompt once, for many renders (a batch run renders it once per row): the
 * frontmatter, the Handlebars template, partials and tool schemas are done here, not per row.
 */
export async function compilePrompt(text: string, files: PromptFiles, options: RenderOptions = {}): Promise<(input: Record<string, unknown>) => Promise<RenderResult>> {
  const source = splitPrompt(text);
  if (source.frontmatter && !source.frontmatter.closed) throw new RenderError('The frontmatter is not closed: add a line with `---` after the YAML.', 1);
  const dp = new Dotprompt({
    partialResolver: async (name) => {
      const partial = await files.readPartial(name);
      if (partial === undefined) throw new RenderError(`Unknown partial \`${name}\`: create \`_${name}.prompt\` beside this file.`);
      // As in Dotprompt, a partial is template text only: no frontmatter parsing.
      return partial;
    },
  });
  let parsed;
  try {
    parsed = dp.parse(text);
  } catch (err) {
    throw new RenderError(`The frontmatter is not valid YAML: ${String(err)}`, 1);
  }
  const raw = (parsed.raw ?? {}) as Record<string, unknown>;
  const modelRaw = (parsed.model as string | undefined) ?? options.defaultModel;
  if (!modelRaw) throw new RenderError('The prompt names no model: add `model: <model id>` to the frontmatter (the Models view has a "Use in current prompt" action).', 2);
  // Tools are declared in `toolDefs` in the file itself; Dotprompt resolves `tools` names against them.
  const toolDefs = (Array.isArray(raw.toolDefs) ? raw.toolDefs : []) as { name: string; description?: string; inputSchema?: unknown }[];
  for (const def of toolDefs) if (def?.name) dp.defineTool({ name: def.name, description: def.description ?? '', inputSchema: (def.inputSchema ?? {}) as never });

  const toolNames = (Array.isArray(parsed.tools) ? parsed.tools : []) as string[];
  const toolSpecs: Tool[] = [];
  for (const name of toolNames) {
    const def = toolDefs.find((d) => d.name === name);
    if (!def) throw new RenderError(`Tool \`${name}\` is listed in \`tools\` but not defined in \`toolDefs\`.`);
    toolSpecs.push({ toolSpec: { name, description: def.description || name, inputSchema: { json: (await toJsonSchema(def.inputSchema)) as never } } });
  }
  const output = parsed.output as { format?: string; schema?: unknown } | undefined;
  const outputSchema = output?.schema !== undefined ? await toJsonSchema(output.schema) : undefined;
  const templateError = (err: unknown): RenderError => {
    if (err instanceof RenderError) return err;
    const message = err instanceof Error ? err.message : String(err);
    const line = /line (\d+)/.exec(message)?.[1];
    return new RenderError(`The template could not be rendered: ${message.split('\n')[0]}`, line ? Number(line) + lineOffset(text, source.bodyStart) : undefined);
  };
  const template = await dp.compile(parsed).catch((err: unknown) => {
    throw templateError(err);
  });

  return async (input) => {
    const defaults = ((parsed.input as { default?: Record<string, unknown> } | undefined)?.default ?? {}) as Record<string, unknown>;
    const merged = { ...defaults, ...input };

    let rendered;
    try {
      rendered = await template({ input: merged });
    } catch (err) {
      throw templateError(err);
    }

    const system: SystemContentBlock[] = [];
    const messages: Message[] = [];
    let images = 0;
    let documents = 0;
    for (const m of rendered.messages) {
      const content: ContentBlock[] = [];
      for (const part of m.content as Part[]) {
        if ('text' in part && typeof part.text === 'string') {
          content.push({ text: part.text });
        } else if ('media' in part && part.media) {
          const block = await mediaBlock(part.media.url, part.media.contentType, files);
          if ('image' in block) images++;
          if ('document' in block) documents++;
          content.push(block);
        }
      }
      const trimmed = trimText(content);
      if (m.role === 'system') {
        if (trimmed.some((b) => !('text' in b))) throw new RenderError('A system section can hold only text: move media into a user turn.');
        system.push(...(trimmed as SystemContentBlock[]));
        continue;
      }
      const role = m.role === 'model' ? 'assistant' : m.role === 'user' ? 'user' : undefined;
      if (!role) throw new RenderError(`Unknown role "${m.role}": use system, user or model.`);
      if (trimmed.length === 0) continue;
      messages.push({ role, content: trimmed });
    }
    if (images > LIMITS.imagesPerRequest) throw new RenderError(`Bedrock takes at most ${LIMITS.imagesPerRequest} images per request; this prompt has ${images}.`);
    if (documents > LIMITS.documentsPerRequest) throw new RenderError(`Bedrock takes at most ${LIMITS.documentsPerRequest} documents per request; this prompt has ${documents}.`);
    // An empty last user turn is where the next message goes (a run appends one): Dotprompt drops it, so
    // the conversation would end with the model's turn. Ask for the message instead of sending that.
    const roleMarkers = [...source.body.matchAll(/\{\{~?\s*role\s+["'](\w+)["']\s*~?\}\}/g)];
    if (options.requireUserMessage !== false && roleMarkers.at(-1)?.[1] === 'user' && messages.at(-1)?.role === 'assistant') {
      throw new RenderError('The last user turn is empty: type your next message below the last `{{role "user"}}`, then run again.');
    }
    checkConversation(messages);

    const ref = normalizeModelRef(modelRaw);
    const request: ConverseRequest = { modelId: ref.modelId, messages };
    if (system.length > 0) request.system = system;

    const config = (parsed.config ?? {}) as Record<string, unknown>;
    const inference: NonNullable<ConverseRequest['inferenceConfig']> = {};
    if (typeof config.temperature === 'number') inference.temperature = config.temperature;
    if (typeof config.maxOutputTokens === 'number') inference.maxTokens = config.maxOutputTokens;
    if (typeof config.topP === 'number') inference.topP = config.topP;
    if (Array.isArray(config.stopSequences)) inference.stopSequences = config.stopSequences.map(String);
    if (Object.keys(inference).length > 0) request.inferenceConfig = inference;

    const additional: Record<string, unknown> = { ...((raw['bedrock.additionalModelRequestFields'] as Record<string, unknown>) ?? {}) };
    for (const [k, v] of Object.entries(config)) {
      if (['temperature', 'maxOutputTokens', 'topP', 'stopSequences', 'topK'].includes(k)) continue;
      additional[k] = v; // Dotprompt's config is model-specific: unknown keys go to the model as-is.
    }
    if (typeof config.topK === 'number') Object.assign(additional, topKField(ref.baseModelId ?? ref.modelId, config.topK, additional));
    const reasoning = raw['bedrock.reasoning'] as { budgetTokens?: number; effort?: string } | undefined;
    if (reasoning) Object.assign(additional, reasoningFields(ref.baseModelId ?? ref.modelId, reasoning));
    if (Object.keys(additional).length > 0) request.additionalModelRequestFields = additional as never;

    const paths = raw['bedrock.additionalModelResponseFieldPaths'];
    if (Array.isArray(paths)) request.additionalModelResponseFieldPaths = paths.map(String);

    const guardrail = raw['bedrock.guardrail'] as Record<string, unknown> | undefined;
    if (guardrail) {
      request.guardrailConfig = {
        guardrailIdentifier: String(guardrail.identifier ?? ''),
        guardrailVersion: String(guardrail.version ?? 'DRAFT'),
        ...(guardrail.trace ? { trace: String(guardrail.trace) as never } : {}),
        ...(guardrail.streamProcessingMode ? { streamProcessingMode: String(guardrail.streamProcessingMode) as never } : {}),
      };
    }
    const perf = raw['bedrock.performanceConfig'] as { latency?: string } | undefined;
    if (perf?.latency) request.performanceConfig = { latency: perf.latency as never };
    const tier = raw['bedrock.serviceTier'];
    if (typeof tier === 'string') request.serviceTier = { type: tier as never };
    const meta = raw['bedrock.requestMetadata'] as Record<string, unknown> | undefined;
    if (meta) request.requestMetadata = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));

    if (toolNames.length > 0) {
      const tools: Tool[] = structuredClone(toolSpecs);
      const choice = raw['bedrock.toolChoice'];
      request.toolConfig = { tools };
      if (choice === 'any') request.toolConfig.toolChoice = { any: {} };
      else if (typeof choice === 'string' && choice !== 'auto' && choice !== 'none') request.toolConfig.toolChoice = { tool: { name: choice } };
      else if (choice === 'auto') request.toolConfig.toolChoice = { auto: {} };
    }

    const cachePoints = Array.isArray(raw['bedrock.cachePoints']) ? (raw['bedrock.cachePoints'] as string[]) : [];
    if (cachePoints.includes('system') && request.system) request.system.push({ cachePoint: { type: 'default' } });
    if (cachePoints.includes('tools') && request.toolConfig?.tools) request.toolConfig.tools.push({ cachePoint: { type: 'default' } });
    if (cachePoints.includes('messages') && messages.length > 0) messages[messages.length - 1].content?.push({ cachePoint: { type: 'default' } });

    if (output?.format === 'json') {
      const last = messages[messages.length - 1];
      const instruction = outputSchema
        ? `Respond with JSON only, no prose, conforming to this JSON schema:\n${JSON.stringify(outputSchema)}`
        : 'Respond with JSON only, no prose.';
      if (last?.role === 'user') last.content?.push({ text: instruction });
    }
    return { request, input: merged, outputFormat: output?.format === 'json' ? 'json' : output?.format === 'text' ? 'text' : undefined, outputSchema };
  };
}

async function toJsonSchema(schema: unknown): Promise<unknown> {
  if (schema === undefined || schema === null) return { type: 'object', properties: {} };
  return picoschema(schema);
}

function topKField(modelId: string, topK: number, existing: Record<string, unknown>): Record<string, unknown> {
  if (modelId.startsWith('amazon.nova')) return { inferenceConfig: { ...((existing.inferenceConfig as object) ?? {}), topK } };
  if (modelId.startsWith('cohere.')) return { k: topK };
  return { top_k: topK };
}

function reasoningFields(modelId: string, r: { budgetTokens?: number; effort?: string }): Record<string, unknown> {
  if (modelId.startsWith('anthropic.')) return { thinking: { type: 'enabled', budget_tokens: r.budgetTokens ?? 1024 } };
  if (modelId.startsWith('amazon.nova')) return { reasoningConfig: { type: 'enabled', maxReasoningEffort: r.effort ?? 'medium' } };
  if (modelId.startsWith('openai.')) return { reasoning_effort: r.effort ?? 'medium' };
  return {};
}

/** Trims whitespace at the edges of a message and drops blank text blocks (Bedrock rejects them). */
function trimText(content: ContentBlock[]): ContentBlock[] {
  const out = content.map((b) => ('text' in b && typeof b.text === 'string' ? { text: b.text } : b));
  const firstText = out.findIndex((b) => 'text' in b);
  if (firstText >= 0) (out[firstText] as { text: string }).text = (out[firstText] as { text: string }).text.replace(/^\s+/, '');
  for (let i = out.length - 1; i >= 0; i--) {
    if ('text' in out[i]) {
      (out[i] as { text: string }).text = (out[i] as { text: string }).text.replace(/\s+$/, '');
      break;
    }
  }
  return out.filter((b) => !('text' in b) || (typeof b.text === 'string' && b.text.trim() !== ''));
}

function checkConversation(messages: Message[]): void {
  if (messages.length === 0) throw new RenderError('The prompt has no user message: add text after `{{role "user"}}` (or after the frontmatter).');
  if (messages[0].role !== 'user') throw new RenderError('The conversation must start with a user turn: add `{{role "user"}}` and text before the first `{{role "model"}}`.');
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw new RenderError(`Two ${messages[i].role === 'assistant' ? 'model' : 'user'} turns follow each other (turns ${i} and ${i + 1}): Bedrock needs user and model turns to alternate.`);
    }
  }
}

async function mediaBlock(url: string, explicitType: string | undefined, files: PromptFiles): Promise<ContentBlock> {
  const type = contentTypeOf(url, explicitType);
  if (/^https?:\/\//i.test(url)) throw new RenderError(`Bedrock cannot fetch ${url}: save it in the workspace and use its path, or use an s3:// URI.`);
  if (!type) throw new RenderError(`Cannot tell the type of ${url}: add contentType="image/png" (or application/pdf, …).`);
  const s3 = url.startsWith('s3://') ? { s3Location: { uri: url } } : undefined;
  let bytes: Uint8Array | undefined;
  if (!s3) {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      bytes = /;base64/.test(url.slice(0, comma)) ? Buffer.from(url.slice(comma + 1), 'base64') : Buffer.from(decodeURIComponent(url.slice(comma + 1)));
    } else {
      try {
        bytes = await files.readBytes(safeDecodeUri(url));
      } catch {
        throw new RenderError(`Media file ${url} could not be read (paths are relative to the prompt file).`);
      }
    }
  }
  const source = (s3 ?? { bytes }) as never;
  if (IMAGE_TYPES[type]) {
    if (bytes && bytes.length > LIMITS.imageBytes) throw new RenderError(`${url} is ${(bytes.length / 1e6).toFixed(1)} MB; Bedrock takes images up to 3.75 MB.`);
    return { image: { format: IMAGE_TYPES[type], source } };
  }
  if (DOC_TYPES[type]) {
    if (bytes && bytes.length > LIMITS.documentBytes) throw new RenderError(`${url} is ${(bytes.length / 1e6).toFixed(1)} MB; Bedrock takes documents up to 4.5 MB.`);
    return { document: { format: DOC_TYPES[type] as never, name: documentName(url), source } };
  }
  if (VIDEO_TYPES[type]) return { video: { format: VIDEO_TYPES[type] as never, source } };
  throw new RenderError(`${type} is not a media type Bedrock's Converse API takes (images: png, jpeg, gif, webp; documents: pdf, csv, doc(x), xls(x), html, txt, md).`);
}

/** Document names may hold letters, digits, single spaces, hyphens, parentheses and square brackets. */
function documentName(url: string): string {
  const base = (safeDecodeUri(url).split(/[\\/]/).pop() ?? 'document').replace(/\.[^.]+$/, '');
  return base.replace(/[^a-zA-Z0-9 \-()[\]]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200) || 'document';
}

function lineOffset(text: string, bodyStart: number): number {
  return text.slice(0, bodyStart).split('\n').length - 1;
}

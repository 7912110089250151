// Renders a .prompt file into the exact Converse request, through the `dotprompt` package (so a
// prompt renders here as it does in Dotprompt and Genkit), then maps Dotprompt's messages and the
// `bedrock.*` options onto Converse and checks the rules the service enforces before anything is sent.
import { appendTurn, converseRequest, type ConverseRequest } from './converseRequest';
import { CONVERSE_LIMITS, PROMPT_RULES } from './rules';
import type { ContentBlock, SystemContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';
import { randomBytes } from 'node:crypto';
import { Dotprompt, picoschema } from 'dotprompt';
import Handlebars from './handlebars';
import { parse as parseYaml } from 'yaml';
import { reasoningFields, supportsStructuredOutput, topKFields } from '../models/registry';
import { normalizeModelRef } from '../models/modelRef';
import { refuseForbiddenKeys } from '../shared/inertData';
import { unescapeMarkers } from './conversation';
import { partialAnswerLine } from './conversationReader';
import { documentName, safeDecodeUri, splitPrompt, type PromptSource } from './document';
import { MAX_FRONTMATTER_CHARS, templateBounds, templateSyntaxError } from './templatePieces';
import { firstHelperCallProblem, KNOWN_HELPERS } from './templateScope';
import {
  knowledgeBaseSetting,
  passageBlocks,
  type KnowledgeBaseSetting,
  type Passage,
  type Retrieval,
} from './knowledgeBase';
import { agentSetting, type AgentSetting } from './agent';

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

export type { ConverseRequest };

export interface RenderResult {
  request: ConverseRequest;
  /** The request before the output format is applied for a model (see requestForModel). */
  baseRequest: ConverseRequest;
  /** The inputs used (defaults merged with the given values). */
  input: Record<string, unknown>;
  /** The output format asked for in the frontmatter. */
  outputFormat?: 'text' | 'json';
  outputSchema?: unknown;
  /** Whether the request asks Converse for native structured output (else the schema is an instruction). */
  structuredOutput?: boolean;
  /** The prompt's knowledge base (`bedrock.knowledgeBase`): the engine retrieves, then renders again with the passages. */
  knowledgeBase?: KnowledgeBaseSetting;
  /** The prompt's agent (`bedrock.agent`): an AgentCore harness answers instead of Converse. */
  agent?: AgentSetting;
  /** What was retrieved for this render (set by the engine's retrieval, src/app/retrieval.ts). */
  retrieval?: Retrieval;
}

/** A compiled prompt: rendered per input; `passages` are what its knowledge base returned (`@passages`). */
export type CompiledPrompt = (input: Record<string, unknown>, passages?: readonly Passage[]) => Promise<RenderResult>;

const LIMITS = CONVERSE_LIMITS;

const IMAGE_TYPES: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
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
const VIDEO_TYPES: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
};
const EXT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html',
  htm: 'text/html',
  txt: 'text/plain',
  md: 'text/markdown',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
};

function contentTypeOf(url: string, explicit?: string): string | undefined {
  if (explicit) return explicit.toLowerCase();
  const data = /^data:([^;,]+)/.exec(url);
  if (data) return data[1].toLowerCase();
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return ext ? EXT_TYPES[ext] : undefined;
}

export interface RenderOptions {
  defaultModel?: string;
  /** Refuse a conversation whose last user turn is empty (a run needs the next message). Default true. */
  requireUserMessage?: boolean;
}

/**
 * A prompt file as a training example: refused (at the marker's line) when it holds a partial answer, and
 * no next user message is needed.
 */
export async function renderForDataset(text: string, files: PromptFiles): Promise<ConverseRequest> {
  const partial = partialAnswerLine(text);
  if (partial !== undefined)
    throw new RenderError(
      'This conversation holds a partial (stopped or failed) answer; finish or remove it before training on it.',
      partial,
    );
  const rendered = await renderPrompt(text, {}, files, { requireUserMessage: false });
  if (rendered.knowledgeBase)
    throw new RenderError(
      'This prompt retrieves from a knowledge base (`bedrock.knowledgeBase`), and a dataset is built without calling AWS: save runs of it as conversations (the model turns written into the file), or remove the key.',
      2,
    );
  return rendered.request;
}

export async function renderPrompt(
  text: string,
  input: Record<string, unknown>,
  files: PromptFiles,
  options: RenderOptions = {},
): Promise<RenderResult> {
  return (await compilePrompt(text, files, options))(input);
}

/**
 * Parses and compiles a prompt once, for many renders (a batch run renders it once per row): the
 * frontmatter, the Handlebars template, partials and tool schemas are done here, not per row.
 */
export async function compilePrompt(
  text: string,
  files: PromptFiles,
  options: RenderOptions = {},
): Promise<CompiledPrompt> {
  text = text.replace(/^\uFEFF/, ''); // a byte order mark would hide the frontmatter
  const source = splitPrompt(text);
  if (source.frontmatter && !source.frontmatter.closed) throw new RenderError(PROMPT_RULES.unclosedFrontmatter, 1);
  if ((source.frontmatter?.text.length ?? 0) > MAX_FRONTMATTER_CHARS)
    throw new RenderError(`The frontmatter is over ${MAX_FRONTMATTER_CHARS / 1024} KB: move data out of it.`, 1);
  const parsed = parseSource(source);
  const bound = templateBounds(source.body);
  if (bound) throw new RenderError(bound.message, lineOf(text, source.bodyStart + bound.start));
  // Structure (roles, media, history, sections, tool turns) comes only from this compile's helpers, as
  // markers no text can spell (a nonce). Text that spells a Dotprompt marker, in the template, a partial
  // or a value, is sent as the text it is.
  const partialSources = new Map<string, string>();
  const dp = new Dotprompt({
    partialResolver: async (name) => {
      let partial: string | undefined;
      try {
        partial = await files.readPartial(name);
      } catch (err) {
        throw new RenderError(`Partial \`${name}\`: ${(err as Error).message}`);
      }
      if (partial === undefined) throw new RenderError(PROMPT_RULES.unknownPartial(name));
      // As in Dotprompt, a partial is template text only: no frontmatter parsing.
      partialSources.set(name, partial);
      return unescapeMarkers(partial);
    },
  });
  // Dotprompt trims the template: template line 1 is the body's first non-blank line.
  const bodyLead = source.frontmatter ? source.body.slice(0, source.body.length - source.body.trimStart().length) : '';
  const firstTemplateLine = lineOffset(text, source.bodyStart) + (bodyLead.match(/\n/g)?.length ?? 0);
  const fileLine = (templateLine: number | undefined) =>
    templateLine === undefined ? undefined : templateLine + firstTemplateLine;
  const turns = turnHelpers(dp, fileLine);

  const raw = parsed.raw;
  if (raw.model !== undefined && typeof raw.model !== 'string')
    throw new RenderError('`model` must be a model id (text), for example `model: amazon.nova-lite-v1:0`.', 2);
  const modelRaw = (raw.model as string | undefined) || options.defaultModel;
  if (!modelRaw)
    throw new RenderError(
      'The prompt names no model: add `model: <model id>` to the frontmatter (the Models view has a "Use in current prompt" action).',
      2,
    );
  // Tools are declared in `toolDefs` in the file itself; Dotprompt resolves `tools` names against them.
  const toolDefs = (Array.isArray(raw.toolDefs) ? raw.toolDefs : []) as {
    name: string;
    description?: string;
    inputSchema?: unknown;
    strict?: boolean;
  }[];
  for (const def of toolDefs)
    if (def?.name)
      dp.defineTool({
        name: def.name,
        description: def.description ?? '',
        inputSchema: (def.inputSchema ?? {}) as never,
      });

  const toolNames = (Array.isArray(raw.tools) ? raw.tools : []) as string[];
  const toolSpecs: Tool[] = [];
  for (const name of toolNames) {
    const def = toolDefs.find((d) => d.name === name);
    if (!def) throw new RenderError(PROMPT_RULES.undefinedTool(name));
    toolSpecs.push({
      toolSpec: {
        name,
        description: def.description || name,
        inputSchema: { json: (await toJsonSchema(def.inputSchema, `the inputSchema of tool \`${name}\``)) as never },
        // The model's tool calls held to the inputSchema (Converse `toolSpec.strict`).
        ...(def.strict === true ? { strict: true } : {}),
      },
    });
  }
  const output = raw.output as { format?: string; schema?: unknown } | undefined;
  const outputSchema = output?.schema !== undefined ? await toJsonSchema(output.schema, '`output.schema`') : undefined;
  const templateError = (err: unknown): RenderError => {
    if (err instanceof RenderError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError)
      return new RenderError(
        'The template could not be rendered: it recurses too deep (a partial or a value that contains itself?). Simplify it.',
      );
    const unknownHelper = /unknown helper (\S+?)(?: - (\d+):\d+)?$/m.exec(message);
    if (unknownHelper)
      return new RenderError(
        `Unknown helper \`${unknownHelper[1]}\`: Dotprompt knows ${[...KNOWN_HELPERS].filter((h) => !h.endsWith('Missing')).join(', ')}.`,
        unknownHelper[2] ? fileLine(Number(unknownHelper[2])) : undefined,
      );
    if (/^Parse error|^Lexical error|doesn't match/.test(message)) {
      const e = templateSyntaxError(parsed.template, err);
      return new RenderError(e.message, fileLine(parsed.template.slice(0, e.start).split('\n').length));
    }
    const line = /line (\d+)/.exec(message)?.[1];
    return new RenderError(
      `The template could not be rendered: ${message.split('\n')[0]}`,
      line ? fileLine(Number(line)) : undefined,
    );
  };
  // Dotprompt resolves the partials and parses the template (a syntax error is located here); the
  // template is then compiled with Dotprompt's own Handlebars and helpers, and its output split into
  // messages by `turns` rather than by Dotprompt's marker reading, which would take markers from text.
  await dp.compile({ ...parsed.prompt, template: parsed.template }).catch((err: unknown) => {
    throw templateError(err);
  });
  const misuse = firstHelperCallProblem(Handlebars.parseWithoutProcessing(parsed.template));
  if (misuse) throw new RenderError(misuse.message, fileLine(misuse.line));
  const engine = dp as unknown as { handlebars: typeof Handlebars; knownHelpers: Record<string, boolean> };
  const renderString = engine.handlebars.compile(parsed.template, {
    knownHelpers: engine.knownHelpers,
    knownHelpersOnly: true,
    noEscape: true,
  });
  refusePartialCycles(parsed.template, partialSources);
  const defaults = ((raw.input as { default?: Record<string, unknown> } | undefined)?.default ?? {}) as Record<
    string,
    unknown
  >;

  const knowledgeBase = (() => {
    try {
      return knowledgeBaseSetting(raw);
    } catch (err) {
      throw new RenderError((err as Error).message, 2);
    }
  })();
  const agent = (() => {
    try {
      return agentSetting(raw);
    } catch (err) {
      throw new RenderError((err as Error).message, 2);
    }
  })();
  if (agent && knowledgeBase?.mode === 'generate')
    throw new RenderError(
      'A prompt answered by an agent (`bedrock.agent`) cannot also be answered by its knowledge base (`mode: generate`): use `mode: retrieve`, or give the harness the knowledge base as a tool.',
      2,
    );

  return async (input, passages) => {
    const merged = checkedInput({ ...defaults, ...input });

    let renderedText: string;
    try {
      // Passages are data (`@passages`), beside the inputs rather than among them: a prompt's own input
      // named `passages` keeps its value, and none of it can become structure (see turnHelpers).
      const data = { metadata: { prompt: parsed.prompt }, passages: (passages ?? []).map((p) => ({ ...p })) };
      renderedText = renderString(merged, { data });
    } catch (err) {
      throw templateError(err);
    }

    const system: SystemContentBlock[] = [];
    const conversation: Turn[] = [];
    let images = 0;
    let documents = 0;
    for (const m of turns.messages(renderedText)) {
      const role = m.role === 'model' ? 'assistant' : m.role;
      const line = fileLine(m.line);
      const content: ContentBlock[] = [];
      for (const piece of m.parts) {
        if (typeof piece === 'string') content.push({ text: piece });
        else if (piece.kind === 'media') {
          const block = await mediaBlock(piece.url, piece.contentType, files);
          if ('image' in block) images++;
          if ('document' in block) documents++;
          content.push(block);
        } else content.push(toolBlock(piece, role, fileLine(piece.line)));
      }
      const trimmed = trimText(content);
      if (trimmed.length === 0) continue;
      if (role === 'system') {
        if (trimmed.some((b) => !('text' in b)))
          throw new RenderError('A system section can hold only text: move media into a user turn.', line);
        system.push(...(trimmed as SystemContentBlock[]));
        continue;
      }
      appendTurn(conversation, { role, content: trimmed, line });
    }
    if (images > LIMITS.imagesPerRequest)
      throw new RenderError(
        `Bedrock takes at most ${LIMITS.imagesPerRequest} images per request; this prompt has ${images}.`,
      );
    if (documents > LIMITS.documentsPerRequest)
      throw new RenderError(
        `Bedrock takes at most ${LIMITS.documentsPerRequest} documents per request; this prompt has ${documents}.`,
      );
    // An empty last user turn is where the next message goes (a run appends one): Dotprompt drops it, so
    // the conversation would end with the model's turn. Ask for the message instead of sending that.
    const lastRole = turns.lastRole();
    if (
      options.requireUserMessage !== false &&
      lastRole?.role === 'user' &&
      conversation.at(-1)?.role === 'assistant'
    ) {
      throw new RenderError(
        'The last user turn is empty: type your next message below the last `{{role "user"}}`, then run again.',
        fileLine(lastRole.line),
      );
    }
    checkConversation(conversation, toolNames.length > 0);

    const ref = normalizeModelRef(modelRaw);
    const config = (raw.config ?? {}) as Record<string, unknown>;
    const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const choice = raw['bedrock.toolChoice'];
    const request = converseRequest({
      modelId: ref.modelId,
      system,
      turns: conversation,
      inference: {
        temperature: number(config.temperature),
        maxTokens: number(config.maxOutputTokens),
        topP: number(config.topP),
        stopSequences: Array.isArray(config.stopSequences) ? config.stopSequences.map(String) : undefined,
      },
      tools:
        toolNames.length > 0
          ? {
              specs: structuredClone(toolSpecs),
              choice:
                choice === 'any' || choice === 'auto'
                  ? choice
                  : typeof choice === 'string' && choice !== 'none'
                    ? { tool: choice }
                    : undefined,
            }
          : undefined,
    });
    const messages = request.messages!;

    const additional: Record<string, unknown> = {
      ...((raw['bedrock.additionalModelRequestFields'] as Record<string, unknown>) ?? {}),
    };
    for (const [k, v] of Object.entries(config)) {
      if (['temperature', 'maxOutputTokens', 'topP', 'stopSequences', 'topK'].includes(k)) continue;
      additional[k] = v; // Dotprompt's config is model-specific: unknown keys go to the model as-is.
    }
    if (typeof config.topK === 'number') Object.assign(additional, topKFields(ref.modelId, config.topK, additional));
    const reasoning = raw['bedrock.reasoning'] as { budgetTokens?: number; effort?: string } | undefined;
    if (reasoning) Object.assign(additional, reasoningFields(ref.modelId, reasoning));
    if (Object.keys(additional).length > 0) request.additionalModelRequestFields = additional as never;

    const paths = raw['bedrock.additionalModelResponseFieldPaths'];
    if (Array.isArray(paths)) request.additionalModelResponseFieldPaths = paths.map(String);

    const guardrail = raw['bedrock.guardrail'] as Record<string, unknown> | undefined;
    if (guardrail) {
      request.guardrailConfig = {
        guardrailIdentifier: String(guardrail.identifier ?? ''),
        guardrailVersion: String(guardrail.version ?? 'DRAFT'),
        ...(guardrail.trace ? { trace: String(guardrail.trace) as never } : {}),
        ...(guardrail.streamProcessingMode
          ? { streamProcessingMode: String(guardrail.streamProcessingMode) as never }
          : {}),
      };
    }
    const perf = raw['bedrock.performanceConfig'] as { latency?: string } | undefined;
    if (perf?.latency) request.performanceConfig = { latency: perf.latency as never };
    const tier = raw['bedrock.serviceTier'];
    if (typeof tier === 'string') request.serviceTier = { type: tier as never };
    if (raw['bedrock.citations'] === true)
      for (const m of messages)
        for (const block of m.content ?? []) if (block.document) block.document.citations = { enabled: true };
    const project = raw['bedrock.project'];
    if (typeof project === 'string' && project.trim()) request.projectIdentifier = project.trim();
    const effort = raw['bedrock.effort'];
    if (typeof effort === 'string') request.outputConfig = { ...request.outputConfig, effort };
    const meta = raw['bedrock.requestMetadata'] as Record<string, unknown> | undefined;
    if (meta) request.requestMetadata = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));

    if (knowledgeBase?.attach && passages?.length) {
      const blocks = passageBlocks(passages, knowledgeBase.attach);
      const sent = messages.flatMap((m) => m.content ?? []).filter((b) => b.document).length;
      if (knowledgeBase.attach === 'documents' && sent + blocks.length > LIMITS.documentsPerRequest)
        throw new RenderError(
          `Bedrock takes at most ${LIMITS.documentsPerRequest} documents per request; attaching ${blocks.length} passage(s) as documents makes ${sent + blocks.length}. Lower \`bedrock.knowledgeBase.numberOfResults\` or attach them as \`searchResults\`.`,
          2,
        );
      // Before the question, as long-context prompting advises: the sources, then what to do with them.
      const last = messages.filter((m) => m.role === 'user').at(-1);
      if (last) last.content = [...blocks, ...(last.content ?? [])];
    }

    const cachePoints = Array.isArray(raw['bedrock.cachePoints']) ? (raw['bedrock.cachePoints'] as string[]) : [];
    if (cachePoints.includes('system') && request.system) request.system.push({ cachePoint: { type: 'default' } });
    if (cachePoints.includes('tools') && request.toolConfig?.tools)
      request.toolConfig.tools.push({ cachePoint: { type: 'default' } });
    if (cachePoints.includes('messages') && messages.length > 0)
      messages[messages.length - 1].content?.push({ cachePoint: { type: 'default' } });

    const outputFormat = output?.format === 'json' ? 'json' : output?.format === 'text' ? 'text' : undefined;
    const base: RenderResult = {
      request,
      baseRequest: request,
      input: merged,
      outputFormat,
      outputSchema,
      ...(knowledgeBase ? { knowledgeBase } : {}),
      ...(agent ? { agent } : {}),
    };
    return requestForModel(base, ref.modelId);
  };
}

/**
 * The render's request for a model (the file's, or another one: Compare's columns, "run with this
 * model", a test profile). JSON output is asked for natively (`outputConfig`) where the model has
 * structured output, else as an instruction after the last user message.
 */
export function requestForModel(result: RenderResult, modelRef: string): RenderResult {
  const base = result.baseRequest;
  const modelId = normalizeModelRef(modelRef).modelId;
  const request: ConverseRequest = { ...base, modelId };
  let structuredOutput = false;
  if (result.outputFormat === 'json') {
    if (result.outputSchema !== undefined && supportsStructuredOutput(modelId)) {
      structuredOutput = true;
      request.outputConfig = {
        ...base.outputConfig,
        textFormat: {
          type: 'json_schema',
          structure: {
            jsonSchema: {
              schema: JSON.stringify(result.outputSchema),
              name: 'response',
              description: "The answer, as the prompt's output.schema describes it",
            },
          },
        },
      } as never;
    } else {
      const instruction = result.outputSchema
        ? `Respond with JSON only, no prose, conforming to this JSON schema:\n${JSON.stringify(result.outputSchema)}`
        : 'Respond with JSON only, no prose.';
      const messages = base.messages ?? [];
      const last = messages.at(-1);
      if (last?.role === 'user')
        request.messages = [
          ...messages.slice(0, -1),
          { ...last, content: [...(last.content ?? []), { text: instruction }] },
        ];
    }
  }
  return { ...result, request, structuredOutput };
}

interface Turn {
  role: 'user' | 'assistant';
  content: ContentBlock[];
  /** 1-based line of the turn's `{{role}}` in the file, when it has one. */
  line?: number;
}

type ToolSlot = {
  kind: 'toolUse' | 'toolResult';
  id?: string;
  name?: string;
  status?: string;
  body: string;
  line?: number;
};
type TurnSlot =
  | { kind: 'role'; role: 'user' | 'model' | 'system'; line?: number }
  | { kind: 'history' }
  | { kind: 'section' }
  | { kind: 'media'; url: string; contentType?: string }
  | ToolSlot;

interface RenderedMessage {
  role: 'user' | 'model' | 'system';
  parts: (string | Exclude<TurnSlot, { kind: 'role' | 'history' | 'section' }>)[];
  /** Template line of the turn's `{{role}}`, when it has one. */
  line?: number;
}

const ROLES: ReadonlySet<string> = new Set(['user', 'model', 'system']);

/**
 * Dotprompt's structure helpers (`role`, `media`, `history`, `section`) and the `toolUse` / `toolResult`
 * block helpers, each leaving a marker only this compile knows (a random nonce): no text, whether the
 * template's own, a value's or a model answer's, nor text completed by a value, can forge a turn, a
 * media read or a tool turn. `messages()` splits the rendered text at those markers only, as Dotprompt's
 * `toMessages` does at its own (a role tag before any text changes the first turn's role).
 */
function turnHelpers(
  dp: Dotprompt,
  fileLine: (templateLine: number | undefined) => number | undefined,
): {
  messages(text: string): RenderedMessage[];
  lastRole(): { role: string; line?: number } | undefined;
} {
  const nonce = randomBytes(12).toString('hex');
  const slots = new Map<number, TurnSlot>();
  let next = 0;
  let lastRole: { role: string; line?: number } | undefined;
  const marker = (slot: TurnSlot) => {
    const k = next++;
    slots.set(k, slot);
    return `\u0000bpl${nonce}:${k}\u0000`;
  };
  type Options = Handlebars.HelperOptions & { loc?: { start: { line: number } } };
  const lineOf = (options: Options | undefined) => options?.loc?.start.line;
  dp.defineHelper('role', (role: unknown, options: Options) => {
    if (typeof role !== 'string' || !ROLES.has(role))
      throw new RenderError(
        typeof role === 'string'
          ? `\`{{role}}\` takes "user", "model" or "system", not ${JSON.stringify(role).slice(0, 80)}: check the value it is given.`
          : '`{{role}}` takes "user", "model" or "system": write `{{role "user"}}` (a value of one of the three also works).',
        fileLine(lineOf(options)),
      );
    return marker({ kind: 'role', role: role as 'user' | 'model' | 'system', line: lineOf(options) });
  });
  dp.defineHelper('history', () => marker({ kind: 'history' }));
  dp.defineHelper('section', () => marker({ kind: 'section' }));
  dp.defineHelper('media', (options: Options) => {
    const hash = (options?.hash ?? {}) as Record<string, unknown>;
    const contentType = typeof hash.contentType === 'string' && hash.contentType ? hash.contentType : undefined;
    return marker({ kind: 'media', url: String(hash.url ?? ''), contentType });
  });
  for (const kind of ['toolUse', 'toolResult'] as const) {
    dp.defineHelper(kind, function (this: unknown, options: Options) {
      const hash = (options?.hash ?? {}) as Record<string, unknown>;
      const body = typeof options?.fn === 'function' ? options.fn(this) : '';
      const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
      return marker({
        kind,
        id: str(hash.id),
        name: str(hash.name),
        status: str(hash.status),
        body,
        line: lineOf(options),
      });
    });
  }
  const pattern = new RegExp(`\\u0000bpl${nonce}:(\\d+)\\u0000`, 'g');
  return {
    messages(text) {
      lastRole = undefined;
      let current: RenderedMessage = { role: 'user', parts: [] };
      const out = [current];
      const hasContent = (m: RenderedMessage) => m.parts.some((p) => typeof p !== 'string' || p.trim() !== '');
      let at = 0;
      // As in Dotprompt, blank text between two markers is layout, not a part.
      const addText = (t: string) => {
        if (t.trim() !== '') current.parts.push(t);
      };
      for (const m of text.matchAll(pattern)) {
        addText(text.slice(at, m.index));
        at = m.index + m[0].length;
        const k = Number(m[1]);
        const slot = slots.get(k);
        slots.delete(k);
        if (!slot) continue;
        if (slot.kind === 'role') {
          lastRole = { role: slot.role, line: slot.line };
          if (hasContent(current)) out.push((current = { role: slot.role, parts: [], line: slot.line }));
          else Object.assign(current, { role: slot.role, line: slot.line });
        } else if (slot.kind === 'history') {
          // Dotprompt puts the history (none is given here) and then opens a model turn.
          out.push((current = { role: 'model', parts: [] }));
        } else if (slot.kind !== 'section') current.parts.push(slot);
        // A section is a placeholder Dotprompt leaves for the caller; Converse has nothing for it.
      }
      addText(text.slice(at));
      slots.clear();
      return out;
    },
    lastRole: () => lastRole,
  };
}

function toolBlock(slot: ToolSlot, role: string | undefined, line: number | undefined): ContentBlock {
  const where = line ? ` (line ${line})` : '';
  if (!slot.id || !/^[a-zA-Z0-9_.:-]{1,64}$/.test(slot.id))
    throw new RenderError(`\`{{#${slot.kind}}}\`${where} needs \`id="…"\`: 1–64 letters, digits, _ . : or -.`, line);
  const body = slot.body.trim();
  if (slot.kind === 'toolUse') {
    if (role !== 'assistant')
      throw new RenderError(`A tool call${where} belongs in a model turn: put it after \`{{role "model"}}\`.`, line);
    if (!slot.name)
      throw new RenderError(`The tool call \`${slot.id}\`${where} needs \`name="…"\` (the tool's name).`, line);
    let input: unknown = {};
    if (body) {
      try {
        input = JSON.parse(body);
      } catch (err) {
        throw new RenderError(
          `The input of tool call \`${slot.name}\`${where} is not JSON (${(err as Error).message}): write a JSON object between the tags.`,
          line,
        );
      }
    }
    return { toolUse: { toolUseId: slot.id, name: slot.name, input: input as never } };
  }
  if (role !== 'user')
    throw new RenderError(`A tool result${where} belongs in a user turn: put it after \`{{role "user"}}\`.`, line);
  if (!body)
    throw new RenderError(
      `Write the result of tool call \`${slot.id}\` between \`{{#toolResult id="${slot.id}"}}\` and \`{{/toolResult}}\`${where}: JSON, or plain text. Then run again.`,
      line,
    );
  if (slot.status !== undefined && slot.status !== 'success' && slot.status !== 'error')
    throw new RenderError(
      `\`status\` of a tool result${where} is \`success\` or \`error\`, not \`${slot.status}\`.`,
      line,
    );
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  const content =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? [{ json: value as never }]
      : [{ text: body }];
  return { toolResult: { toolUseId: slot.id, content, ...(slot.status ? { status: slot.status as never } : {}) } };
}

const MAX_INPUT_NODES = 200_000;

/**
 * Input values are data, sent as the bytes they are: checked (not changed) so that no key reaches a
 * prototype, nothing nests too deep and the total stays bounded.
 */
function checkedInput(value: Record<string, unknown>): Record<string, unknown> {
  try {
    refuseForbiddenKeys(value, 'An input value');
  } catch (err) {
    throw new RenderError((err as Error).message);
  }
  let nodes = 0;
  const count = (v: unknown): void => {
    if (++nodes > MAX_INPUT_NODES)
      throw new RenderError(
        `The input values hold more than ${MAX_INPUT_NODES.toLocaleString('en-US')} items: pass less data (or a file) to the prompt.`,
      );
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof Date) return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) count(x);
  };
  count(value);
  return value;
}

/** A partial that includes itself, directly or through others, would recurse until the stack overflows. */
function refusePartialCycles(template: string, partials: Map<string, string>): void {
  const includes = (text: string) => [...text.matchAll(/\{\{~?#?>\s*([^\s}~()]+)/g)].map((m) => m[1]);
  const visit = (name: string, chain: string[]) => {
    if (chain.includes(name))
      throw new RenderError(
        `Partial \`${name}\` includes itself (${[...chain.slice(chain.indexOf(name)), name].join(' → ')}): rendering it would never end.`,
      );
    const source = partials.get(name);
    if (source !== undefined) for (const next of includes(source)) visit(next, [...chain, name]);
  };
  for (const name of includes(template)) visit(name, []);
}

/** Dotprompt's fields of the frontmatter (the rest, `bedrock.*` included, is read from `raw`). */
const PROMPT_FIELDS = [
  'name',
  'variant',
  'version',
  'description',
  'model',
  'tools',
  'toolDefs',
  'config',
  'input',
  'output',
  'metadata',
];

interface ParsedSource {
  /** The frontmatter as parsed: its keys were checked at every depth. */
  raw: Record<string, unknown>;
  /** Dotprompt's own fields, for `@metadata.prompt` in templates. */
  prompt: Record<string, unknown>;
  template: string;
}

/**
 * The frontmatter, read here rather than by Dotprompt: broken YAML is a located error (Dotprompt would
 * log it and take the whole file as the template), and keys that would reach a prototype are refused
 * after the YAML parser has read them (escapes such as `"\x5f_proto__"` hide them from the text) at
 * every depth, before any object is built from them. Dotprompt's own parse is never used: it expands
 * dotted keys into objects (`__proto__.x` would set `Object.prototype.x`).
 */
function parseSource(source: PromptSource): ParsedSource {
  const yamlText = source.frontmatter?.text;
  let data: unknown = undefined;
  if (yamlText) {
    try {
      data = parseYaml(yamlText, { maxAliasCount: 100, logLevel: 'error' });
    } catch (err) {
      const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      throw new RenderError(
        `The frontmatter is not valid YAML: ${String((err as Error).message)
          .split('\n')[0]
          .replace(/ at line \d+, column \d+:?$/, '')}.`,
        line === undefined ? 1 : line + 1,
      );
    }
  }
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data)))
    throw new RenderError(
      'The frontmatter must be YAML keys and values (`model: …`), not a single value or a list.',
      2,
    );
  try {
    refuseForbiddenKeys(data, 'The frontmatter');
  } catch (err) {
    throw new RenderError((err as Error).message, 2);
  }
  const raw = (data ?? {}) as Record<string, unknown>;
  const prompt: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of PROMPT_FIELDS) if (Object.hasOwn(raw, k)) prompt[k] = raw[k];
  const template = source.frontmatter ? source.body.trim() : source.body;
  return { raw, prompt, template: unescapeMarkers(template) };
}

async function toJsonSchema(schema: unknown, where: string): Promise<unknown> {
  if (schema === undefined || schema === null) return { type: 'object', properties: {} };
  try {
    return await picoschema(schema);
  } catch (err) {
    throw new RenderError(
      `${where} is not valid Picoschema: ${picoschemaProblem((err as Error).message)} The diagnostics in the frontmatter show where.`,
    );
  }
}

/** Picoschema's own words for a schema mistake, said in the terms of the file. */
function picoschemaProblem(message: string): string {
  const text = message.replace(/^Picoschema: /, '').replace(/\.+$/, '');
  const scalar = /unsupported scalar type '([^']*)'/.exec(text);
  if (scalar)
    return `\`${scalar[1]}\` is not a type: use string, number, integer, boolean, null or any (or \`name(type, description)\`).`;
  const paren = /parenthetical types must be 'object' or 'array', got: (.*)$/s.exec(text);
  if (paren)
    return `\`(${paren[1].trim()})\` is not a Picoschema type: use \`name(object)\`, \`name(array)\` or \`name(enum)\`.`;
  return `${text}.`;
}

/** Trims whitespace at the edges of a message and drops blank text blocks (Bedrock rejects them). */
function trimText(content: ContentBlock[]): ContentBlock[] {
  const out = content.map((b) => ('text' in b && typeof b.text === 'string' ? { text: b.text } : b));
  const firstText = out.findIndex((b) => 'text' in b);
  if (firstText >= 0)
    (out[firstText] as { text: string }).text = (out[firstText] as { text: string }).text.replace(/^\s+/, '');
  for (let i = out.length - 1; i >= 0; i--) {
    if ('text' in out[i]) {
      (out[i] as { text: string }).text = (out[i] as { text: string }).text.replace(/\s+$/, '');
      break;
    }
  }
  // Around a tool call or result, the line breaks of the file are layout, not text.
  const isTool = (b: ContentBlock | undefined) => b !== undefined && ('toolUse' in b || 'toolResult' in b);
  out.forEach((b, i) => {
    if (!('text' in b) || typeof b.text !== 'string') return;
    if (isTool(out[i + 1])) (b as { text: string }).text = b.text.replace(/\s+$/, '');
    if (isTool(out[i - 1])) (b as { text: string }).text = (b as { text: string }).text.replace(/^\s+/, '');
  });
  return out.filter((b) => !('text' in b) || (typeof b.text === 'string' && b.text.trim() !== ''));
}

function checkConversation(turns: Turn[], hasTools: boolean): void {
  if (turns.length === 0)
    throw new RenderError(
      'The prompt has no user message: add text after `{{role "user"}}` (or after the frontmatter).',
    );
  if (turns[0].role !== 'user')
    throw new RenderError(
      'The conversation must start with a user turn: add `{{role "user"}}` and text before the first `{{role "model"}}`.',
      turns[0].line,
    );
  const ids = (t: Turn | undefined, kind: 'toolUse' | 'toolResult') =>
    (t?.content ?? []).flatMap((b) =>
      kind === 'toolUse'
        ? b.toolUse
          ? [b.toolUse.toolUseId ?? '']
          : []
        : b.toolResult
          ? [b.toolResult.toolUseId ?? '']
          : [],
    );
  let anyTool = false;
  // Results that answer nothing first: the usual slip is a mistyped id, which also leaves a call open.
  turns.forEach((turn, i) => {
    const results = ids(turn, 'toolResult');
    anyTool ||= results.length > 0 || ids(turn, 'toolUse').length > 0;
    if (results.length === 0) return;
    const asked = new Set(ids(turns[i - 1], 'toolUse'));
    const stray = results.find((r) => !asked.has(r));
    if (stray)
      throw new RenderError(
        `The tool result \`${stray}\` answers no tool call of the model turn just before it: Bedrock pairs each result with a call of the previous turn.`,
        turn.line,
      );
  });
  turns.forEach((turn, i) => {
    const calls = ids(turn, 'toolUse');
    const next = turns[i + 1];
    if (calls.length === 0 || !next) return;
    const answered = new Set(ids(next, 'toolResult'));
    const open = calls.find((c) => !answered.has(c));
    if (open)
      throw new RenderError(
        `The tool call \`${open}\` has no result in the next user turn: add \`{{#toolResult id="${open}"}}…{{/toolResult}}\` there.`,
        next.line,
      );
  });
  if (anyTool && !hasTools)
    throw new RenderError(
      'This conversation holds tool calls: keep `tools` and `toolDefs` in the frontmatter, Bedrock needs them to read tool turns.',
    );
}

async function mediaBlock(url: string, explicitType: string | undefined, files: PromptFiles): Promise<ContentBlock> {
  const type = contentTypeOf(url, explicitType);
  if (/^https?:\/\//i.test(url))
    throw new RenderError(
      `Bedrock cannot fetch ${url}: save it in the workspace and use its path, or use an s3:// URI.`,
    );
  if (!url) throw new RenderError('`{{media}}` needs `url="…"`: a workspace path, an s3:// URI or a data: URL.');
  if (!type)
    throw new RenderError(`Cannot tell the type of ${url}: add contentType="image/png" (or application/pdf, …).`);
  const s3 = url.startsWith('s3://') ? { s3Location: { uri: url } } : undefined;
  let bytes: Uint8Array | undefined;
  if (!s3) {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      bytes = /;base64/.test(url.slice(0, comma))
        ? Buffer.from(url.slice(comma + 1), 'base64')
        : Buffer.from(decodeURIComponent(url.slice(comma + 1)));
    } else {
      try {
        bytes = await files.readBytes(safeDecodeUri(url));
      } catch (err) {
        if ((err as Error).name === 'PathOutsideWorkspace')
          throw new RenderError(`Media file ${url}: ${(err as Error).message}`);
        throw new RenderError(`Media file ${url} could not be read (paths are relative to the prompt file).`);
      }
    }
  }
  const source = (s3 ?? { bytes }) as never;
  if (IMAGE_TYPES[type]) {
    if (bytes && bytes.length > LIMITS.imageBytes) throw new RenderError(PROMPT_RULES.imageTooLarge(url, bytes.length));
    return { image: { format: IMAGE_TYPES[type], source } };
  }
  if (DOC_TYPES[type]) {
    if (bytes && bytes.length > LIMITS.documentBytes)
      throw new RenderError(PROMPT_RULES.documentTooLarge(url, bytes.length));
    return { document: { format: DOC_TYPES[type] as never, name: documentName(url), source } };
  }
  if (VIDEO_TYPES[type]) return { video: { format: VIDEO_TYPES[type] as never, source } };
  throw new RenderError(
    `${type} is not a media type Bedrock's Converse API takes (images: png, jpeg, gif, webp; documents: pdf, csv, doc(x), xls(x), html, txt, md).`,
  );
}

function lineOffset(text: string, bodyStart: number): number {
  return text.slice(0, bodyStart).split('\n').length - 1;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

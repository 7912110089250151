// bedrock-runtime: Converse, ConverseStream and CountTokens.
import { answer, estimateInputTokens, type Answer, type ConverseBody } from './responder';
import { eventFrame, exceptionFrame } from './eventstream';
import type { Fault } from './faults';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import type { AccountState, Target } from './state';
import { blockedAnswer, converseGuardrail, passedTrace } from './guardrails';

const IMAGE_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp']);

/** The checks the service makes before a model sees the request, with its messages. */
export function validateConverse(body: ConverseBody, target: Target, streaming: boolean): void {
  const { model } = target;
  if (!model.converse) {
    throw ServiceError.validation(
      "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    );
  }
  if (streaming && model.responseStreamingSupported === false) {
    throw ServiceError.validation('The model is unsupported for streaming.');
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw ServiceError.validation(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  if (messages[0].role !== 'user') {
    throw ServiceError.validation(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  messages.forEach((m, i) => {
    if (m.role !== 'user' && m.role !== 'assistant') {
      throw ServiceError.validation(
        `1 validation error detected: Value '${m.role}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    }
    if (i > 0 && messages[i - 1].role === m.role) {
      throw ServiceError.validation(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    if (!Array.isArray(m.content) || m.content.length === 0) {
      throw ServiceError.validation(
        `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    m.content.forEach((block, j) => {
      if (typeof block.text === 'string' && block.text.trim() === '') {
        throw ServiceError.validation(
          `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`,
        );
      }
      // Search-result blocks are Anthropic Claude's only (the SDK's note on SearchResultBlock) [sdk];
      // the message mirrors the image one [ours].
      if (block.searchResult && !model.modelId.startsWith('anthropic.'))
        throw ServiceError.validation(
          "This model doesn't support the searchResult content block that you provided. Try again with a supported content block.",
        );
      const image = block.image as { format?: string } | undefined;
      if (image) {
        if (!model.inputModalities.includes('IMAGE')) {
          throw ServiceError.validation(
            "This model doesn't support the image content block that you provided. Try again with a supported content block.",
          );
        }
        if (!IMAGE_FORMATS.has(String(image.format))) {
          throw ServiceError.validation(
            `The format of the image at messages.${i}.content.${j} is not supported. Use png, jpeg, gif or webp.`,
          );
        }
      }
    });
  });
  // Bedrock's patterns for tool names and tool call ids (a name such as `github.create_issue`, or an id
  // with `/` or a space, fails the whole request).
  const validName = /^[a-zA-Z0-9_-]{1,64}$/;
  const tools = (body.toolConfig as { tools?: { toolSpec?: { name?: string } }[] } | undefined)?.tools ?? [];
  tools.forEach((t, i) => {
    if (t.toolSpec && !validName.test(String(t.toolSpec.name)))
      throw ServiceError.validation(
        `1 validation error detected: Value '${t.toolSpec.name}' at 'toolConfig.tools.${i + 1}.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]{1,64}$`,
      );
  });
  messages.forEach((m, i) =>
    m.content.forEach((block, j) => {
      const use = block.toolUse as { toolUseId?: string; name?: string } | undefined;
      const result = block.toolResult as { toolUseId?: string } | undefined;
      for (const [value, where] of [
        [use?.toolUseId, 'toolUse.toolUseId'],
        [use?.name, 'toolUse.name'],
        [result?.toolUseId, 'toolResult.toolUseId'],
      ] as const)
        if (value !== undefined && !validName.test(value))
          throw ServiceError.validation(
            `1 validation error detected: Value '${value}' at 'messages.${i + 1}.member.content.${j + 1}.member.${where}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]{1,64}$`,
          );
    }),
  );
  if (body.system && body.system.length > 0 && !model.systemPrompt) {
    throw ServiceError.validation(
      "This model doesn't support system messages. Try again without a system message or use a different model.",
    );
  }
  const format = (
    body.outputConfig as
      { textFormat?: { type?: string; structure?: { jsonSchema?: { schema?: unknown } } } } | undefined
  )?.textFormat;
  if (format) {
    if (!model.structuredOutput) {
      throw ServiceError.validation(
        `The model ${model.modelId} doesn't support structured output (outputConfig.textFormat). Remove outputConfig or use a model that supports it.`,
      );
    }
    const schema = format.structure?.jsonSchema?.schema;
    try {
      if (format.type !== 'json_schema' || typeof schema !== 'string') throw new Error('shape');
      JSON.parse(schema);
    } catch {
      throw ServiceError.validation(
        'outputConfig.textFormat must be of type json_schema with structure.jsonSchema.schema holding a JSON Schema as a string.',
      );
    }
  }
  const effort = (body.outputConfig as { effort?: unknown } | undefined)?.effort;
  if (effort !== undefined && !['low', 'medium', 'high', 'xhigh', 'max'].includes(String(effort)))
    throw ServiceError.validation(
      `outputConfig.effort must be one of low, medium, high, xhigh, max; found ${JSON.stringify(effort)}.`,
    );
  const t = body.inferenceConfig?.temperature;
  if (t !== undefined && (t < 0 || t > 1)) {
    throw ServiceError.validation(
      `1 validation error detected: Value '${t}' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1`,
    );
  }
}

/**
 * What the answer cites when a document or search result asks for citations: the first 60 characters
 * of the first such document (a character span: Claude's shape for text documents [sdk]) or the first
 * such search result (its index, title and source [sdk]); the choice of what is cited is ours.
 */
export function citationOf(body: ConverseBody): Record<string, unknown> | undefined {
  const results = (body.messages ?? [])
    .flatMap((m) =>
      m.content.map(
        (b) =>
          b.searchResult as
            | { source?: string; title?: string; content?: { text?: string }[]; citations?: { enabled?: boolean } }
            | undefined,
      ),
    )
    .filter((r) => r !== undefined);
  const cited = results.findIndex((r) => r.citations?.enabled === true);
  if (cited >= 0) {
    const r = results[cited];
    const text = (r.content ?? []).map((c) => c.text ?? '').join('');
    return {
      title: r.title,
      source: r.source,
      sourceContent: [{ text: text.slice(0, 60) }],
      location: { searchResultLocation: { searchResultIndex: cited, start: 0, end: 1 } },
    };
  }
  const docs = (body.messages ?? [])
    .flatMap((m) =>
      m.content.map(
        (b) =>
          b.document as
            | { name?: string; citations?: { enabled?: boolean }; source?: { bytes?: string; text?: string } }
            | undefined,
      ),
    )
    .filter((d) => d !== undefined);
  const index = docs.findIndex((d) => d.citations?.enabled === true);
  if (index < 0) return undefined;
  const doc = docs[index];
  const text = doc.source?.text ?? Buffer.from(doc.source?.bytes ?? '', 'base64').toString('utf8');
  const end = Math.min(60, text.length);
  return {
    title: doc.name,
    sourceContent: [{ text: text.slice(0, end) }],
    location: { documentChar: { documentIndex: index, start: 0, end } },
  };
}

export function responseContent(a: Answer, citation?: Record<string, unknown>): Record<string, unknown>[] {
  const content: Record<string, unknown>[] = [];
  if (a.reasoning)
    content.push({ reasoningContent: { reasoningText: { text: a.reasoning.text, signature: a.reasoning.signature } } });
  if (a.tokens.length > 0 && citation)
    content.push({ citationsContent: { content: [{ text: a.tokens.join('') }], citations: [citation] } });
  else if (a.tokens.length > 0) content.push({ text: a.tokens.join('') });
  if (a.toolUse) content.push({ toolUse: a.toolUse });
  return content;
}

export function usage(a: Answer) {
  return {
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    totalTokens: a.inputTokens + a.outputTokens,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
}

function withStopReason<T extends { stopReason: string }>(a: T, faults: Fault[]): T {
  const f = faults.find((x) => x.kind === 'stopReason');
  return f && f.kind === 'stopReason' ? { ...a, stopReason: f.stopReason } : a;
}

function firstHttpFault(faults: Fault[]): ServiceError | undefined {
  const f = faults.find((x) => x.kind === 'http');
  return f && f.kind === 'http' ? ServiceError.of(f.error, f.message) : undefined;
}

/**
 * The answer as a guardrail leaves it (blocked: its message and stopReason, no tool call) and the trace
 * the response carries: the guardrail's assessment when its trace is on, the router's choice.
 */
function guarded(a: Answer, body: ConverseBody, target: Target): { a: Answer; trace: Record<string, unknown> } {
  const g = converseGuardrail(body);
  const router = target.invokedModelId ? { promptRouter: { invokedModelId: target.invokedModelId } } : {};
  if (g?.verdict.blocked) {
    const blocked = blockedAnswer(g);
    return {
      a: {
        ...a,
        tokens: blocked.text.split(/(?<= )/),
        toolUse: undefined,
        reasoning: undefined,
        stopReason: 'guardrail_intervened',
      },
      trace: { trace: { ...router, ...(blocked.trace ?? {}) } },
    };
  }
  const passed = g ? passedTrace(g) : undefined;
  const trace = { ...router, ...(passed ?? {}) };
  return { a, trace: Object.keys(trace).length > 0 ? { trace } : {} };
}

/**
 * What served the call, echoed as the service does: the tier asked for (else default) and the latency
 * setting. Reserved capacity is arranged with AWS: this account has none, so asking for it is refused
 * [guess: the service's words are not documented].
 */
function servedBy(body: ConverseBody): Record<string, unknown> {
  const tier = (body.serviceTier as { type?: string } | undefined)?.type ?? 'default';
  if (!['default', 'priority', 'flex', 'reserved'].includes(tier))
    throw ServiceError.validation(
      `1 validation error detected: Value '${tier}' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set: [default, priority, flex, reserved]`,
    );
  if (tier === 'reserved')
    throw ServiceError.validation('This account has no reserved capacity for this model. Use the default tier.');
  return {
    serviceTier: { type: tier },
    ...(body.performanceConfig ? { performanceConfig: body.performanceConfig } : {}),
  };
}

/** Resolves a call's target once its body is read (a router's choice and the project depend on it). */
export type TargetOf = (body: ConverseBody) => Target;

export async function converse(ctx: RequestContext, targetOf: TargetOf, faults: Fault[]): Promise<void> {
  const body = parseJsonBody<ConverseBody>(ctx);
  const httpFault = firstHttpFault(faults);
  if (httpFault) throw httpFault;
  const target = targetOf(body);
  validateConverse(body, target, false);
  const served = servedBy(body);
  const started = Date.now();
  const { a, trace } = guarded(
    withStopReason(answer(target.model.modelId, target.model.modelName, body), faults),
    body,
    target,
  );
  const pace = faults.find((f) => f.kind === 'pace');
  if (pace && pace.kind === 'pace')
    await delay((pace.firstTokenDelayMs ?? 0) + (pace.tokenDelayMs ?? 0) * a.tokens.length);
  sendJson(ctx, 200, {
    output: { message: { role: 'assistant', content: responseContent(a, citationOf(body)) } },
    stopReason: a.stopReason,
    usage: usage(a),
    metrics: { latencyMs: Date.now() - started },
    ...trace,
    ...served,
  });
}

export function countTokens(ctx: RequestContext, faults: Fault[]): void {
  const body = parseJsonBody<{ input?: { converse?: ConverseBody; invokeModel?: { body?: string } } }>(ctx);
  const httpFault = firstHttpFault(faults);
  if (httpFault) throw httpFault;
  const conv = body.input?.converse;
  if (conv) {
    sendJson(ctx, 200, { inputTokens: estimateInputTokens(conv) });
  } else if (body.input?.invokeModel?.body) {
    sendJson(ctx, 200, {
      inputTokens: Math.max(1, Math.ceil(Buffer.from(body.input.invokeModel.body, 'base64').length / 4)),
    });
  } else {
    throw ServiceError.validation('The input field is required. Provide either converse or invokeModel input.');
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export interface StreamOptions {
  /** Default pacing when no fault sets it (the demo slows down so streaming is visible). */
  tokenDelayMs: number;
  firstTokenDelayMs: number;
  /** Tokens per contentBlockDelta event. */
  tokensPerEvent: number;
  /** Destroys the connection (for the 'cut' fault). */
  cut: () => void;
}

export async function converseStream(
  ctx: RequestContext,
  targetOf: TargetOf,
  faults: Fault[],
  opts: StreamOptions,
): Promise<void> {
  const body = parseJsonBody<ConverseBody>(ctx);
  const httpFault = firstHttpFault(faults);
  if (httpFault) throw httpFault;
  const target = targetOf(body);
  validateConverse(body, target, true);
  const served = servedBy(body);
  const started = Date.now();
  const { a, trace } = guarded(
    withStopReason(answer(target.model.modelId, target.model.modelName, body), faults),
    body,
    target,
  );

  let firstTokenDelayMs = opts.firstTokenDelayMs;
  let tokenDelayMs = opts.tokenDelayMs;
  for (const f of faults) {
    if (f.kind !== 'pace') continue;
    if (f.firstTokenDelayMs !== undefined) firstTokenDelayMs = f.firstTokenDelayMs;
    if (f.tokenDelayMs !== undefined) tokenDelayMs = f.tokenDelayMs;
  }
  const interrupt = faults.find((f) => f.kind === 'streamException' || f.kind === 'cut' || f.kind === 'stall');

  const { res } = ctx;
  let closed = false;
  ctx.req.on('close', () => {
    closed = true;
  });
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': ctx.requestId });
  const write = (frame: Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      // Respect back-pressure so a slow reader sees the stream as the service would send it.
      if ((res as { write(c: Uint8Array): boolean }).write(frame)) resolve();
      else res.once('drain', () => resolve());
    });

  await write(eventFrame('messageStart', { role: 'assistant' }));
  let index = 0;
  if (a.reasoning) {
    await write(
      eventFrame('contentBlockDelta', {
        contentBlockIndex: index,
        delta: { reasoningContent: { text: a.reasoning.text } },
      }),
    );
    await write(
      eventFrame('contentBlockDelta', {
        contentBlockIndex: index,
        delta: { reasoningContent: { signature: a.reasoning.signature } },
      }),
    );
    await write(eventFrame('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  await delay(firstTokenDelayMs);

  let sent = 0;
  while (sent < a.tokens.length) {
    if (closed) return;
    if (interrupt && sent >= interrupt.afterTokens) break;
    const piece = a.tokens.slice(sent, sent + opts.tokensPerEvent).join('');
    sent += opts.tokensPerEvent;
    await write(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }));
    if (tokenDelayMs > 0) await delay(tokenDelayMs);
  }
  if (interrupt) {
    if (interrupt.kind === 'streamException') {
      const payload: Record<string, unknown> = {
        message: interrupt.message ?? defaultStreamMessage(interrupt.exception),
      };
      if (interrupt.exception === 'modelStreamErrorException') {
        payload.originalStatusCode = 500;
        payload.originalMessage = 'The model stopped unexpectedly.';
      }
      await write(exceptionFrame(interrupt.exception, payload));
      res.end();
      return;
    }
    if (interrupt.kind === 'cut') {
      opts.cut();
      return;
    }
    // stall: keep the connection open and send nothing more; the client must time out.
    return;
  }
  const citation = citationOf(body);
  if (citation && a.tokens.length > 0)
    await write(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { citation } }));
  if (a.tokens.length > 0) await write(eventFrame('contentBlockStop', { contentBlockIndex: index }));
  if (a.toolUse) {
    index += a.tokens.length > 0 ? 1 : 0;
    await write(
      eventFrame('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: a.toolUse.toolUseId, name: a.toolUse.name } },
      }),
    );
    const json = JSON.stringify(a.toolUse.input);
    const half = Math.ceil(json.length / 2);
    for (const part of [json.slice(0, half), json.slice(half)]) {
      if (part)
        await write(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: part } } }));
    }
    await write(eventFrame('contentBlockStop', { contentBlockIndex: index }));
  }
  await write(eventFrame('messageStop', { stopReason: a.stopReason }));
  await write(
    eventFrame('metadata', {
      usage: usage(a),
      metrics: { latencyMs: Date.now() - started },
      ...trace,
      ...served,
    }),
  );
  res.end();
}

function defaultStreamMessage(type: string): string {
  switch (type) {
    case 'throttlingException':
      return 'Too many requests, please wait before trying again.';
    case 'modelStreamErrorException':
      return 'The model stream encountered an error.';
    case 'serviceUnavailableException':
      return 'Bedrock is unable to process your request.';
    case 'validationException':
      return 'The model returned an invalid response.';
    default:
      return 'The system encountered an unexpected error during processing. Try your request again.';
  }
}

/**
 * InvokeModel, for imported models only: the OpenAI chat-completion body Custom Model Import documents
 * (November 2025) in, its chat-completion answer out [docs shape; our answer text]. Other models' own
 * InvokeModel bodies are not emulated, and say so.
 */
export function invokeImportedModel(ctx: RequestContext, state: AccountState, modelId: string, faults: Fault[]): void {
  const httpFault = firstHttpFault(faults);
  if (httpFault) throw httpFault;
  if (!/:imported-model\//.test(modelId))
    throw ServiceError.validation(
      `The local server answers InvokeModel for imported models only; ${modelId} takes Converse here.`,
    );
  const imported = state.importedModel(modelId);
  const body = parseJsonBody<{ messages?: unknown; max_tokens?: unknown; prompt?: unknown }>(ctx);
  if (!Array.isArray(body.messages))
    throw ServiceError.validation('Malformed input request: the body needs "messages" (or "prompt").');
  const messages = body.messages as { role?: unknown; content?: unknown }[];
  for (const m of messages)
    if (!['system', 'user', 'assistant'].includes(String(m.role)) || typeof m.content !== 'string')
      throw ServiceError.validation(
        'Malformed input request: each message needs a role (system, user, assistant) and text content.',
      );
  if (body.max_tokens !== undefined && !(Number.isInteger(body.max_tokens) && (body.max_tokens as number) > 0))
    throw ServiceError.validation('Malformed input request: max_tokens must be a positive integer.');
  const converseBody: ConverseBody = {
    system: messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content as string })),
    messages: messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: [{ text: m.content as string }] })),
  };
  const a = answer(imported.modelArn, imported.modelName, converseBody);
  const u = usage(a);
  sendJson(ctx, 200, {
    id: `chatcmpl-${imported.modelArn.slice(-12)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: imported.modelArn,
    choices: [{ index: 0, message: { role: 'assistant', content: a.tokens.join('') }, finish_reason: 'stop' }],
    usage: { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.totalTokens },
  });
}

// Deterministic answers derived from the request, so that tests can predict every byte.
//
// Rules (documented in test/emulator/README.md):
// - text: `<modelName> (emulated), turn <n>. You wrote: "<last user text>"`, where n counts user turns;
// - `[[tokens=N]]` anywhere in the last user text asks for exactly N generated words instead, on one
//   line; `[[tokens=N paragraphs=W]]` starts a new paragraph (a blank line) every W words;
// - `maxTokens` truncates (stopReason max_tokens); a stop sequence cuts before it (stop_sequence);
// - tools offered and no tool result yet: a tool call to the chosen tool (stopReason tool_use);
// - a tool result in the last user turn: the answer quotes it;
// - a last user turn that ends asking for "JSON only … conforming to this JSON schema:\n{…}" (what a
//   .prompt with `output.format: json` renders to) gets a JSON value built from that schema; so does a
//   request with structured output (`outputConfig.textFormat.structure.jsonSchema.schema`);
// - booleans in a synthesized tool input are true, unless the last user text contains
//   `[[tool-boolean=false]]` (lets tests drive an LLM judge that grades through a tool), or it holds a
//   `<reference>` and an `<answer>` block (the judge's request for a reference answer) and the answer does
//   not contain the reference (ignoring case): a deterministic "agrees with the reference";
// - the optimizer's `propose_rewrites` tool (prompt-lab optimize) gets N rewrites (N read from "Propose
//   N different rewrites" in the system text): the template in <current_template> with a line appended,
//   `Make sure the answer covers: "a", "b".`, naming the first i/N of the strings the <failures> block
//   expected the answer to contain (all of them in the last one). Echoed back, such a line makes those
//   `contains` assertions pass, so a rewrite measurably gains;
// - reasoning asked for (additionalModelRequestFields.thinking / reasoningConfig / reasoning_config,
//   or a reasoning model): a reasoning block comes first.
import { createHash } from 'node:crypto';

export interface ConverseBody {
  messages?: { role: string; content: Record<string, unknown>[] }[];
  system?: Record<string, unknown>[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools?: Record<string, any>[]; toolChoice?: Record<string, any> };
  additionalModelRequestFields?: Record<string, any>;
  guardrailConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A judge's request with a reference answer whose answer does not contain the reference. */
function disagrees(text: string): boolean {
  const block = (tag: string) => new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(text)?.[1];
  const reference = block('reference');
  const answer = block('answer');
  return reference !== undefined && answer !== undefined && !answer.toLowerCase().includes(reference.toLowerCase());
}

export interface ToolCall {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

export interface Answer {
  reasoning?: { text: string; signature: string };
  /** The generated text split into tokens; joined, they are the text. */
  tokens: string[];
  toolUse?: ToolCall;
  stopReason: string;
  inputTokens: number;
  outputTokens: number;
}

const WORDS = 'the quick brown fox jumps over a lazy dog while bedrock streams every token in order'.split(' ');

export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function textOf(blocks: Record<string, unknown>[] | undefined): string {
  return (blocks ?? [])
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .filter((t) => t.length > 0)
    .join('\n');
}

function countInputChars(body: ConverseBody): number {
  let chars = textOf(body.system).length;
  for (const m of body.messages ?? []) {
    for (const block of m.content ?? []) {
      chars += typeof block.text === 'string' ? block.text.length : JSON.stringify(block).length;
    }
  }
  if (body.toolConfig) chars += JSON.stringify(body.toolConfig).length;
  return chars;
}

export function estimateInputTokens(body: ConverseBody): number {
  return Math.max(1, Math.ceil(countInputChars(body) / 4));
}

function sampleValue(schema: any, name: string, falseBooleans = false): unknown {
  switch (schema?.type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return !falseBooleans;
    case 'array':
      return [sampleValue(schema.items, name, falseBooleans)];
    case 'object':
      return sampleObject(schema, falseBooleans);
    default:
      return Array.isArray(schema?.enum) && schema.enum.length > 0 ? schema.enum[0] : `example ${name}`;
  }
}

function sampleObject(schema: any, falseBooleans = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = schema?.properties ?? {};
  for (const [key, sub] of Object.entries(props)) out[key] = sampleValue(sub, key, falseBooleans);
  return out;
}

function jsonSchemaAskedFor(lastUserText: string): unknown {
  const m = /JSON only[^\n]*JSON schema:\n(\{.*\})\s*$/s.exec(lastUserText);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

function structuredSchema(body: ConverseBody): unknown {
  const schema = (
    body.outputConfig as { textFormat?: { structure?: { jsonSchema?: { schema?: string } } } } | undefined
  )?.textFormat?.structure?.jsonSchema?.schema;
  if (typeof schema !== 'string') return undefined;
  try {
    return JSON.parse(schema);
  } catch {
    return undefined;
  }
}

function wantsReasoning(modelId: string, body: ConverseBody): boolean {
  const extra = body.additionalModelRequestFields ?? {};
  if (extra.thinking?.type === 'enabled' || extra.reasoningConfig || extra.reasoning_config) return true;
  return /deepseek\.r1|kimi-k2-thinking|magistral/.test(modelId);
}

/** The emulated optimizer: rewrites that name what the failing cases expected (see the rules above). */
function emulatedRewrites(body: ConverseBody, lastText: string): Record<string, unknown> {
  const block = (tag: string) => new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(lastText)?.[1] ?? '';
  const count = Number(/Propose (\d+) different rewrites/.exec(textOf(body.system))?.[1] ?? 1);
  const template = block('current_template');
  const expected = [
    ...new Set([...block('failures').matchAll(/Expected the answer to contain "([^"]+)"/g)].map((m) => m[1])),
  ];
  const candidates = [];
  for (let i = 1; i <= count; i++) {
    const named = expected.slice(0, Math.ceil((expected.length * i) / count));
    candidates.push({
      rationale: named.length
        ? `Name ${named.length} of the ${expected.length} point(s) the failing cases expect.`
        : `Ask for a short answer (variant ${i}).`,
      template: `${template}\n${named.length ? `Make sure the answer covers: ${named.map((e) => `"${e}"`).join(', ')}.` : `Answer in ${i + 1} sentences or fewer.`}`,
    });
  }
  return { candidates };
}

export function answer(modelId: string, modelName: string, body: ConverseBody): Answer {
  const messages = body.messages ?? [];
  const userTurns = messages.filter((m) => m.role === 'user');
  const last = userTurns[userTurns.length - 1];
  const lastText = textOf(last?.content);
  const inputTokens = estimateInputTokens(body);
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');

  const toolResult = last?.content?.find((b) => b.toolResult)?.toolResult as
    { toolUseId?: string; content?: unknown } | undefined;
  const tools = (body.toolConfig?.tools ?? []).filter((t) => t.toolSpec);
  const reasoning = wantsReasoning(modelId, body)
    ? { text: `Reasoning about the request: ${lastText.slice(0, 200)}`, signature: `sig-${hash.slice(0, 16)}` }
    : undefined;

  let text: string;
  let toolUse: ToolCall | undefined;
  const requested = /\[\[tokens=(\d+)(?: paragraphs=(\d+))?\]\]/.exec(lastText);
  if (toolResult) {
    text = `The tool returned ${JSON.stringify(toolResult.content ?? [])}.`;
  } else if (tools.length > 0 && !body.toolConfig?.toolChoice?.none) {
    const chosenName: string | undefined = body.toolConfig?.toolChoice?.tool?.name;
    const spec = (tools.find((t) => t.toolSpec.name === chosenName) ?? tools[0]).toolSpec;
    toolUse = {
      toolUseId: `tooluse_${hash.slice(0, 20)}`,
      name: spec.name,
      input:
        spec.name === 'propose_rewrites'
          ? emulatedRewrites(body, lastText)
          : sampleObject(spec.inputSchema?.json, lastText.includes('[[tool-boolean=false]]') || disagrees(lastText)),
    };
    text = `I will call ${spec.name}.`;
  } else if (structuredSchema(body) !== undefined) {
    text = JSON.stringify(sampleValue(structuredSchema(body), 'value'));
  } else if (jsonSchemaAskedFor(lastText)) {
    text = JSON.stringify(sampleValue(jsonSchemaAskedFor(lastText), 'value'));
  } else if (requested) {
    const n = Number(requested[1]);
    const paragraph = Number(requested[2] ?? 0);
    const words: string[] = [];
    for (let i = 0; i < n; i++)
      words.push((i === 0 ? '' : paragraph > 0 && i % paragraph === 0 ? '\n\n' : ' ') + WORDS[i % WORDS.length]);
    text = words.join('');
  } else {
    text = `${modelName} (emulated), turn ${userTurns.length}. You wrote: "${lastText}"`;
  }

  let tokens = tokenize(text);
  let stopReason = toolUse ? 'tool_use' : 'end_turn';
  for (const stop of body.inferenceConfig?.stopSequences ?? []) {
    const joined = tokens.join('');
    const at = stop ? joined.indexOf(stop) : -1;
    if (at >= 0) {
      tokens = tokenize(joined.slice(0, at));
      stopReason = 'stop_sequence';
      toolUse = undefined;
    }
  }
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    stopReason = 'max_tokens';
    toolUse = undefined;
  }
  const reasoningTokens = reasoning ? tokenize(reasoning.text).length : 0;
  const toolTokens = toolUse ? Math.ceil(JSON.stringify(toolUse.input).length / 4) : 0;
  return {
    reasoning,
    tokens,
    toolUse,
    stopReason,
    inputTokens,
    outputTokens: tokens.length + reasoningTokens + toolTokens,
  };
}

// What a model can take through Converse, beyond what ListFoundationModels says (modalities,
// streaming): system prompts, tool use and document blocks, per model family. Source: the AWS
// "Supported models and model features" table for the Converse API (captured 2026-02-15).
import { normalizeModelRef } from './modelRef';

export interface ConverseFeatures {
  systemPrompt: boolean;
  tools: boolean;
  documents: boolean;
}

const FAMILIES: [RegExp, ConverseFeatures][] = [
  [/^amazon\.titan-(text|tg1)/, { systemPrompt: false, tools: false, documents: true }],
  [/^amazon\.nova/, { systemPrompt: true, tools: true, documents: true }],
  [/^anthropic\.claude-(v2|instant)/, { systemPrompt: true, tools: false, documents: true }],
  [/^anthropic\./, { systemPrompt: true, tools: true, documents: true }],
  [/^cohere\.command-(text|light)/, { systemPrompt: false, tools: false, documents: false }],
  [/^cohere\.command-r/, { systemPrompt: true, tools: true, documents: true }],
  [/^meta\.llama2/, { systemPrompt: true, tools: false, documents: false }],
  [/^meta\.llama3-(8b|70b)-instruct/, { systemPrompt: true, tools: false, documents: true }],
  [/^meta\./, { systemPrompt: true, tools: true, documents: true }],
  [/^mistral\.(mistral-7b|mixtral)/, { systemPrompt: false, tools: false, documents: true }],
  [/^mistral\./, { systemPrompt: true, tools: true, documents: true }],
  [/^ai21\.jamba/, { systemPrompt: true, tools: true, documents: true }],
  [/^ai21\./, { systemPrompt: false, tools: false, documents: false }],
  [/^deepseek\.r1/, { systemPrompt: true, tools: false, documents: true }],
];

const DEFAULT: ConverseFeatures = { systemPrompt: true, tools: true, documents: true };

export function converseFeatures(modelRef: string): ConverseFeatures {
  const id = normalizeModelRef(modelRef).baseModelId ?? '';
  return FAMILIES.find(([re]) => re.test(id))?.[1] ?? DEFAULT;
}

// Native structured output (Converse `outputConfig.textFormat`, type json_schema): the models AWS lists
// for it (user guide "Get validated JSON results from models", captured 2026-12-01). Other models get the
// schema as an instruction in the prompt, and the answer is checked after the run either way.
const STRUCTURED_OUTPUT: RegExp[] = [
  /^anthropic\.claude-(sonnet|haiku|opus)-4-5/,
  /^anthropic\.claude-opus-4-6/,
  /^openai\.gpt-oss/,
  /^qwen\./,
  /^deepseek\.v3/,
  /^google\.gemma/,
  /^nvidia\.nemotron/,
  /^minimax\./,
  /^moonshot(ai)?\./,
];

/** Whether Converse can constrain this model's answer to a JSON schema. */
export function supportsStructuredOutput(modelRef: string): boolean {
  const id = normalizeModelRef(modelRef).baseModelId ?? '';
  return STRUCTURED_OUTPUT.some((re) => re.test(id));
}

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

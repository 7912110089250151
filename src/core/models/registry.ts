// The model registry: one record per model family, the one home of what the project knows about a family
// beyond what Bedrock's list calls say. Each fact has its source beside it:
//   converse       what Converse takes (system prompt, tools, documents): the AWS "Supported models and
//                  model features" table for the Converse API (captured 2026-02-15);
//   structured     native structured output (outputConfig.textFormat, json_schema): the user guide's "Get
//                  validated JSON results from models" (captured 2026-12-01);
//   request        request quirks: where top-k and reasoning go in additionalModelRequestFields (each
//                  provider's inference parameters page);
//   datasets       customization formats and limits: "Prepare your training datasets" and AWS's validators;
//   hyperParameters names, ranges and defaults: the user guide's tables (Titan), the console (the others).
// Prices are data, not rules: pricing/bedrock-on-demand.json, keyed by model id, dated (core/bedrock/pricing.ts).
//
// Families are ordered from the most specific to the most general. Each question (features, a dataset
// rule, …) is answered by the first family that matches the model id AND knows the answer, so a narrow
// family (Claude 3 Haiku) states only what differs from a broad one (Anthropic).
import { normalizeModelRef } from './modelRef';

export interface ConverseFeatures {
  systemPrompt: boolean;
  tools: boolean;
  documents: boolean;
}

export type Customization = 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION' | 'REINFORCEMENT_FINE_TUNING';

/** What each kind of customization is called and learns from, for pickers, reports and messages. */
export const CUSTOMIZATION_KINDS: Record<
  Customization,
  {
    /** As people say it in a sentence ("a fine-tuning dataset"). */
    name: string;
    label: string;
    detail: string;
    /** Whether a record needs the answer: distillation's teacher writes it, continued pre-training has none. */
    answers: 'required' | 'optional' | 'none';
    /**
     * What the job takes besides its data: a validation file and the model's string hyperparameters
     * (fine-tuning, continued pre-training), or neither (distillation; reinforcement fine-tuning's typed
     * hyperparameters travel in its own config).
     */
    takesValidationAndHyperParameters: boolean;
  }
> = {
  FINE_TUNING: {
    name: 'fine-tuning',
    label: 'Fine-tuning',
    detail: 'labelled examples: prompts and the answers you want',
    answers: 'required',
    takesValidationAndHyperParameters: true,
  },
  CONTINUED_PRE_TRAINING: {
    name: 'continued pre-training',
    label: 'Continued pre-training',
    detail: 'unlabelled text: documents the model should learn from',
    answers: 'none',
    takesValidationAndHyperParameters: true,
  },
  DISTILLATION: {
    name: 'distillation',
    label: 'Distillation',
    detail: 'prompts only: a larger teacher model writes the answers the student learns from',
    answers: 'optional',
    takesValidationAndHyperParameters: false,
  },
  REINFORCEMENT_FINE_TUNING: {
    name: 'reinforcement fine-tuning',
    label: 'Reinforcement fine-tuning',
    detail: 'prompts with reference answers, scored during training by your Lambda grader',
    answers: 'required',
    takesValidationAndHyperParameters: false,
  },
};

export type DatasetFormat =
  | 'prompt-completion'
  | 'claude-messages'
  | 'bedrock-conversation'
  | 'cpt-input'
  | 'image-caption'
  /** bedrock-conversation-2024 whose answer turn is optional: the teacher answers the prompt. */
  | 'distillation-prompts'
  /** OpenAI chat-completion messages (system, user) and the `reference_answer` the grader scores against. */
  | 'rft-chat';

/** The format and limits of a customization dataset for a family. */
export interface ModelRules {
  /** A family label for reports. */
  family: string;
  format: DatasetFormat;
  customization: Customization;
  minRecords?: number;
  /** Training + validation records. */
  maxRecords?: number;
  maxValidationRecords?: number;
  /** Limit on a whole record (input + output), in estimated tokens. */
  maxTokensPerRecord?: number;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  forbidden?: string[];
  /** One user prompt (and at most one answer) per record. */
  singleTurn?: boolean;
  trainingFileBytes: number;
  validationFileBytes?: number;
  validationAllowed: boolean;
  /** Caption length for image models. */
  captionChars?: { min: number; max: number };
}

export interface HyperParameterSpec {
  name: string;
  min: number;
  max: number;
  default: number;
  integer: boolean;
}

/** Where a family wants what Converse has no field for. */
export interface RequestQuirks {
  /** `config.topK` as additionalModelRequestFields (merged into what is there). */
  topK?: (topK: number, existing: Record<string, unknown>) => Record<string, unknown>;
  /** `bedrock.reasoning` as additionalModelRequestFields. */
  reasoning?: (r: { budgetTokens?: number; effort?: string }) => Record<string, unknown>;
}

export interface ModelFamily {
  /** A stable name for the family (tests, logs). */
  name: string;
  /** Matches base model ids (`anthropic.claude-3-haiku-20240307-v1:0`), never profiles or ARNs. */
  match: RegExp;
  converse?: ConverseFeatures;
  /** true: Converse can constrain the answer to a JSON schema. */
  structuredOutput?: boolean;
  /** true: Converse takes search-result blocks (retrieved passages the answer can cite). */
  searchResults?: boolean;
  request?: RequestQuirks;
  datasets?: Partial<Record<Customization, Omit<ModelRules, 'customization'>>>;
  hyperParameters?: HyperParameterSpec[];
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const NOVA_FORBIDDEN = [
  'System:',
  'SYSTEM:',
  'User:',
  'USER:',
  'Bot:',
  'BOT:',
  'Assistant:',
  'ASSISTANT:',
  'Thought:',
  '[EOS]',
  '<image>',
  '<video>',
];

function hp(name: string, min: number, max: number, def: number, integer = true): HyperParameterSpec {
  return { name, min, max, default: def, integer };
}

const ALL: ConverseFeatures = { systemPrompt: true, tools: true, documents: true };
const TEXT_ONLY: ConverseFeatures = { systemPrompt: false, tools: false, documents: true };
const NOTHING: ConverseFeatures = { systemPrompt: false, tools: false, documents: false };

/** The families, most specific first. */
export const MODEL_FAMILIES: readonly ModelFamily[] = [
  // Amazon
  {
    name: 'amazon-titan-text-premier',
    match: /^amazon\.titan-text-premier/,
    converse: TEXT_ONLY,
    datasets: {
      FINE_TUNING: {
        family: 'Amazon Titan Text Premier',
        format: 'prompt-completion',
        maxRecords: 20_000,
        maxTokensPerRecord: 4096,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
    hyperParameters: [
      hp('epochCount', 1, 5, 2),
      hp('batchSize', 1, 1, 1),
      hp('learningRate', 1e-7, 1e-5, 1e-6, false),
      hp('learningRateWarmupSteps', 0, 20, 5),
    ],
  },
  {
    name: 'amazon-titan-text-express-lite',
    match: /^amazon\.titan-text-(express|lite)/,
    converse: TEXT_ONLY,
    datasets: {
      FINE_TUNING: {
        family: 'Amazon Titan Text',
        format: 'prompt-completion',
        maxRecords: 10_000,
        maxTokensPerRecord: 4096,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
      CONTINUED_PRE_TRAINING: {
        family: 'Amazon Titan Text (continued pre-training)',
        format: 'cpt-input',
        maxRecords: 100_000,
        maxTokensPerRecord: 4096,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
    hyperParameters: [
      hp('epochCount', 1, 10, 5),
      hp('batchSize', 1, 64, 1),
      hp('learningRate', 0, 1, 1e-5, false),
      hp('learningRateWarmupSteps', 0, 250, 5),
    ],
  },
  { name: 'amazon-titan-text', match: /^amazon\.titan-(text|tg1)/, converse: TEXT_ONLY },
  {
    name: 'amazon-titan-image-generator',
    match: /^amazon\.titan-image-generator/,
    datasets: {
      FINE_TUNING: {
        family: 'Amazon Titan Image Generator',
        format: 'image-caption',
        minRecords: 5,
        maxRecords: 10_000,
        captionChars: { min: 3, max: 1024 },
        trainingFileBytes: GB,
        validationAllowed: false,
      },
    },
  },
  {
    name: 'amazon-titan-embed-image',
    match: /^amazon\.titan-embed-image/,
    datasets: {
      FINE_TUNING: {
        family: 'Amazon Titan Multimodal Embeddings',
        format: 'image-caption',
        minRecords: 1000,
        maxRecords: 500_000,
        captionChars: { min: 1, max: 2560 },
        trainingFileBytes: GB,
        validationAllowed: false,
      },
    },
  },
  {
    name: 'amazon-titan-image',
    match: /^amazon\.titan-(image|embed-image)/,
    hyperParameters: [
      hp('epochCount', 1, 100, 10),
      hp('batchSize', 8, 192, 8),
      hp('learningRate', 1e-7, 1, 1e-5, false),
    ],
  },
  {
    name: 'amazon-nova-understanding',
    match: /^amazon\.nova-(micro|lite|pro)/,
    datasets: {
      FINE_TUNING: {
        family: 'Amazon Nova',
        format: 'bedrock-conversation',
        minRecords: 8,
        maxRecords: 20_000,
        forbidden: NOVA_FORBIDDEN,
        trainingFileBytes: 10 * GB,
        validationFileBytes: GB,
        validationAllowed: true,
      },
      DISTILLATION: {
        family: 'Amazon Nova (distillation student)',
        format: 'distillation-prompts',
        minRecords: 100,
        forbidden: NOVA_FORBIDDEN,
        trainingFileBytes: 2 * GB,
        validationAllowed: false,
      },
    },
  },
  {
    // Reinforcement fine-tuning: the user guide's "Prepare data for Amazon Nova models" (OpenAI
    // chat-completion records with a reference_answer, at least 100 of them).
    name: 'amazon-nova-2-lite',
    match: /^amazon\.nova-2-lite/,
    datasets: {
      REINFORCEMENT_FINE_TUNING: {
        family: 'Amazon Nova 2 Lite (reinforcement fine-tuning)',
        format: 'rft-chat',
        minRecords: 100,
        trainingFileBytes: 2 * GB,
        validationAllowed: false,
      },
    },
  },
  {
    name: 'amazon-nova',
    match: /^amazon\.nova/,
    converse: ALL,
    request: {
      topK: (topK, existing) => ({ inferenceConfig: { ...((existing.inferenceConfig as object) ?? {}), topK } }),
      reasoning: (r) => ({ reasoningConfig: { type: 'enabled', maxReasoningEffort: r.effort ?? 'medium' } }),
    },
    hyperParameters: [
      hp('epochCount', 1, 5, 2),
      hp('learningRate', 1e-6, 1e-4, 1e-5, false),
      hp('learningRateWarmupSteps', 0, 100, 10),
    ],
  },
  // Anthropic
  {
    name: 'anthropic-claude-legacy',
    match: /^anthropic\.claude-(v2|instant)/,
    converse: { systemPrompt: true, tools: false, documents: true },
  },
  {
    name: 'anthropic-claude-3-haiku',
    match: /^anthropic\.claude-3-haiku/,
    datasets: {
      FINE_TUNING: {
        family: 'Anthropic Claude 3 Haiku',
        format: 'claude-messages',
        minRecords: 32,
        maxRecords: 10_000,
        maxValidationRecords: 1_000,
        maxTokensPerRecord: 32_000,
        trainingFileBytes: 10 * GB,
        validationFileBytes: GB,
        validationAllowed: true,
      },
      DISTILLATION: {
        family: 'Anthropic Claude 3 Haiku (distillation student)',
        format: 'distillation-prompts',
        minRecords: 100,
        singleTurn: true,
        trainingFileBytes: 2 * GB,
        validationAllowed: false,
      },
    },
    hyperParameters: [
      hp('epochCount', 1, 10, 2),
      hp('batchSize', 4, 256, 32),
      hp('learningRateMultiplier', 0.1, 2, 1, false),
      hp('earlyStoppingThreshold', 0, 0.1, 0.001, false),
      hp('earlyStoppingPatience', 1, 10, 2),
    ],
  },
  {
    // The SDK's note on SearchResultBlock (client-bedrock-runtime 3.x, 2026): Claude Opus 4.1, Opus 4,
    // Sonnet 4.5, Sonnet 4, Sonnet 3.7 and 3.5 Haiku; later Claude 4.x models taken to have it too.
    name: 'anthropic-claude-search-results',
    match: /^anthropic\.claude-(3-5-haiku|3-7-sonnet|(sonnet|opus|haiku)-4)/,
    searchResults: true,
  },
  {
    name: 'anthropic-claude-structured',
    match: /^anthropic\.claude-((sonnet|haiku|opus)-4-5|opus-4-6)/,
    structuredOutput: true,
  },
  {
    name: 'anthropic',
    match: /^anthropic\./,
    converse: ALL,
    request: {
      topK: (topK) => ({ top_k: topK }),
      reasoning: (r) => ({ thinking: { type: 'enabled', budget_tokens: r.budgetTokens ?? 1024 } }),
    },
  },
  // Cohere
  {
    name: 'cohere-command-text',
    match: /^cohere\.command-(light-)?text/,
    converse: NOTHING,
    datasets: {
      FINE_TUNING: {
        family: 'Cohere Command',
        format: 'prompt-completion',
        maxRecords: 10_000,
        maxValidationRecords: 1_000,
        maxInputTokens: 4096,
        maxOutputTokens: 2048,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
  },
  { name: 'cohere-command-light', match: /^cohere\.command-light/, converse: NOTHING },
  { name: 'cohere-command-r', match: /^cohere\.command-r/, converse: ALL },
  {
    name: 'cohere-command',
    match: /^cohere\.command/,
    hyperParameters: [
      hp('epochCount', 1, 100, 1),
      hp('batchSize', 8, 8, 8),
      hp('learningRate', 5e-6, 0.1, 1e-5, false),
      hp('evalPercentage', 5, 50, 20),
    ],
  },
  { name: 'cohere', match: /^cohere\./, request: { topK: (topK) => ({ k: topK }) } },
  // Meta
  {
    name: 'meta-llama2',
    match: /^meta\.llama2/,
    converse: { systemPrompt: true, tools: false, documents: false },
    datasets: {
      FINE_TUNING: {
        family: 'Meta Llama 2',
        format: 'prompt-completion',
        maxRecords: 10_000,
        maxTokensPerRecord: 4096,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
  },
  {
    name: 'meta-llama3',
    match: /^meta\.llama3-(8b|70b)-instruct/,
    converse: { systemPrompt: true, tools: false, documents: true },
  },
  {
    name: 'meta-llama3-1-8b',
    match: /^meta\.llama3-1-8b/,
    datasets: {
      DISTILLATION: {
        family: 'Meta Llama 3.1 8B (distillation student)',
        format: 'distillation-prompts',
        minRecords: 100,
        singleTurn: true,
        trainingFileBytes: 2 * GB,
        validationAllowed: false,
      },
    },
  },
  {
    name: 'meta-llama3-1',
    match: /^meta\.llama3-1-(8b|70b)/,
    datasets: {
      FINE_TUNING: {
        family: 'Meta Llama 3.1',
        format: 'prompt-completion',
        minRecords: 100,
        maxRecords: 10_000,
        maxValidationRecords: 1_000,
        maxTokensPerRecord: 16_000,
        maxInputTokens: 16_000,
        maxOutputTokens: 16_000,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
  },
  {
    name: 'meta-llama3-2-90b',
    match: /^meta\.llama3-2-90b/,
    datasets: {
      FINE_TUNING: {
        family: 'Meta Llama 3.2 90B',
        format: 'bedrock-conversation',
        minRecords: 100,
        maxRecords: 10_000,
        maxValidationRecords: 1_000,
        maxTokensPerRecord: 10_000,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
  },
  {
    name: 'meta-llama3-2-3',
    match: /^meta\.llama3-(2|3)-/,
    datasets: {
      FINE_TUNING: {
        family: 'Meta Llama 3.2 / 3.3',
        format: 'bedrock-conversation',
        minRecords: 100,
        maxRecords: 10_000,
        maxValidationRecords: 1_000,
        maxTokensPerRecord: 16_000,
        trainingFileBytes: GB,
        validationFileBytes: 100 * MB,
        validationAllowed: true,
      },
    },
  },
  {
    name: 'meta',
    match: /^meta\./,
    converse: ALL,
    hyperParameters: [hp('epochCount', 1, 10, 5), hp('batchSize', 1, 1, 1), hp('learningRate', 5e-6, 0.1, 1e-4, false)],
  },
  // Mistral AI
  { name: 'mistral-7b-mixtral', match: /^mistral\.(mistral-7b|mixtral)/, converse: TEXT_ONLY },
  { name: 'mistral', match: /^mistral\./, converse: ALL },
  // AI21 Labs
  { name: 'ai21-jamba', match: /^ai21\.jamba/, converse: ALL },
  { name: 'ai21', match: /^ai21\./, converse: NOTHING },
  // DeepSeek
  { name: 'deepseek-r1', match: /^deepseek\.r1/, converse: { systemPrompt: true, tools: false, documents: true } },
  { name: 'deepseek-v3', match: /^deepseek\.v3/, structuredOutput: true },
  // OpenAI
  {
    name: 'openai-gpt-oss',
    match: /^openai\.gpt-oss/,
    structuredOutput: true,
  },
  { name: 'openai', match: /^openai\./, request: { reasoning: (r) => ({ reasoning_effort: r.effort ?? 'medium' }) } },
  // Open-weight families with native structured output
  { name: 'qwen', match: /^qwen\./, structuredOutput: true },
  { name: 'google-gemma', match: /^google\.gemma/, structuredOutput: true },
  { name: 'nvidia-nemotron', match: /^nvidia\.nemotron/, structuredOutput: true },
  { name: 'minimax', match: /^minimax\./, structuredOutput: true },
  { name: 'moonshot', match: /^moonshot(ai)?\./, structuredOutput: true },
];

/**
 * Who may teach whom in a distillation job: the user guide's "Choose teacher and student models" table,
 * as of DISTILLATION_PAIRS_AS_OF (from memory of that page, not a capture: the service has the last
 * word, and a job with another pair is sent as asked). A teacher is larger than its student.
 */
export const DISTILLATION_PAIRS_AS_OF = '2026-12';
const DISTILLATION_PAIRS: readonly { students: RegExp; teachers: readonly string[] }[] = [
  { students: /^amazon\.nova-(micro|lite)-v1/, teachers: ['amazon.nova-premier-v1:0', 'amazon.nova-pro-v1:0'] },
  { students: /^amazon\.nova-pro-v1/, teachers: ['amazon.nova-premier-v1:0'] },
  {
    students: /^anthropic\.claude-3-haiku/,
    teachers: ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  },
  { students: /^meta\.llama3-1-8b/, teachers: ['meta.llama3-1-405b-instruct-v1:0', 'meta.llama3-1-70b-instruct-v1:0'] },
];

/** The teachers the table pairs with a student model (its customization variant or on-demand id). */
export function distillationTeachersFor(studentRef: string): readonly string[] {
  const id = baseIdOf(studentRef);
  return DISTILLATION_PAIRS.find((p) => p.students.test(id))?.teachers ?? [];
}

/** The base model id a question is about: profiles, ARNs and context-length suffixes resolved. */
function baseIdOf(modelRef: string): string {
  return normalizeModelRef(modelRef).baseModelId ?? '';
}

/** The first family that matches the model and knows `aspect`. */
export function familyWith<K extends keyof ModelFamily>(
  modelRef: string,
  aspect: K,
): (ModelFamily & Required<Pick<ModelFamily, K>>) | undefined {
  const id = baseIdOf(modelRef);
  return MODEL_FAMILIES.find((f) => f[aspect] !== undefined && f.match.test(id)) as
    (ModelFamily & Required<Pick<ModelFamily, K>>) | undefined;
}

/** What Converse takes from this model; a family the table does not name is assumed to take everything. */
export function converseFeatures(modelRef: string): ConverseFeatures {
  return familyWith(modelRef, 'converse')?.converse ?? ALL;
}

/** Whether Converse takes search-result blocks from this model's callers (`bedrock.knowledgeBase.attach: searchResults`). */
export function takesSearchResults(modelRef: string): boolean {
  return familyWith(modelRef, 'searchResults')?.searchResults === true;
}

/** Whether Converse can constrain this model's answer to a JSON schema (others get the schema as an instruction). */
export function supportsStructuredOutput(modelRef: string): boolean {
  return familyWith(modelRef, 'structuredOutput')?.structuredOutput === true;
}

/** `config.topK` as this model's additionalModelRequestFields (`top_k` unless the family says otherwise). */
export function topKFields(modelRef: string, topK: number, existing: Record<string, unknown>): Record<string, unknown> {
  const quirk = MODEL_FAMILIES.find((f) => f.request?.topK && f.match.test(baseIdOf(modelRef)))?.request?.topK;
  return quirk ? quirk(topK, existing) : { top_k: topK };
}

/** `bedrock.reasoning` as this model's additionalModelRequestFields (nothing for a family without reasoning). */
export function reasoningFields(
  modelRef: string,
  r: { budgetTokens?: number; effort?: string },
): Record<string, unknown> {
  const quirk = MODEL_FAMILIES.find((f) => f.request?.reasoning && f.match.test(baseIdOf(modelRef)))?.request
    ?.reasoning;
  return quirk ? quirk(r) : {};
}

/** The format and limits for customizing a model this way, or undefined when Bedrock does not offer it. */
export function datasetRulesFor(modelRef: string, customization: Customization): ModelRules | undefined {
  const id = baseIdOf(modelRef);
  const family = MODEL_FAMILIES.find((f) => f.datasets?.[customization] && f.match.test(id));
  const rules = family?.datasets?.[customization];
  return rules && { ...rules, customization };
}

/** A family's customization hyperparameters (empty when the registry has none for it). */
export function hyperParametersFor(modelRef: string): HyperParameterSpec[] {
  return familyWith(modelRef, 'hyperParameters')?.hyperParameters ?? [];
}

/** What the pickers and the chat provider call a chat model: text in, text out (Converse serves it). */
export function isChatModel(m: { inputModalities: readonly string[]; outputModalities: readonly string[] }): boolean {
  return m.outputModalities.includes('TEXT') && m.inputModalities.includes('TEXT');
}

/**
 * Context window and the most output tokens one call may ask for, per model (base model ids; profiles
 * and provisioned ARNs resolve to them). Source: each provider's model card on Bedrock and the user
 * guide's model parameter pages, as of MODEL_LIMITS_AS_OF. Where a model has a larger window behind an
 * opt-in (Claude's 1M-token beta), the default is given. A model not in the table has no stated limits.
 */
export const MODEL_LIMITS_AS_OF = '2026-12-01';
const MODEL_LIMITS: Record<string, { contextWindow: number; maxOutputTokens: number }> = {
  'anthropic.claude-3-haiku-20240307-v1:0': { contextWindow: 200_000, maxOutputTokens: 4_096 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { contextWindow: 200_000, maxOutputTokens: 8_192 },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': { contextWindow: 200_000, maxOutputTokens: 8_192 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { contextWindow: 200_000, maxOutputTokens: 8_192 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'anthropic.claude-sonnet-4-20250514-v1:0': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'anthropic.claude-haiku-4-5-20251001-v1:0': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'anthropic.claude-opus-4-1-20250805-v1:0': { contextWindow: 200_000, maxOutputTokens: 32_000 },
  'anthropic.claude-opus-4-5-20251101-v1:0': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'amazon.nova-micro-v1:0': { contextWindow: 128_000, maxOutputTokens: 10_000 },
  'amazon.nova-lite-v1:0': { contextWindow: 300_000, maxOutputTokens: 10_000 },
  'amazon.nova-pro-v1:0': { contextWindow: 300_000, maxOutputTokens: 10_000 },
  'amazon.nova-premier-v1:0': { contextWindow: 1_000_000, maxOutputTokens: 32_000 },
  'amazon.titan-text-express-v1': { contextWindow: 8_000, maxOutputTokens: 8_192 },
  'amazon.titan-text-lite-v1': { contextWindow: 4_000, maxOutputTokens: 4_096 },
  'meta.llama3-8b-instruct-v1:0': { contextWindow: 8_000, maxOutputTokens: 2_048 },
  'meta.llama3-70b-instruct-v1:0': { contextWindow: 8_000, maxOutputTokens: 2_048 },
  'meta.llama3-1-8b-instruct-v1:0': { contextWindow: 128_000, maxOutputTokens: 2_048 },
  'meta.llama3-1-70b-instruct-v1:0': { contextWindow: 128_000, maxOutputTokens: 2_048 },
  'meta.llama3-3-70b-instruct-v1:0': { contextWindow: 128_000, maxOutputTokens: 2_048 },
  'mistral.mistral-7b-instruct-v0:2': { contextWindow: 32_000, maxOutputTokens: 8_192 },
  'mistral.mixtral-8x7b-instruct-v0:1': { contextWindow: 32_000, maxOutputTokens: 4_096 },
  'mistral.mistral-large-2402-v1:0': { contextWindow: 32_000, maxOutputTokens: 8_192 },
  'cohere.command-r-v1:0': { contextWindow: 128_000, maxOutputTokens: 4_000 },
  'cohere.command-r-plus-v1:0': { contextWindow: 128_000, maxOutputTokens: 4_000 },
  'ai21.jamba-1-5-mini-v1:0': { contextWindow: 256_000, maxOutputTokens: 4_096 },
  'ai21.jamba-1-5-large-v1:0': { contextWindow: 256_000, maxOutputTokens: 4_096 },
  'deepseek.r1-v1:0': { contextWindow: 128_000, maxOutputTokens: 32_768 },
};

/** A model's context window and largest output, with the date they were read (undefined: not in the table). */
export function modelLimits(
  modelRef: string,
): { contextWindow: number; maxOutputTokens: number; asOf: string } | undefined {
  const limits = Object.hasOwn(MODEL_LIMITS, baseIdOf(modelRef)) ? MODEL_LIMITS[baseIdOf(modelRef)] : undefined;
  return limits && { ...limits, asOf: MODEL_LIMITS_AS_OF };
}

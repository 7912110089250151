// Bedrock's customization data formats and limits per base model (from the AWS user guide's "Prepare
// your training datasets" tables and AWS's own validators; docs/ holds what the project relies on).

export type Customization = 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING';
export type DatasetFormat =
  'prompt-completion' | 'claude-messages' | 'bedrock-conversation' | 'cpt-input' | 'image-caption';

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
  trainingFileBytes: number;
  validationFileBytes?: number;
  validationAllowed: boolean;
  /** Caption length for image models. */
  captionChars?: { min: number; max: number };
}

/** Bedrock's estimate for record limits: about 6 characters per token. */
export const CHARS_PER_TOKEN = 6;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
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

const RULES: [RegExp, Customization, ModelRules][] = [
  [
    /^amazon\.titan-text-(express|lite)-v1/,
    'CONTINUED_PRE_TRAINING',
    {
      family: 'Amazon Titan Text (continued pre-training)',
      format: 'cpt-input',
      customization: 'CONTINUED_PRE_TRAINING',
      maxRecords: 100_000,
      maxTokensPerRecord: 4096,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^amazon\.titan-text-(express|lite)-v1/,
    'FINE_TUNING',
    {
      family: 'Amazon Titan Text',
      format: 'prompt-completion',
      customization: 'FINE_TUNING',
      maxRecords: 10_000,
      maxTokensPerRecord: 4096,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^amazon\.titan-text-premier/,
    'FINE_TUNING',
    {
      family: 'Amazon Titan Text Premier',
      format: 'prompt-completion',
      customization: 'FINE_TUNING',
      maxRecords: 20_000,
      maxTokensPerRecord: 4096,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^amazon\.nova-(micro|lite|pro)/,
    'FINE_TUNING',
    {
      family: 'Amazon Nova',
      format: 'bedrock-conversation',
      customization: 'FINE_TUNING',
      minRecords: 8,
      maxRecords: 20_000,
      forbidden: NOVA_FORBIDDEN,
      trainingFileBytes: 10 * GB,
      validationFileBytes: GB,
      validationAllowed: true,
    },
  ],
  [
    /^anthropic\.claude-3-haiku-20240307/,
    'FINE_TUNING',
    {
      family: 'Anthropic Claude 3 Haiku',
      format: 'claude-messages',
      customization: 'FINE_TUNING',
      minRecords: 32,
      maxRecords: 10_000,
      maxValidationRecords: 1_000,
      maxTokensPerRecord: 32_000,
      trainingFileBytes: 10 * GB,
      validationFileBytes: GB,
      validationAllowed: true,
    },
  ],
  [
    /^meta\.llama3-1-(8b|70b)/,
    'FINE_TUNING',
    {
      family: 'Meta Llama 3.1',
      format: 'prompt-completion',
      customization: 'FINE_TUNING',
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
  ],
  [
    /^meta\.llama3-2-90b/,
    'FINE_TUNING',
    {
      family: 'Meta Llama 3.2 90B',
      format: 'bedrock-conversation',
      customization: 'FINE_TUNING',
      minRecords: 100,
      maxRecords: 10_000,
      maxValidationRecords: 1_000,
      maxTokensPerRecord: 10_000,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^meta\.llama3-(2|3)-/,
    'FINE_TUNING',
    {
      family: 'Meta Llama 3.2 / 3.3',
      format: 'bedrock-conversation',
      customization: 'FINE_TUNING',
      minRecords: 100,
      maxRecords: 10_000,
      maxValidationRecords: 1_000,
      maxTokensPerRecord: 16_000,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^meta\.llama2/,
    'FINE_TUNING',
    {
      family: 'Meta Llama 2',
      format: 'prompt-completion',
      customization: 'FINE_TUNING',
      maxRecords: 10_000,
      maxTokensPerRecord: 4096,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^cohere\.command-(light-)?text/,
    'FINE_TUNING',
    {
      family: 'Cohere Command',
      format: 'prompt-completion',
      customization: 'FINE_TUNING',
      maxRecords: 10_000,
      maxValidationRecords: 1_000,
      maxInputTokens: 4096,
      maxOutputTokens: 2048,
      trainingFileBytes: GB,
      validationFileBytes: 100 * MB,
      validationAllowed: true,
    },
  ],
  [
    /^amazon\.titan-image-generator/,
    'FINE_TUNING',
    {
      family: 'Amazon Titan Image Generator',
      format: 'image-caption',
      customization: 'FINE_TUNING',
      minRecords: 5,
      maxRecords: 10_000,
      captionChars: { min: 3, max: 1024 },
      trainingFileBytes: GB,
      validationAllowed: false,
    },
  ],
  [
    /^amazon\.titan-embed-image/,
    'FINE_TUNING',
    {
      family: 'Amazon Titan Multimodal Embeddings',
      format: 'image-caption',
      customization: 'FINE_TUNING',
      minRecords: 1000,
      maxRecords: 500_000,
      captionChars: { min: 1, max: 2560 },
      trainingFileBytes: GB,
      validationAllowed: false,
    },
  ],
];

/** The format and limits for customizing `modelId` this way, or undefined when Bedrock does not offer it. */
export function rulesFor(modelId: string, customization: Customization): ModelRules | undefined {
  const id = modelId.replace(/^arn:[^/]+\//, '');
  return RULES.find(([re, c]) => c === customization && re.test(id))?.[2];
}

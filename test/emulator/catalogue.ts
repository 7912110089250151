// The emulator's own model catalogue, written from AWS's "Supported foundation models" table (captured
// 2026-02-15). It is deliberately independent of the extension's code so that the
// extension is tested against data it did not produce itself.

export type Modality = 'TEXT' | 'IMAGE' | 'EMBEDDING' | 'VIDEO' | 'SPEECH' | 'AUDIO';
export type Customization = 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION';
export type InferenceType = 'ON_DEMAND' | 'PROVISIONED' | 'INFERENCE_PROFILE';

export interface CatalogueModel {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: Modality[];
  outputModalities: Modality[];
  /** undefined for embedding and image models, as in real responses */
  responseStreamingSupported?: boolean;
  customizationsSupported: Customization[];
  inferenceTypesSupported: InferenceType[];
  lifecycle: 'ACTIVE' | 'LEGACY';
  /** Runtime behaviour the emulator enforces (not part of the API shape). */
  converse: boolean;
  systemPrompt: boolean;
  /** Accepts Converse `outputConfig.textFormat` (structured output). */
  structuredOutput: boolean;
  /** Inference-profile geographies this model is offered in. */
  profiles: string[];
}

interface Row {
  id: string;
  name: string;
  in?: Modality[];
  out?: Modality[];
  stream?: boolean;
  cust?: Customization[];
  /** 'od' on demand, 'ip' inference profile only, 'prov' provisioned only */
  reach?: 'od' | 'ip' | 'prov';
  legacy?: boolean;
  converse?: boolean;
  system?: boolean;
  profiles?: string[];
}

// The models AWS lists for structured output (Converse outputConfig), as the service enforces it.
const STRUCTURED_OUTPUT =
  /^(anthropic\.claude-(sonnet|haiku|opus)-4-5|anthropic\.claude-opus-4-6|openai\.gpt-oss|qwen\.|deepseek\.v3|google\.gemma|nvidia\.nemotron|minimax\.|moonshot)/;

const T: Modality[] = ['TEXT'];
const TI: Modality[] = ['TEXT', 'IMAGE'];
const TIV: Modality[] = ['TEXT', 'IMAGE', 'VIDEO'];
const EMB: Modality[] = ['EMBEDDING'];
const IMG: Modality[] = ['IMAGE'];
const US_EU_APAC = ['us', 'eu', 'apac'];

const providers: Record<string, Row[]> = {
  'AI21 Labs': [
    { id: 'ai21.jamba-1-5-large-v1:0', name: 'Jamba 1.5 Large' },
    { id: 'ai21.jamba-1-5-mini-v1:0', name: 'Jamba 1.5 Mini' },
    { id: 'ai21.j2-ultra-v1', name: 'Jurassic-2 Ultra', stream: false, legacy: true, converse: false },
    { id: 'ai21.j2-mid-v1', name: 'Jurassic-2 Mid', stream: false, legacy: true, converse: false },
  ],
  Amazon: [
    { id: 'amazon.nova-micro-v1:0', name: 'Nova Micro', cust: ['FINE_TUNING', 'DISTILLATION'], profiles: US_EU_APAC },
    { id: 'amazon.nova-micro-v1:0:128k', name: 'Nova Micro', cust: ['FINE_TUNING', 'DISTILLATION'], reach: 'prov' },
    {
      id: 'amazon.nova-lite-v1:0',
      name: 'Nova Lite',
      in: TIV,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      profiles: US_EU_APAC,
    },
    {
      id: 'amazon.nova-lite-v1:0:300k',
      name: 'Nova Lite',
      in: TIV,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      reach: 'prov',
    },
    {
      id: 'amazon.nova-pro-v1:0',
      name: 'Nova Pro',
      in: TIV,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      profiles: US_EU_APAC,
    },
    {
      id: 'amazon.nova-pro-v1:0:300k',
      name: 'Nova Pro',
      in: TIV,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      reach: 'prov',
    },
    { id: 'amazon.nova-premier-v1:0', name: 'Nova Premier', in: TIV, reach: 'ip', profiles: ['us'] },
    { id: 'amazon.nova-2-lite-v1:0', name: 'Nova 2 Lite', in: TIV, reach: 'ip', profiles: ['us', 'eu', 'global'] },
    { id: 'amazon.nova-sonic-v1:0', name: 'Nova Sonic', in: ['SPEECH'], out: ['SPEECH', 'TEXT'], converse: false },
    { id: 'amazon.nova-canvas-v1:0', name: 'Nova Canvas', in: TI, out: IMG, stream: undefined, converse: false },
    { id: 'amazon.nova-reel-v1:1', name: 'Nova Reel', in: TI, out: ['VIDEO'], stream: undefined, converse: false },
    {
      id: 'amazon.nova-2-multimodal-embeddings-v1:0',
      name: 'Nova Multimodal Embeddings',
      in: ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO'],
      out: EMB,
      converse: false,
    },
    { id: 'amazon.titan-text-express-v1', name: 'Titan Text G1 - Express', legacy: true, system: false },
    {
      id: 'amazon.titan-text-express-v1:0:8k',
      name: 'Titan Text G1 - Express',
      cust: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'],
      reach: 'prov',
      legacy: true,
      system: false,
    },
    { id: 'amazon.titan-text-lite-v1', name: 'Titan Text G1 - Lite', legacy: true, system: false },
    {
      id: 'amazon.titan-text-lite-v1:0:4k',
      name: 'Titan Text G1 - Lite',
      cust: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'],
      reach: 'prov',
      legacy: true,
      system: false,
    },
    { id: 'amazon.titan-text-premier-v1:0', name: 'Titan Text G1 - Premier', legacy: true },
    { id: 'amazon.titan-tg1-large', name: 'Titan Text Large', legacy: true, system: false },
    { id: 'amazon.titan-embed-text-v1', name: 'Titan Embeddings G1 - Text', out: EMB, converse: false },
    { id: 'amazon.titan-embed-text-v2:0', name: 'Titan Text Embeddings V2', out: EMB, converse: false },
    {
      id: 'amazon.titan-embed-image-v1',
      name: 'Titan Multimodal Embeddings G1',
      in: TI,
      out: EMB,
      cust: ['FINE_TUNING'],
      converse: false,
    },
    {
      id: 'amazon.titan-image-generator-v2:0',
      name: 'Titan Image Generator G1 v2',
      in: TI,
      out: IMG,
      cust: ['FINE_TUNING'],
      converse: false,
    },
    { id: 'amazon.rerank-v1:0', name: 'Amazon Rerank 1.0', stream: false, converse: false },
  ],
  Anthropic: [
    {
      id: 'anthropic.claude-3-haiku-20240307-v1:0',
      name: 'Claude 3 Haiku',
      in: TI,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      profiles: US_EU_APAC,
    },
    {
      id: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
      name: 'Claude 3 Haiku',
      in: TI,
      cust: ['FINE_TUNING', 'DISTILLATION'],
      reach: 'prov',
    },
    { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', name: 'Claude 3.5 Haiku', profiles: ['us'] },
    {
      id: 'anthropic.claude-3-sonnet-20240229-v1:0',
      name: 'Claude 3 Sonnet',
      in: TI,
      legacy: true,
      profiles: ['us', 'eu'],
    },
    { id: 'anthropic.claude-3-opus-20240229-v1:0', name: 'Claude 3 Opus', in: TI, legacy: true, profiles: ['us'] },
    {
      id: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      name: 'Claude 3.5 Sonnet',
      in: TI,
      legacy: true,
      profiles: US_EU_APAC,
    },
    {
      id: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
      name: 'Claude 3.5 Sonnet v2',
      in: TI,
      reach: 'ip',
      legacy: true,
      profiles: ['us', 'apac'],
    },
    {
      id: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      name: 'Claude 3.7 Sonnet',
      in: TI,
      reach: 'ip',
      legacy: true,
      profiles: ['us', 'eu', 'apac'],
    },
    {
      id: 'anthropic.claude-sonnet-4-20250514-v1:0',
      name: 'Claude Sonnet 4',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu', 'apac', 'global'],
    },
    {
      id: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      name: 'Claude Sonnet 4.5',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu', 'global'],
    },
    {
      id: 'anthropic.claude-haiku-4-5-20251001-v1:0',
      name: 'Claude Haiku 4.5',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu', 'global'],
    },
    { id: 'anthropic.claude-opus-4-1-20250805-v1:0', name: 'Claude Opus 4.1', in: TI, reach: 'ip', profiles: ['us'] },
    {
      id: 'anthropic.claude-opus-4-5-20251101-v1:0',
      name: 'Claude Opus 4.5',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu', 'global'],
    },
    {
      id: 'anthropic.claude-opus-4-6-v1',
      name: 'Claude Opus 4.6',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu', 'global'],
    },
  ],
  Cohere: [
    { id: 'cohere.command-r-v1:0', name: 'Command R' },
    { id: 'cohere.command-r-plus-v1:0', name: 'Command R+' },
    { id: 'cohere.command-text-v14', name: 'Command', legacy: true, converse: false },
    {
      id: 'cohere.command-text-v14:7:4k',
      name: 'Command',
      cust: ['FINE_TUNING'],
      reach: 'prov',
      legacy: true,
      converse: false,
    },
    { id: 'cohere.command-light-text-v14', name: 'Command Light', legacy: true, converse: false },
    {
      id: 'cohere.command-light-text-v14:7:4k',
      name: 'Command Light',
      cust: ['FINE_TUNING'],
      reach: 'prov',
      legacy: true,
      converse: false,
    },
    { id: 'cohere.embed-english-v3', name: 'Embed English', out: EMB, converse: false },
    { id: 'cohere.embed-multilingual-v3', name: 'Embed Multilingual', out: EMB, converse: false },
    { id: 'cohere.embed-v4:0', name: 'Embed v4', in: TI, out: EMB, converse: false, profiles: ['us', 'eu'] },
    { id: 'cohere.rerank-v3-5:0', name: 'Rerank 3.5', stream: false, converse: false },
  ],
  Meta: [
    { id: 'meta.llama3-8b-instruct-v1:0', name: 'Llama 3 8B Instruct' },
    { id: 'meta.llama3-70b-instruct-v1:0', name: 'Llama 3 70B Instruct' },
    {
      id: 'meta.llama3-1-8b-instruct-v1:0',
      name: 'Llama 3.1 8B Instruct',
      cust: ['FINE_TUNING', 'DISTILLATION'],
      profiles: ['us'],
    },
    {
      id: 'meta.llama3-1-8b-instruct-v1:0:128k',
      name: 'Llama 3.1 8B Instruct',
      cust: ['FINE_TUNING', 'DISTILLATION'],
      reach: 'prov',
    },
    { id: 'meta.llama3-1-70b-instruct-v1:0', name: 'Llama 3.1 70B Instruct', cust: ['FINE_TUNING'], profiles: ['us'] },
    {
      id: 'meta.llama3-1-70b-instruct-v1:0:128k',
      name: 'Llama 3.1 70B Instruct',
      cust: ['FINE_TUNING'],
      reach: 'prov',
    },
    { id: 'meta.llama3-1-405b-instruct-v1:0', name: 'Llama 3.1 405B Instruct' },
    {
      id: 'meta.llama3-2-1b-instruct-v1:0',
      name: 'Llama 3.2 1B Instruct',
      cust: ['FINE_TUNING'],
      reach: 'ip',
      profiles: ['us', 'eu'],
    },
    {
      id: 'meta.llama3-2-3b-instruct-v1:0',
      name: 'Llama 3.2 3B Instruct',
      cust: ['FINE_TUNING'],
      reach: 'ip',
      profiles: ['us', 'eu'],
    },
    {
      id: 'meta.llama3-2-11b-instruct-v1:0',
      name: 'Llama 3.2 11B Vision Instruct',
      in: TI,
      cust: ['FINE_TUNING'],
      reach: 'ip',
      profiles: ['us'],
    },
    {
      id: 'meta.llama3-2-90b-instruct-v1:0',
      name: 'Llama 3.2 90B Vision Instruct',
      in: TI,
      cust: ['FINE_TUNING'],
      reach: 'ip',
      profiles: ['us'],
    },
    {
      id: 'meta.llama3-3-70b-instruct-v1:0',
      name: 'Llama 3.3 70B Instruct',
      cust: ['FINE_TUNING'],
      reach: 'ip',
      profiles: ['us'],
    },
    {
      id: 'meta.llama4-scout-17b-instruct-v1:0',
      name: 'Llama 4 Scout 17B Instruct',
      in: TI,
      reach: 'ip',
      profiles: ['us'],
    },
    {
      id: 'meta.llama4-maverick-17b-instruct-v1:0',
      name: 'Llama 4 Maverick 17B Instruct',
      in: TI,
      reach: 'ip',
      profiles: ['us'],
    },
    { id: 'meta.llama2-13b-chat-v1', name: 'Llama 2 Chat 13B', legacy: true },
    { id: 'meta.llama2-13b-v1:0:4k', name: 'Llama 2 13B', cust: ['FINE_TUNING'], reach: 'prov', legacy: true },
  ],
  'Mistral AI': [
    { id: 'mistral.mistral-7b-instruct-v0:2', name: 'Mistral 7B Instruct', system: false },
    { id: 'mistral.mixtral-8x7b-instruct-v0:1', name: 'Mixtral 8x7B Instruct', system: false },
    { id: 'mistral.mistral-small-2402-v1:0', name: 'Mistral Small (24.02)' },
    { id: 'mistral.mistral-large-2402-v1:0', name: 'Mistral Large (24.02)' },
    { id: 'mistral.mistral-large-2407-v1:0', name: 'Mistral Large (24.07)' },
    {
      id: 'mistral.pixtral-large-2502-v1:0',
      name: 'Pixtral Large (25.02)',
      in: TI,
      reach: 'ip',
      profiles: ['us', 'eu'],
    },
    { id: 'mistral.mistral-large-3-675b-instruct', name: 'Mistral Large 3' },
    { id: 'mistral.ministral-3-8b-instruct', name: 'Ministral 3 8B' },
    { id: 'mistral.magistral-small-2509', name: 'Magistral Small' },
  ],
  'Stability AI': [
    {
      id: 'stability.sd3-5-large-v1:0',
      name: 'Stable Diffusion 3.5 Large',
      in: TI,
      out: IMG,
      stream: false,
      converse: false,
    },
    { id: 'stability.stable-image-core-v1:1', name: 'Stable Image Core 1.0', out: IMG, stream: false, converse: false },
    {
      id: 'stability.stable-image-ultra-v1:1',
      name: 'Stable Image Ultra 1.0',
      out: IMG,
      stream: false,
      converse: false,
    },
    {
      id: 'stability.stable-image-remove-background-v1:0',
      name: 'Stable Image Remove Background',
      in: TI,
      out: IMG,
      stream: false,
      converse: false,
    },
    {
      id: 'stability.stable-diffusion-xl-v1',
      name: 'SDXL 1.0',
      in: TI,
      out: IMG,
      stream: false,
      legacy: true,
      converse: false,
    },
  ],
  DeepSeek: [
    { id: 'deepseek.r1-v1:0', name: 'DeepSeek-R1', reach: 'ip', profiles: ['us'] },
    { id: 'deepseek.v3-v1:0', name: 'DeepSeek-V3.1' },
  ],
  OpenAI: [
    { id: 'openai.gpt-oss-20b-1:0', name: 'gpt-oss-20b' },
    { id: 'openai.gpt-oss-120b-1:0', name: 'gpt-oss-120b' },
  ],
  Qwen: [
    { id: 'qwen.qwen3-32b-v1:0', name: 'Qwen3 32B (dense)' },
    { id: 'qwen.qwen3-235b-a22b-2507-v1:0', name: 'Qwen3 235B A22B 2507' },
    { id: 'qwen.qwen3-coder-30b-a3b-v1:0', name: 'Qwen3 Coder 30B A3B' },
    { id: 'qwen.qwen3-vl-235b-a22b', name: 'Qwen3 VL 235B A22B', in: TI },
  ],
  Google: [
    { id: 'google.gemma-3-12b-it', name: 'Gemma 3 12B IT', in: TI },
    { id: 'google.gemma-3-27b-it', name: 'Gemma 3 27B IT', in: TI },
  ],
  Writer: [
    { id: 'writer.palmyra-x4-v1:0', name: 'Palmyra X4', reach: 'ip', profiles: ['us'] },
    { id: 'writer.palmyra-x5-v1:0', name: 'Palmyra X5', reach: 'ip', profiles: ['us'] },
  ],
  MiniMax: [{ id: 'minimax.minimax-m2', name: 'MiniMax M2' }],
  'Moonshot AI': [{ id: 'moonshot.kimi-k2-thinking', name: 'Kimi K2 Thinking' }],
  NVIDIA: [
    { id: 'nvidia.nemotron-nano-9b-v2', name: 'NVIDIA Nemotron Nano 9B v2' },
    { id: 'nvidia.nemotron-nano-12b-v2', name: 'NVIDIA Nemotron Nano 12B v2 VL', in: TI },
  ],
  TwelveLabs: [
    {
      id: 'twelvelabs.pegasus-1-2-v1:0',
      name: 'Pegasus v1.2',
      in: ['TEXT', 'VIDEO'],
      converse: false,
      reach: 'ip',
      profiles: ['us', 'eu'],
    },
    {
      id: 'twelvelabs.marengo-embed-2-7-v1:0',
      name: 'Marengo Embed v2.7',
      in: ['TEXT', 'IMAGE', 'SPEECH', 'VIDEO'],
      out: EMB,
      converse: false,
    },
  ],
  'Luma AI': [{ id: 'luma.ray-v2:0', name: 'Luma Ray v2', out: ['VIDEO'], stream: false, converse: false }],
};

function toModel(providerName: string, row: Row): CatalogueModel {
  const out = row.out ?? T;
  const generatesText = out.includes('TEXT');
  const reach = row.reach ?? 'od';
  return {
    modelId: row.id,
    modelName: row.name,
    providerName,
    inputModalities: row.in ?? T,
    outputModalities: out,
    // Real responses omit the flag for embedding and image models.
    responseStreamingSupported: generatesText ? (row.stream ?? true) : undefined,
    customizationsSupported: row.cust ?? [],
    inferenceTypesSupported: reach === 'od' ? ['ON_DEMAND'] : reach === 'ip' ? ['INFERENCE_PROFILE'] : ['PROVISIONED'],
    lifecycle: row.legacy ? 'LEGACY' : 'ACTIVE',
    converse: row.converse ?? generatesText,
    systemPrompt: row.system ?? true,
    structuredOutput: STRUCTURED_OUTPUT.test(row.id),
    profiles: row.profiles ?? [],
  };
}

export const foundationModels: readonly CatalogueModel[] = Object.entries(providers).flatMap(([provider, rows]) =>
  rows.map((row) => toModel(provider, row)),
);

export const PROFILE_REGIONS: Record<string, string[]> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
  eu: ['eu-central-1', 'eu-west-1', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-south-1', 'ap-southeast-2'],
  global: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
};

export function findModel(modelId: string): CatalogueModel | undefined {
  return foundationModels.find((m) => m.modelId === modelId);
}

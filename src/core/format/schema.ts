// The frontmatter keys this extension understands: Dotprompt's own and the `bedrock.*` extensions
// (Dotprompt keeps dotted keys as namespaced extensions, so Genkit and other tools ignore them).
// This key tree is the one source of the frontmatter's rules: the analyzer checks against it,
// completion offers from it and hover explains from it.

export type ValueKind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'string[]' | 'any';

export interface KeySpec {
  kind: ValueKind;
  doc: string;
  min?: number;
  max?: number;
  values?: string[];
  /** The keys a mapping may hold (config, input, output, bedrock.guardrail). */
  children?: Record<string, KeySpec>;
  /** Unknown child keys are allowed (config: they go to the model); only near misses are warned about. */
  openEnded?: boolean;
}

export const TOP_LEVEL_KEYS: Record<string, KeySpec> = {
  name: { kind: 'string', doc: "The prompt's name (Dotprompt). Defaults to the file name." },
  variant: {
    kind: 'string',
    doc: 'Variant name (Dotprompt); files named `name.variant.prompt` are variants of `name`.',
  },
  version: { kind: 'string', doc: 'A version label (Dotprompt).' },
  description: { kind: 'string', doc: 'What the prompt is for.' },
  model: {
    kind: 'string',
    doc: 'The Bedrock model to run: a model id (`anthropic.claude-3-haiku-20240307-v1:0`), an inference profile id or ARN (`us.anthropic.claude-sonnet-4-20250514-v1:0`), or a custom/provisioned model ARN. A `bedrock/` or `aws-bedrock/` prefix (Genkit) is accepted.',
  },
  config: {
    kind: 'object',
    doc: 'Generation settings: `temperature`, `maxOutputTokens`, `topP`, `topK`, `stopSequences`. Other keys are passed to the model as `additionalModelRequestFields`.',
  },
  input: { kind: 'object', doc: 'Input variables: `schema` (Picoschema or JSON Schema) and `default` values.' },
  output: {
    kind: 'object',
    doc: 'Expected output: `format` (`text` or `json`) and `schema` (Picoschema or JSON Schema).',
  },
  tools: { kind: 'string[]', doc: 'Names of the tools the model may call; each is defined in `toolDefs`.' },
  toolDefs: {
    kind: 'array',
    doc: 'Tool definitions (Dotprompt): `name`, `description`, `inputSchema` (Picoschema or JSON Schema).',
  },
  metadata: { kind: 'object', doc: 'Free-form metadata; not sent to the model.' },
  'bedrock.guardrail': {
    kind: 'object',
    doc: 'Apply a Bedrock guardrail: `identifier` (id or ARN), `version` (`"1"` or `DRAFT`), `trace` (`enabled`, `disabled`, `enabled_full`), `streamProcessingMode` (`sync`, `async`). Maps to `guardrailConfig`.',
  },
  'bedrock.additionalModelRequestFields': {
    kind: 'object',
    doc: 'Model-specific fields sent as `additionalModelRequestFields` (e.g. `{top_k: 50}`).',
  },
  'bedrock.additionalModelResponseFieldPaths': {
    kind: 'string[]',
    doc: 'JSON pointers of model-specific response fields to return (`/stop_sequence`).',
  },
  'bedrock.performanceConfig': {
    kind: 'object',
    doc: '`latency: standard | optimized` (latency-optimized inference where the model offers it). Maps to `performanceConfig`.',
  },
  'bedrock.serviceTier': {
    kind: 'string',
    doc: 'Service tier: `default`, `priority` or `flex`. Maps to `serviceTier.type`.',
    values: ['default', 'priority', 'flex'],
  },
  'bedrock.toolChoice': {
    kind: 'any',
    doc: '`auto` (default), `any` (must call a tool), or the name of one tool to call. Maps to `toolConfig.toolChoice`.',
  },
  'bedrock.requestMetadata': {
    kind: 'object',
    doc: 'Up to 16 string key/value pairs recorded with the invocation (`requestMetadata`), for cost allocation and log filtering.',
  },
  'bedrock.reasoning': {
    kind: 'object',
    doc: 'Extended reasoning for models that have it: `budgetTokens` (Anthropic Claude 3.7+: `thinking`), or `effort: low | medium | high` (Amazon Nova 2: `reasoningConfig`).',
  },
  'bedrock.cachePoints': {
    kind: 'string[]',
    doc: 'Where to put prompt-cache points: any of `system`, `tools`, `messages` (after the conversation so far).',
  },
};

const CONFIG_KEYS: Record<string, KeySpec> = {
  temperature: { kind: 'number', min: 0, max: 1, doc: 'Randomness, 0–1. Maps to `inferenceConfig.temperature`.' },
  maxOutputTokens: { kind: 'integer', min: 1, doc: 'Maximum tokens to generate. Maps to `inferenceConfig.maxTokens`.' },
  topP: { kind: 'number', min: 0, max: 1, doc: 'Nucleus sampling, 0–1. Maps to `inferenceConfig.topP`.' },
  topK: {
    kind: 'integer',
    min: 0,
    doc: "Sample from the K most likely tokens. Not part of Converse: sent in `additionalModelRequestFields` in the model family's own name (`top_k`, or Nova's `inferenceConfig.topK`).",
  },
  stopSequences: {
    kind: 'string[]',
    doc: 'Generation stops before any of these strings. Maps to `inferenceConfig.stopSequences`.',
  },
};

const INPUT_KEYS: Record<string, KeySpec> = {
  schema: { kind: 'any', doc: 'The input variables, as Picoschema (`name: string, description`) or JSON Schema.' },
  default: { kind: 'object', doc: 'Default values of input variables; a Run asks once for values missing here.' },
};

const OUTPUT_KEYS: Record<string, KeySpec> = {
  format: {
    kind: 'string',
    values: ['text', 'json'],
    doc: '`text` or `json`. With `json`, the run asks the model for JSON matching `schema` and checks the answer.',
  },
  schema: { kind: 'any', doc: 'The expected output, as Picoschema or JSON Schema.' },
};

const GUARDRAIL_KEYS: Record<string, KeySpec> = {
  identifier: { kind: 'string', doc: 'Guardrail id or ARN.' },
  version: { kind: 'string', doc: 'Guardrail version: a number in quotes (`"1"`) or `DRAFT`.' },
  trace: { kind: 'string', values: ['enabled', 'disabled', 'enabled_full'], doc: 'Return the guardrail trace.' },
  streamProcessingMode: { kind: 'string', values: ['sync', 'async'], doc: 'How the guardrail checks streamed output.' },
};

export const HELPERS: Record<string, string> = {
  role: '`{{role "system"}}`, `{{role "user"}}`, `{{role "model"}}`: starts a message with that role (`model` becomes Bedrock\'s `assistant`).',
  media:
    '`{{media url="./image.png"}}`: an image or document; workspace paths are sent as bytes, `s3://` URIs as S3 locations, `data:` URLs inline. `contentType=` overrides the type.',
  history: '`{{history}}`: where earlier conversation messages go.',
  section: '`{{section "name"}}`: a named section (Dotprompt), e.g. for retrieved documents.',
  json: '`{{json value}}`: the value as JSON text (`indent=2` to pretty-print).',
  toolUse:
    '`{{#toolUse id="tooluse_1" name="get_weather"}}{"city": "Paris"}{{/toolUse}}` in a model turn: a tool call the model made (a run writes it). Bedrock Prompt Lab only: other Dotprompt tools do not know it.',
  toolResult:
    '`{{#toolResult id="tooluse_1"}}{"temperatureC": 21}{{/toolResult}}` in a user turn: the result of that tool call, as JSON or text (`status="error"` for a failure); Run sends it back to the model.',
  ifEquals: '`{{#ifEquals a b}}…{{/ifEquals}}`: renders the block when a === b.',
  unlessEquals: '`{{#unlessEquals a b}}…{{/unlessEquals}}`: renders the block when a !== b.',
  if: 'Handlebars `{{#if x}}…{{else}}…{{/if}}`.',
  unless: 'Handlebars `{{#unless x}}…{{/unless}}`.',
  each: 'Handlebars `{{#each items}}…{{this}}…{{/each}}`.',
  with: 'Handlebars `{{#with obj}}…{{/with}}`.',
  lookup: 'Handlebars `{{lookup obj key}}`.',
  log: 'Handlebars `{{log value}}`.',
};

TOP_LEVEL_KEYS.config.children = CONFIG_KEYS;
TOP_LEVEL_KEYS.config.openEnded = true;
TOP_LEVEL_KEYS.input.children = INPUT_KEYS;
TOP_LEVEL_KEYS.output.children = OUTPUT_KEYS;
TOP_LEVEL_KEYS['bedrock.guardrail'].children = GUARDRAIL_KEYS;

/**
 * The spec of a frontmatter key by its path: `['config', 'temperature']`, or a dotted path whose first
 * part may itself hold dots (`bedrock.guardrail.trace`). Undefined for keys the tree does not know.
 */
export function keySpecAt(path: string | readonly string[]): KeySpec | undefined {
  const parts = typeof path === 'string' ? splitKeyPath(path) : path;
  let specs: Record<string, KeySpec> | undefined = TOP_LEVEL_KEYS;
  let spec: KeySpec | undefined;
  for (const part of parts) {
    spec = specs && Object.hasOwn(specs, part) ? specs[part] : undefined;
    if (!spec) return undefined;
    specs = spec.children;
  }
  return spec;
}

/** The keys allowed under a path (the top level for `[]`). */
export function childKeysAt(path: readonly string[]): Record<string, KeySpec> | undefined {
  return path.length === 0 ? TOP_LEVEL_KEYS : keySpecAt(path)?.children;
}

/** `bedrock.guardrail.trace` → ['bedrock.guardrail', 'trace']: top-level keys may contain dots. */
function splitKeyPath(path: string): string[] {
  const top = Object.keys(TOP_LEVEL_KEYS)
    .filter((k) => path === k || path.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (!top) return path.split('.');
  const rest = path.slice(top.length + 1);
  return rest ? [top, ...rest.split('.')] : [top];
}

export const ROLES = ['system', 'user', 'model'] as const;

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

export function closest(word: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.min(maxDistance, Math.max(1, Math.floor(word.length / 2))) ? best : undefined;
}

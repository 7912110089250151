// The frontmatter keys this extension understands: Dotprompt's own and the `bedrock.*` extensions
// (Dotprompt keeps dotted keys as namespaced extensions, so Genkit and other tools ignore them).
// Their one source is the published JSON Schema, docs/prompt-frontmatter.schema.json: the analyzer
// validates against it with Ajv (frontmatterChecks.ts), completion offers from it and hover explains from
// it, through the key tree read here. Editors with a YAML language server can use the schema as it is.
import FRONTMATTER_SCHEMA from '../../../docs/prompt-frontmatter.schema.json';

export { FRONTMATTER_SCHEMA };

export type ValueKind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'string[]' | 'any';

/** A JSON Schema as the frontmatter's schema writes them (the subset it uses). */
export interface JsonSchemaNode {
  type?: string;
  description?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean;
}

export interface KeySpec {
  kind: ValueKind;
  doc: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** The keys a mapping may hold (config, input, output, bedrock.guardrail). */
  children?: Record<string, KeySpec>;
  /** Unknown child keys are allowed (config: they go to the model); only near misses are warned about. */
  openEnded?: boolean;
  /** The key's own JSON Schema, which its value is validated against. */
  schema: JsonSchemaNode;
}

function specOf(node: JsonSchemaNode): KeySpec {
  const kind: ValueKind =
    node.type === 'array' && node.items?.type === 'string'
      ? 'string[]'
      : ((node.type as ValueKind | undefined) ?? 'any');
  const spec: KeySpec = { kind, doc: node.description ?? '', schema: node };
  if (node.enum) spec.values = node.enum;
  if (node.minimum !== undefined) spec.min = node.minimum;
  if (node.maximum !== undefined) spec.max = node.maximum;
  if (node.properties) {
    spec.children = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, specOf(v)]));
    spec.openEnded = node.additionalProperties !== false;
  }
  return spec;
}

export const TOP_LEVEL_KEYS: Record<string, KeySpec> = Object.fromEntries(
  Object.entries((FRONTMATTER_SCHEMA as { properties: Record<string, JsonSchemaNode> }).properties).map(([k, v]) => [
    k,
    specOf(v),
  ]),
);

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

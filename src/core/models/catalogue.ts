// The account's catalogue as the rest of the project reads it (foundation models, inference profiles,
// custom models, provisioned throughputs; fetched by core/bedrock/listCatalogue.ts), and what a model
// reference resolves to in it: how a model is reached, which profile or throughput runs it.
import { normalizeModelRef, type ModelRef } from './modelRef';
import { BedrockError } from '../shared/bedrockError';

export interface FoundationModel {
  modelId: string;
  modelArn: string;
  modelName: string;
  provider: string;
  inputModalities: string[];
  outputModalities: string[];
  /** undefined when the service does not say (embedding and image models). */
  streaming?: boolean;
  customizations: string[];
  inferenceTypes: string[];
  legacy: boolean;
}

export interface InferenceProfile {
  id: string;
  arn: string;
  name: string;
  type: string;
  status: string;
  /** Foundation-model ids the profile routes to (deduplicated across regions). */
  modelIds: string[];
  regions: string[];
}

export interface CustomModel {
  arn: string;
  name: string;
  baseModelId: string;
  baseModelName?: string;
  customizationType?: string;
  status?: string;
  created?: Date;
}

export interface ProvisionedThroughput {
  arn: string;
  name: string;
  modelArn: string;
  foundationModelArn?: string;
  status: string;
  modelUnits?: number;
  commitment?: string;
}

/** A prompt router: its ARN is a model id; per request it picks one of its models. */
export interface PromptRouter {
  arn: string;
  name: string;
  /** `default` (Bedrock's own) or `custom` (the account's). */
  type: string;
  /** The model ids it chooses between; the fallback is among them. */
  modelIds: string[];
  fallbackModelId: string;
  /** How much better (0–1) the stronger model's answer must be predicted to be before it is chosen. */
  responseQualityDifference?: number;
  description?: string;
}

/** A custom model deployed for on-demand use: its ARN is a model id. */
export interface Deployment {
  arn: string;
  name: string;
  /** The custom model it serves. */
  modelArn: string;
  status: string;
  failureMessage?: string;
}

/** A guardrail of the account (ListGuardrails: its working draft; versions are listed when one is used). */
export interface Guardrail {
  id: string;
  arn: string;
  name: string;
  status: string;
  description?: string;
}

/** A model imported into Bedrock (Custom Model Import) from its weights. */
export interface ImportedModel {
  arn: string;
  name: string;
  /** The architecture Bedrock read from its config (`llama`, `mistral`, `qwen2`, `gpt_oss`, …). */
  architecture?: string;
  /**
   * Whether Converse serves it (the service's `instructSupported`: a chat template was imported). When
   * not, a run sends InvokeModel with the OpenAI chat-completion body (chatCompletion.ts).
   */
  converse: boolean;
  created?: Date;
}

export interface Section<T> {
  items: T[];
  /** Set when the call failed; items is then empty. */
  error?: BedrockError;
}

export interface Catalogue {
  region: string;
  fetchedAt: string;
  foundationModels: Section<FoundationModel>;
  inferenceProfiles: Section<InferenceProfile>;
  customModels: Section<CustomModel>;
  provisionedThroughputs: Section<ProvisionedThroughput>;
  promptRouters: Section<PromptRouter>;
  guardrails: Section<Guardrail>;
  deployments: Section<Deployment>;
  importedModels: Section<ImportedModel>;
}

/** Foundation models grouped by provider, providers sorted by name, legacy models last in each group. */
export function groupByProvider(models: FoundationModel[]): Map<string, FoundationModel[]> {
  const groups = new Map<string, FoundationModel[]>();
  for (const m of models) {
    const list = groups.get(m.provider);
    if (list) list.push(m);
    else groups.set(m.provider, [m]);
  }
  const sorted = new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
  for (const list of sorted.values()) {
    list.sort(
      (a, b) =>
        Number(a.legacy) - Number(b.legacy) ||
        a.modelName.localeCompare(b.modelName) ||
        a.modelId.localeCompare(b.modelId),
    );
  }
  return sorted;
}

/** How a model can be called: on demand, only through an inference profile, or only provisioned. */
export function reachability(m: FoundationModel): 'on-demand' | 'inference-profile' | 'provisioned' | 'unknown' {
  if (m.inferenceTypes.includes('ON_DEMAND')) return 'on-demand';
  if (m.inferenceTypes.includes('INFERENCE_PROFILE')) return 'inference-profile';
  if (m.inferenceTypes.includes('PROVISIONED')) return 'provisioned';
  return 'unknown';
}

export interface ResolvedModel {
  kind: 'foundation' | 'profile' | 'custom' | 'provisioned' | 'router' | 'imported' | 'unknown';
  model?: FoundationModel;
}

/** Finds what a model reference names in the catalogue. */
export function resolveInCatalogue(
  ref: ModelRef,
  catalogue: Pick<Catalogue, 'foundationModels' | 'inferenceProfiles' | 'customModels' | 'provisionedThroughputs'> &
    Partial<Pick<Catalogue, 'promptRouters' | 'deployments' | 'importedModels'>>,
): ResolvedModel {
  const byId = (id: string | undefined) => catalogue.foundationModels.items.find((m) => m.modelId === id);
  if (ref.kind === 'imported-model')
    // No foundation model behind it: what it can do is not known from the catalogue.
    return catalogue.importedModels?.items.some((m) => m.arn === ref.modelId)
      ? { kind: 'imported' }
      : { kind: 'unknown' };
  if (ref.kind === 'custom-model-deployment') {
    const deployment = catalogue.deployments?.items.find((d) => d.arn === ref.modelId);
    const custom = deployment && catalogue.customModels.items.find((c) => c.arn === deployment.modelArn);
    return custom ? { kind: 'custom', model: byId(custom.baseModelId) } : { kind: 'unknown' };
  }
  if (ref.kind === 'prompt-router') {
    // What the router can do is what its fallback model can: either of its models may answer.
    const router = catalogue.promptRouters?.items.find((r) => r.arn === ref.modelId);
    return router ? { kind: 'router', model: byId(router.fallbackModelId) } : { kind: 'unknown' };
  }
  if (ref.kind === 'provisioned-model') {
    const pt = catalogue.provisionedThroughputs.items.find((p) => p.arn === ref.modelId);
    if (!pt) return { kind: 'unknown' };
    return { kind: 'provisioned', model: byId(pt.foundationModelArn?.split('/').pop()) };
  }
  if (ref.kind === 'custom-model') {
    return catalogue.customModels.items.some((c) => c.arn === ref.modelId)
      ? { kind: 'custom', model: byId(ref.baseModelId) }
      : { kind: 'unknown' };
  }
  if (ref.kind === 'inference-profile') {
    const p = catalogue.inferenceProfiles.items.find((x) => x.id === ref.modelId || x.arn === ref.modelId);
    return p ? { kind: 'profile', model: byId(p.modelIds[0]) } : { kind: 'unknown' };
  }
  if (ref.kind === 'foundation-model') {
    const m = byId(ref.baseModelId);
    return m ? { kind: 'foundation', model: m } : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

/** A custom model's provisioned throughput and the base model it was made from, run on demand. */
export interface ProvisionedAndBase {
  /** The provisioned throughput's ARN (what is sent as modelId). */
  arn: string;
  /** The custom model's name, or the throughput's. */
  name: string;
  modelUnits?: number;
  /** The base model's on-demand id. */
  base: string;
}

/**
 * The provisioned throughput that runs a custom model (given either ARN) and the base model on demand: the
 * customization variant's `:NNk` suffix, and a bare `:0` where needed, removed. Undefined when the
 * catalogue does not list it, or no throughput is in service for a custom model.
 */
export function provisionedAndBase(
  ref: string,
  catalogue: Pick<Catalogue, 'foundationModels' | 'customModels' | 'provisionedThroughputs'>,
): ProvisionedAndBase | undefined {
  const pt = catalogue.provisionedThroughputs.items.find(
    (p) => p.arn === ref || (p.modelArn === ref && p.status === 'InService'),
  );
  if (!pt) return undefined;
  const custom = catalogue.customModels.items.find((m) => m.arn === pt.modelArn);
  const baseId = custom?.baseModelId ?? pt.foundationModelArn?.split('/').pop();
  if (!baseId) return undefined;
  const onDemand = catalogue.foundationModels.items
    .filter((m) => m.inferenceTypes.includes('ON_DEMAND'))
    .map((m) => m.modelId);
  const candidates = [baseId, baseId.replace(/:\d+k$/, ''), baseId.replace(/:\d+k$/, '').replace(/:0$/, '')];
  return {
    arn: pt.arn,
    name: custom?.name ?? pt.name,
    modelUnits: pt.modelUnits,
    base: candidates.find((id) => onDemand.includes(id)) ?? candidates[1],
  };
}

/** Something in the catalogue a prompt can run on (the Models view's nodes for them have these shapes). */
export type CatalogueEntry =
  | { kind: 'model'; model: FoundationModel }
  | { kind: 'profile'; profile: InferenceProfile }
  | { kind: 'custom'; model: CustomModel }
  | { kind: 'provisioned'; throughput: ProvisionedThroughput }
  | { kind: 'router'; router: PromptRouter }
  | { kind: 'deployment'; deployment: Deployment }
  | { kind: 'imported'; model: ImportedModel };

/** The inference profile for a base model, preferring the region's geography (`us.`, `eu.`, `apac.`). */
export function profileFor(
  catalogue: Pick<Catalogue, 'inferenceProfiles' | 'region'> | undefined,
  modelId: string,
  fallbackRegion = 'us-east-1',
): string | undefined {
  const base = normalizeModelRef(modelId).baseModelId ?? modelId;
  const profiles = catalogue?.inferenceProfiles.items.filter((p) => p.modelIds.includes(base)) ?? [];
  const region = catalogue?.region ?? fallbackRegion;
  const geo = region.startsWith('eu-') ? 'eu' : region.startsWith('ap-') ? 'apac' : 'us';
  return (profiles.find((p) => p.id.startsWith(`${geo}.`)) ?? profiles[0])?.id;
}

/**
 * What an entry runs as: a model id, the matching inference profile for a model that runs only through
 * one, a provisioned throughput's ARN for a provisioned-only or custom model. Throws, with the fix, when
 * the account has nothing to run it on.
 */
export function runnableId(
  entry: CatalogueEntry | { kind: 'section' | 'provider' | 'error' | 'guardrail' },
  catalogue: Catalogue | undefined,
  fallbackRegion?: string,
): string {
  const inService = (match: (p: ProvisionedThroughput) => boolean) =>
    catalogue?.provisionedThroughputs.items.find((p) => match(p) && p.status === 'InService');
  switch (entry.kind) {
    case 'model': {
      const m = entry.model;
      if (reachability(m) === 'inference-profile') {
        const profile = profileFor(catalogue, m.modelId, fallbackRegion);
        if (!profile)
          throw new BedrockError(
            'NeedsInferenceProfile',
            `${m.modelName} runs only through an inference profile, and this account lists none for it in ${catalogue?.region ?? 'this region'}.`,
          );
        return profile;
      }
      if (reachability(m) === 'provisioned') {
        const pt = inService((p) => p.foundationModelArn?.endsWith(`/${m.modelId}`) === true);
        if (!pt)
          throw new BedrockError(
            'Validation',
            `${m.modelId} runs only with Provisioned Throughput, and this account has none in service for it. Buy Provisioned Throughput in the Bedrock console, or pick the on-demand model.`,
          );
        return pt.arn;
      }
      return m.modelId;
    }
    case 'profile':
      return entry.profile.id;
    case 'provisioned':
      return entry.throughput.arn;
    case 'router':
      return entry.router.arn;
    case 'imported':
      return entry.model.arn;
    case 'deployment':
      if (entry.deployment.status !== 'Active')
        throw new BedrockError(
          'Validation',
          `The deployment ${entry.deployment.name} is ${entry.deployment.status}: wait until it is Active (refresh the Models view), then run.`,
        );
      return entry.deployment.arn;
    case 'custom': {
      // On demand first (an Active deployment costs per token), else its provisioned throughput.
      const model = entry.model;
      const deployed = catalogue?.deployments?.items.find((d) => d.modelArn === model.arn && d.status === 'Active');
      if (deployed) return deployed.arn;
      const pt = inService((p) => p.modelArn === model.arn);
      if (!pt)
        throw new BedrockError(
          'Validation',
          `${model.name} is a custom model: it runs through an on-demand deployment or Provisioned Throughput, and it has neither ready. Deploy it for on-demand use from the Models view.`,
        );
      return pt.arn;
    }
    default:
      throw new BedrockError(
        'Validation',
        'Pick a model, an inference profile, a provisioned throughput or a prompt router.',
      );
  }
}

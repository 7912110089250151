// The account's catalogue fetched: foundation models, inference profiles, custom models, provisioned
// throughputs and prompt routers, in parallel. One failing call (say AccessDenied on ListCustomModels) does not hide the
// others: each section carries its own error. The shapes and what they resolve to: core/models/catalogue.ts.
import { arnOf } from '../shared/arn';
import type { ControlPlane } from './clients';
import { toBedrockError, type ErrorContext } from './errors';
import type {
  Catalogue,
  CustomModel,
  FoundationModel,
  InferenceProfile,
  Deployment,
  Guardrail,
  ImportedModel,
  PromptRouter,
  ProvisionedThroughput,
  Section,
} from '../models/catalogue';

/** The model id at the end of a model ARN (`…:foundation-model/amazon.nova-lite-v1:0`). */
const modelIdOfArn = (arn: string | undefined): string => arnOf(arn)?.resourceId.split('/').pop() ?? '';
const regionOfArn = (arn: string | undefined): string => arnOf(arn)?.region ?? '';

async function section<T>(call: () => Promise<T[]>, ctx: ErrorContext): Promise<Section<T>> {
  try {
    return { items: await call() };
  } catch (err) {
    return { items: [], error: toBedrockError(err, ctx) };
  }
}

export async function fetchCatalogue(control: ControlPlane, ctx: { profile?: string }): Promise<Catalogue> {
  const region = await control.region();
  const base = { profile: ctx.profile, region };
  // One list call as a section: its items mapped to the catalogue's shape, or its error kept.
  const listed = <S, T>(call: () => Promise<S[]>, operation: string, map: (item: S) => T) =>
    section(async () => (await call()).map(map), { ...base, operation });
  const [
    foundationModels,
    inferenceProfiles,
    customModels,
    provisionedThroughputs,
    promptRouters,
    guardrails,
    deployments,
    importedModels,
  ] = await Promise.all([
    listed(
      () => control.listFoundationModels(),
      'ListFoundationModels',
      (m): FoundationModel => ({
        modelId: m.modelId ?? modelIdOfArn(m.modelArn),
        modelArn: m.modelArn ?? '',
        modelName: m.modelName ?? m.modelId ?? '',
        provider: m.providerName ?? 'Other',
        inputModalities: m.inputModalities ?? [],
        outputModalities: m.outputModalities ?? [],
        streaming: m.responseStreamingSupported,
        customizations: m.customizationsSupported ?? [],
        inferenceTypes: m.inferenceTypesSupported ?? [],
        legacy: m.modelLifecycle?.status === 'LEGACY',
      }),
    ),
    listed(
      () => control.listInferenceProfiles(),
      'ListInferenceProfiles',
      (p): InferenceProfile => ({
        id: p.inferenceProfileId ?? '',
        arn: p.inferenceProfileArn ?? '',
        name: p.inferenceProfileName ?? p.inferenceProfileId ?? '',
        type: p.type ?? 'SYSTEM_DEFINED',
        status: p.status ?? 'ACTIVE',
        modelIds: [...new Set((p.models ?? []).map((m) => modelIdOfArn(m.modelArn)))],
        regions: [...new Set((p.models ?? []).map((m) => regionOfArn(m.modelArn)))],
      }),
    ),
    listed(
      () => control.listCustomModels(),
      'ListCustomModels',
      (m): CustomModel => ({
        arn: m.modelArn ?? '',
        name: m.modelName ?? '',
        baseModelId: modelIdOfArn(m.baseModelArn),
        baseModelName: m.baseModelName,
        customizationType: m.customizationType,
        status: m.modelStatus,
        created: m.creationTime,
      }),
    ),
    listed(
      () => control.listProvisionedThroughputs(),
      'ListProvisionedModelThroughputs',
      (p): ProvisionedThroughput => ({
        arn: p.provisionedModelArn ?? '',
        name: p.provisionedModelName ?? '',
        modelArn: p.modelArn ?? '',
        foundationModelArn: p.foundationModelArn,
        status: p.status ?? 'Unknown',
        modelUnits: p.modelUnits,
        commitment: p.commitmentDuration,
      }),
    ),
    listed(
      () => control.listPromptRouters(),
      'ListPromptRouters',
      (r): PromptRouter => ({
        arn: r.promptRouterArn ?? '',
        name: r.promptRouterName ?? '',
        type: r.type ?? 'default',
        modelIds: (r.models ?? []).map((m) => modelIdOfArn(m.modelArn)),
        fallbackModelId: modelIdOfArn(r.fallbackModel?.modelArn),
        responseQualityDifference: r.routingCriteria?.responseQualityDifference,
        description: r.description,
      }),
    ),
    listed(
      () => control.listGuardrails(),
      'ListGuardrails',
      (g): Guardrail => ({
        id: g.id ?? '',
        arn: g.arn ?? '',
        name: g.name ?? g.id ?? '',
        status: g.status ?? 'READY',
        description: g.description,
      }),
    ),
    listed(
      () => control.listCustomModelDeployments(),
      'ListCustomModelDeployments',
      (d): Deployment => ({
        arn: d.customModelDeploymentArn ?? '',
        name: d.customModelDeploymentName ?? '',
        modelArn: d.modelArn ?? '',
        status: d.status ?? 'Creating',
        failureMessage: d.failureMessage,
      }),
    ),
    listed(
      () => control.listImportedModels(),
      'ListImportedModels',
      (m): ImportedModel => ({
        arn: m.modelArn ?? '',
        name: m.modelName ?? '',
        architecture: m.modelArchitecture,
        converse: m.instructSupported === true,
        created: m.creationTime,
      }),
    ),
  ]);
  return {
    region,
    fetchedAt: new Date().toISOString(),
    foundationModels,
    inferenceProfiles,
    customModels,
    provisionedThroughputs,
    promptRouters,
    guardrails,
    deployments,
    importedModels,
  };
}

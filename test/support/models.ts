// Catalogue fixtures for unit tests: a foundation model with sensible defaults, and an empty catalogue.
import type { Catalogue, FoundationModel } from '../../src/core/models/catalogue';

export function foundationModel(id: string, extra: Partial<FoundationModel> = {}): FoundationModel {
  return {
    modelId: id,
    modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id}`,
    modelName: id,
    provider: id.split('.')[0],
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    customizations: [],
    inferenceTypes: ['ON_DEMAND'],
    legacy: false,
    ...extra,
  };
}

export function catalogueOf(parts: Partial<Catalogue> = {}): Catalogue {
  return {
    region: 'us-east-1',
    fetchedAt: '2026-12-01T00:00:00Z',
    foundationModels: { items: [] },
    inferenceProfiles: { items: [] },
    customModels: { items: [] },
    provisionedThroughputs: { items: [] },
    promptRouters: { items: [] },
    guardrails: { items: [] },
    deployments: { items: [] },
    importedModels: { items: [] },
    ...parts,
  };
}

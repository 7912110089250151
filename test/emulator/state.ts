// What the emulated account holds: the catalogue, inference profiles derived from it, custom models and
// provisioned throughputs. Tests may add to it through the library API or the control endpoint.
import { foundationModels, findModel, PROFILE_REGIONS, type CatalogueModel } from './catalogue';
import { ServiceError } from './http';

export const ACCOUNT_ID = '123456789012';
const CREATED = '2024-11-20T10:00:00Z';

export interface CustomModel {
  modelArn: string;
  modelName: string;
  baseModelId: string;
  customizationType: 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION';
  creationTime: string;
  modelStatus: 'Active' | 'Creating' | 'Failed';
}

export interface ProvisionedThroughput {
  provisionedModelName: string;
  provisionedModelArn: string;
  /** A foundation-model ARN or a custom-model ARN. */
  modelArn: string;
  foundationModelArn: string;
  modelUnits: number;
  status: 'Creating' | 'InService' | 'Updating' | 'Failed';
  commitmentDuration?: 'OneMonth' | 'SixMonths';
  creationTime: string;
}

export function foundationModelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

export interface ProfileSummary {
  inferenceProfileName: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  inferenceProfileArn: string;
  models: { modelArn: string }[];
  inferenceProfileId: string;
  status: 'ACTIVE';
  type: 'SYSTEM_DEFINED' | 'APPLICATION';
}

const GEO_LABEL: Record<string, string> = { us: 'US', eu: 'EU', apac: 'APAC', global: 'Global' };

/** Resolved target of a runtime call. */
export interface Target {
  model: CatalogueModel;
  /** How the id reached the model. */
  via: 'base' | 'profile' | 'provisioned';
}

export class AccountState {
  customModels: CustomModel[] = [];
  provisioned: ProvisionedThroughput[] = [];

  constructor(seed = true) {
    if (seed) this.seed();
  }

  private seed(): void {
    const region = 'us-east-1';
    const base = 'amazon.nova-lite-v1:0:300k';
    const custom: CustomModel = {
      modelArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:custom-model/${base}/a1b2c3d4e5f6`,
      modelName: 'support-tone-nova-lite',
      baseModelId: base,
      customizationType: 'FINE_TUNING',
      creationTime: CREATED,
      modelStatus: 'Active',
    };
    this.customModels.push(custom);
    this.provisioned.push({
      provisionedModelName: 'support-tone-pt',
      provisionedModelArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:provisioned-model/pt1a2b3c4d5e`,
      modelArn: custom.modelArn,
      foundationModelArn: foundationModelArn(region, base),
      modelUnits: 1,
      status: 'InService',
      commitmentDuration: 'OneMonth',
      creationTime: CREATED,
    });
  }

  profiles(region: string): ProfileSummary[] {
    const out: ProfileSummary[] = [];
    for (const model of foundationModels) {
      for (const geo of model.profiles) {
        const id = `${geo}.${model.modelId}`;
        out.push({
          inferenceProfileName: `${GEO_LABEL[geo] ?? geo} ${model.modelName}`,
          description: `Routes requests to ${model.modelName} in ${PROFILE_REGIONS[geo]?.join(', ')}.`,
          createdAt: CREATED,
          updatedAt: CREATED,
          inferenceProfileArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:inference-profile/${id}`,
          models: (PROFILE_REGIONS[geo] ?? [region]).map((r) => ({ modelArn: foundationModelArn(r, model.modelId) })),
          inferenceProfileId: id,
          status: 'ACTIVE',
          type: 'SYSTEM_DEFINED',
        });
      }
    }
    return out;
  }

  /** Resolves any runtime modelId form to the catalogue model, or throws the service's error. */
  resolve(rawId: string): Target {
    let id = rawId;
    const arn = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):(\d*):([a-z-]+)\/(.+)$/.exec(rawId);
    if (arn) {
      const [, , , kind, rest] = arn;
      if (kind === 'foundation-model') id = rest;
      else if (kind === 'inference-profile') id = rest;
      else if (kind === 'provisioned-model') {
        const pt = this.provisioned.find((p) => p.provisionedModelArn === rawId);
        if (!pt) throw ServiceError.notFound(`Provisioned model ${rawId} not found.`);
        if (pt.status !== 'InService')
          throw ServiceError.validation(
            `Provisioned model ${pt.provisionedModelName} is not in service (status ${pt.status}).`,
          );
        const baseId = pt.foundationModelArn.split('/').pop() ?? '';
        const model = findModel(baseId);
        if (!model) throw ServiceError.validation('The provided model identifier is invalid.');
        return { model, via: 'provisioned' };
      } else if (kind === 'custom-model') {
        throw ServiceError.validation(
          'Custom models can only be invoked through Provisioned Throughput. Retry with the ARN of a provisioned model.',
        );
      } else {
        throw ServiceError.validation('The provided model identifier is invalid.');
      }
    }
    const geo = /^(us|eu|apac|global|us-gov)\.(.+)$/.exec(id);
    if (geo) {
      const model = findModel(geo[2]);
      if (!model || !model.profiles.includes(geo[1]))
        throw ServiceError.validation('The provided model identifier is invalid.');
      return { model, via: 'profile' };
    }
    const model = findModel(id);
    if (!model) throw ServiceError.validation('The provided model identifier is invalid.');
    if (!model.inferenceTypesSupported.includes('ON_DEMAND')) {
      throw ServiceError.validation(
        `Invocation of model ID ${id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    }
    return { model, via: 'base' };
  }
}

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
  customizationType: 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION' | 'REINFORCEMENT_FINE_TUNING';
  creationTime: string;
  modelStatus: 'Active' | 'Creating' | 'Failed';
}

/** A model imported from its weights (Custom Model Import). */
export interface ImportedModel {
  modelArn: string;
  modelName: string;
  modelArchitecture: string;
  /** Converse serves it (its chat template was imported); otherwise InvokeModel only. */
  instructSupported: boolean;
  creationTime: string;
  /** Where its weights were read from. */
  s3Uri: string;
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

function router(
  region: string,
  resource: string,
  name: string,
  type: PromptRouter['type'],
  [strong, fallback]: [string, string],
): PromptRouter {
  return {
    promptRouterName: name,
    promptRouterArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:${resource}`,
    description: `Routes each request to ${findModel(strong)?.modelName} or ${findModel(fallback)?.modelName}.`,
    routingCriteria: { responseQualityDifference: 0.25 },
    models: [strong, fallback].map((m) => ({ modelArn: foundationModelArn(region, m) })),
    fallbackModel: { modelArn: foundationModelArn(region, fallback) },
    status: 'AVAILABLE',
    type,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
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
  via: 'base' | 'profile' | 'provisioned' | 'router';
  /** For a prompt router: the model it chose, as the service names it (`trace.promptRouter.invokedModelId`). */
  invokedModelId?: string;
}

/** A Bedrock project (ListProjects' summary shape). */
export interface Project {
  id: string;
  arn: string;
  name: string;
  status: 'active' | 'archived';
  createdAt: string;
  archivedAt?: string;
  dataRetention: { mode: 'inherit' | 'none' | 'default' | 'aws_review' | 'provider_data_share' };
}

/** A prompt router (ListPromptRouters' summary shape). */
export interface PromptRouter {
  promptRouterName: string;
  promptRouterArn: string;
  description: string;
  routingCriteria: { responseQualityDifference: number };
  models: { modelArn: string }[];
  fallbackModel: { modelArn: string };
  status: 'AVAILABLE';
  type: 'default' | 'custom';
  createdAt: string;
  updatedAt: string;
}

export class AccountState {
  customModels: CustomModel[] = [];
  importedModels: ImportedModel[] = [];
  provisioned: ProvisionedThroughput[] = [];
  projects: Project[] = [];
  /** The base model behind an Active custom model deployment (set by the server: deployments.ts). */
  deploymentBase?: (arn: string) => string;
  customRouters: PromptRouter[] = [];

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
    this.customModels.push(custom, {
      // A later training of the same base model, for Update Deployment (a deployment moves to it).
      modelArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:custom-model/${base}/f6e5d4c3b2a1`,
      modelName: 'support-tone-nova-lite-distilled',
      baseModelId: base,
      customizationType: 'DISTILLATION',
      creationTime: CREATED,
      modelStatus: 'Active',
    });
    // Two imported models: a Llama with its chat template (Converse serves it) and a GPT-OSS, which
    // Converse does not serve (InvokeModel with the OpenAI chat-completion body only).
    this.importedModels.push(
      {
        modelArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:imported-model/im1a2b3c4d5e`,
        modelName: 'support-llama-import',
        modelArchitecture: 'llama',
        instructSupported: true,
        creationTime: CREATED,
        s3Uri: 's3://bedrock-prompt-lab-data/weights/support-llama/',
      },
      {
        modelArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:imported-model/im6f7a8b9c0d`,
        modelName: 'support-gpt-oss-import',
        modelArchitecture: 'gpt_oss',
        instructSupported: false,
        creationTime: CREATED,
        s3Uri: 's3://bedrock-prompt-lab-data/weights/support-gpt-oss/',
      },
    );
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
    const project = (id: string, name: string, status: Project['status']): Project => ({
      id,
      arn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:project/${id}`,
      name,
      status,
      createdAt: CREATED,
      ...(status === 'archived' ? { archivedAt: CREATED } : {}),
      dataRetention: { mode: 'inherit' },
    });
    this.projects.push(
      project('default', 'Default project', 'active'),
      project('proj_support01', 'support-bot', 'active'),
      project('proj_legacy01', 'old-experiments', 'archived'),
    );
    this.customRouters.push(
      router(region, 'prompt-router/tickets7a1b2c', 'tickets-router', 'custom', [
        'amazon.nova-pro-v1:0',
        'amazon.nova-micro-v1:0',
      ]),
    );
  }

  /** The default routers Bedrock offers in every account, then the account's own. */
  routers(region: string): PromptRouter[] {
    return [
      router(region, 'default-prompt-router/anthropic.claude:1', 'Anthropic Prompt Router', 'default', [
        'anthropic.claude-3-5-sonnet-20240620-v1:0',
        'anthropic.claude-3-haiku-20240307-v1:0',
      ]),
      router(region, 'default-prompt-router/amazon.nova:1', 'Amazon Nova Prompt Router', 'default', [
        'amazon.nova-pro-v1:0',
        'amazon.nova-lite-v1:0',
      ]),
      ...this.customRouters,
    ];
  }

  /**
   * The target of a Converse call with its body: the model id resolved, a router's choice made (the
   * stronger model for a long last message, else the fallback: the service predicts quality, this
   * stands in for it), and the project checked as the service documents it.
   */
  invocation(
    rawId: string,
    body: { projectIdentifier?: unknown; messages?: { content?: { text?: unknown }[] }[] },
  ): Target {
    const routerArn = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):\d*:(default-prompt-router|prompt-router)\//.exec(rawId);
    let target: Target;
    if (routerArn) {
      const r = this.routers(routerArn[1]).find((x) => x.promptRouterArn === rawId);
      if (!r) throw ServiceError.notFound(`Prompt router ${rawId} not found.`);
      const last =
        body.messages
          ?.at(-1)
          ?.content?.map((c) => (typeof c.text === 'string' ? c.text : ''))
          .join('') ?? '';
      const chosen = last.length > 200 ? r.models.find((m) => m !== r.fallbackModel)! : r.fallbackModel;
      const modelId = chosen.modelArn.split('/').pop()!;
      const model = findModel(modelId)!;
      const geo = model.profiles.includes('us') ? 'us.' : '';
      target = {
        model,
        via: 'router',
        invokedModelId: `arn:aws:bedrock:${routerArn[1]}:${ACCOUNT_ID}:inference-profile/${geo}${modelId}`,
      };
    } else target = this.resolve(rawId);
    const project = body.projectIdentifier;
    if (project !== undefined && project !== 'default') {
      const p = this.projects.find((x) => x.id === project || x.arn === project);
      // [guess] the service's words for these two cases are not documented; the conditions are.
      if (!p) throw ServiceError.notFound(`Project ${String(project)} was not found in this account and Region.`);
      if (p.status !== 'active')
        throw ServiceError.validation(`Project ${p.id} is ${p.status}. Use an active project or the default project.`);
      if (/:application-inference-profile\//.test(rawId))
        throw ServiceError.validation(
          "Application inference profiles don't support non-default projects. Use a foundation model or a system-defined inference profile.",
        );
    }
    return target;
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

  importedModel(arnOrName: string): ImportedModel {
    const m = this.importedModels.find(
      (x) => x.modelArn === arnOrName || x.modelName === arnOrName || x.modelArn.endsWith(`/${arnOrName}`),
    );
    if (!m) throw ServiceError.notFound(`The imported model ${arnOrName} was not found.`);
    return m;
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
      } else if (kind === 'custom-model-deployment' && this.deploymentBase) {
        const model = findModel(this.deploymentBase(rawId));
        if (!model) throw ServiceError.validation('The provided model identifier is invalid.');
        return { model, via: 'base' };
      } else if (kind === 'imported-model') {
        const imported = this.importedModel(rawId);
        if (!imported.instructSupported)
          throw ServiceError.validation(
            `The model ${imported.modelName} does not support the Converse API: it was imported without a chat template. Call InvokeModel with the model's request format.`,
          );
        return { model: findModel('meta.llama3-1-8b-instruct-v1:0')!, via: 'base' };
      } else if (kind === 'custom-model') {
        throw ServiceError.validation(
          'A custom model runs through a custom model deployment (on demand) or Provisioned Throughput. Retry with the ARN of either.',
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

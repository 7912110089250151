// Every way a prompt can name what to run: a model id, a cross-region inference profile id, an ARN
// (foundation model, inference profile, application profile, custom model, provisioned model, prompt
// router), with
// or without Genkit's `bedrock/` prefix.
import { arnOf } from '../shared/arn';

export interface ModelRef {
  /** What is sent as Converse's modelId. */
  modelId: string;
  kind:
    | 'foundation-model'
    | 'inference-profile'
    | 'application-inference-profile'
    | 'custom-model'
    | 'provisioned-model'
    | 'prompt-router'
    | 'custom-model-deployment'
    | 'imported-model'
    | 'other-arn';
  /** The foundation model behind it, when it can be told from the reference alone. */
  baseModelId?: string;
  /** The profile's geography prefix (`us`, `eu`, `apac`, `global`, `us-gov`). */
  geo?: string;
}

const GEO = /^(us|eu|apac|global|us-gov|jp|au|ca)\.(.+)$/;

export function normalizeModelRef(raw: string): ModelRef {
  const modelId = raw.trim().replace(/^(aws-)?bedrock\//, '');
  const arn = arnOf(modelId);
  if (arn?.service === 'bedrock' && arn.resourceId) {
    const kind = arn.resourceType;
    const rest = arn.resourceId;
    if (kind === 'foundation-model') return { modelId, kind, baseModelId: rest };
    if (kind === 'inference-profile') {
      const geo = GEO.exec(rest);
      return { modelId, kind, baseModelId: geo ? geo[2] : rest, geo: geo?.[1] };
    }
    if (kind === 'custom-model') return { modelId, kind, baseModelId: rest.split('/')[0] };
    if (kind === 'provisioned-model' || kind === 'application-inference-profile') return { modelId, kind };
    if (kind === 'default-prompt-router' || kind === 'prompt-router') return { modelId, kind: 'prompt-router' };
    if (kind === 'custom-model-deployment' || kind === 'imported-model') return { modelId, kind };
    return { modelId, kind: 'other-arn' };
  }
  if (arn) return { modelId, kind: 'other-arn' };
  const geo = GEO.exec(modelId);
  if (geo) return { modelId, kind: 'inference-profile', baseModelId: geo[2], geo: geo[1] };
  return { modelId, kind: 'foundation-model', baseModelId: modelId };
}

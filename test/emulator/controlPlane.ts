// bedrock (control plane): the list/get calls behind the model explorer.
import { foundationModels, findModel, type CatalogueModel } from './catalogue';
import type { Fault } from './faults';
import { ServiceError, sendJson, type RequestContext } from './http';
import { foundationModelArn, type AccountState, type ImportedModel } from './state';

function summary(region: string, m: CatalogueModel) {
  const s: Record<string, unknown> = {
    modelArn: foundationModelArn(region, m.modelId),
    modelId: m.modelId,
    modelName: m.modelName,
    providerName: m.providerName,
    inputModalities: m.inputModalities,
    outputModalities: m.outputModalities,
    customizationsSupported: m.customizationsSupported,
    inferenceTypesSupported: m.inferenceTypesSupported,
    modelLifecycle: { status: m.lifecycle },
  };
  if (m.responseStreamingSupported !== undefined) s.responseStreamingSupported = m.responseStreamingSupported;
  return s;
}

/** maxResults/nextToken pagination over an array; the token is the next index. */
function page<T>(ctx: RequestContext, items: T[]): { items: T[]; nextToken?: string } {
  const max = Number(ctx.query.get('maxResults') ?? 1000);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw ServiceError.validation(
      `1 validation error detected: Value '${ctx.query.get('maxResults')}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const start = Number(ctx.query.get('nextToken') ?? 0);
  const slice = items.slice(start, start + max);
  return { items: slice, nextToken: start + max < items.length ? String(start + max) : undefined };
}

export function handleControlPlane(ctx: RequestContext, state: AccountState, faults: Fault[]): boolean {
  const [first, second] = ctx.segments;
  const http = faults.find((f) => f.kind === 'http');
  if (http && http.kind === 'http') throw ServiceError.of(http.error, http.message);
  const q = ctx.query;

  if (ctx.method === 'GET' && first === 'foundation-models' && second === undefined) {
    const provider = q.get('byProvider')?.toLowerCase();
    const cust = q.get('byCustomizationType');
    const outMod = q.get('byOutputModality');
    const inf = q.get('byInferenceType');
    const models = foundationModels.filter(
      (m) =>
        (!provider || m.providerName.toLowerCase() === provider) &&
        (!cust || m.customizationsSupported.includes(cust as never)) &&
        (!outMod || m.outputModalities.includes(outMod as never)) &&
        (!inf || m.inferenceTypesSupported.includes(inf as never)),
    );
    sendJson(ctx, 200, { modelSummaries: models.map((m) => summary(ctx.region, m)) });
    return true;
  }
  if (ctx.method === 'GET' && first === 'foundation-models' && second !== undefined) {
    const id = second.startsWith('arn:') ? (second.split('/').pop() ?? '') : second;
    const m = findModel(id);
    if (!m) throw ServiceError.notFound(`The model ${second} was not found.`);
    sendJson(ctx, 200, { modelDetails: summary(ctx.region, m) });
    return true;
  }
  if (ctx.method === 'GET' && first === 'inference-profiles' && second === undefined) {
    const type = q.get('type');
    const all = state.profiles(ctx.region).filter((p) => !type || p.type === type);
    const { items, nextToken } = page(ctx, all);
    sendJson(ctx, 200, { inferenceProfileSummaries: items, nextToken });
    return true;
  }
  if (ctx.method === 'GET' && first === 'inference-profiles' && second !== undefined) {
    const p = state
      .profiles(ctx.region)
      .find((x) => x.inferenceProfileId === second || x.inferenceProfileArn === second);
    if (!p) throw ServiceError.notFound(`Inference profile ${second} not found.`);
    sendJson(ctx, 200, p);
    return true;
  }
  if (ctx.method === 'GET' && first === 'imported-models') {
    const summary = (m: ImportedModel) => ({
      modelArn: m.modelArn,
      modelName: m.modelName,
      creationTime: m.creationTime,
      instructSupported: m.instructSupported,
      modelArchitecture: m.modelArchitecture,
    });
    if (second === undefined) {
      const name = q.get('nameContains');
      sendJson(ctx, 200, {
        modelSummaries: state.importedModels.filter((m) => !name || m.modelName.includes(name)).map(summary),
      });
      return true;
    }
    const m = state.importedModel(decodeURIComponent(second));
    sendJson(ctx, 200, {
      ...summary(m),
      jobName: `${m.modelName}-import`,
      modelDataSource: { s3DataSource: { s3Uri: m.s3Uri } },
      customModelUnits: { customModelUnitsPerModelCopy: 1, customModelUnitsVersion: '1.0' },
    });
    return true;
  }
  if (ctx.method === 'GET' && first === 'custom-models' && second === undefined) {
    const name = q.get('nameContains');
    const all = state.customModels
      .filter((m) => !name || m.modelName.includes(name))
      .map((m) => ({
        modelArn: m.modelArn,
        modelName: m.modelName,
        creationTime: m.creationTime,
        baseModelArn: foundationModelArn(ctx.region, m.baseModelId),
        baseModelName: findModel(m.baseModelId)?.modelName ?? m.baseModelId,
        customizationType: m.customizationType,
        ownerAccountId: '123456789012',
        modelStatus: m.modelStatus,
      }));
    const { items, nextToken } = page(ctx, all);
    sendJson(ctx, 200, { modelSummaries: items, nextToken });
    return true;
  }
  if (ctx.method === 'GET' && first === 'projects') {
    if (second !== undefined) {
      const p = state.projects.find((x) => x.id === second || x.arn === second);
      if (!p) throw ServiceError.notFound(`Project ${second} was not found.`);
      sendJson(ctx, 200, p);
      return true;
    }
    const status = q.get('statusFilter');
    const { items, nextToken } = page(
      ctx,
      state.projects.filter((p) => !status || p.status === status),
    );
    sendJson(ctx, 200, { projectSummaries: items, nextToken });
    return true;
  }
  if (ctx.method === 'GET' && first === 'prompt-routers') {
    const all = state.routers(ctx.region);
    if (second !== undefined) {
      const r = all.find((x) => x.promptRouterArn === second);
      if (!r) throw ServiceError.notFound(`Prompt router ${second} not found.`);
      sendJson(ctx, 200, r);
      return true;
    }
    const type = q.get('type');
    const { items, nextToken } = page(
      ctx,
      all.filter((r) => !type || r.type === type),
    );
    sendJson(ctx, 200, { promptRouterSummaries: items, nextToken });
    return true;
  }
  if (ctx.method === 'GET' && first === 'provisioned-model-throughputs') {
    const status = q.get('statusEquals');
    const all = state.provisioned
      .filter((p) => !status || p.status === status)
      .map((p) => ({
        ...p,
        desiredModelArn: p.modelArn,
        desiredModelUnits: p.modelUnits,
        lastModifiedTime: p.creationTime,
      }));
    const { items, nextToken } = page(ctx, all);
    sendJson(ctx, 200, { provisionedModelSummaries: items, nextToken });
    return true;
  }
  return false;
}

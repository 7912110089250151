// Custom model deployments: a custom model made available on demand (no Provisioned Throughput).
// Create / Get / List / Update / Delete under `/model-customization/custom-model-deployments` [sdk shapes]. A new
// deployment is Creating, then Active after `deployMs` (default 1 s) [guess: the service takes minutes];
// a runtime call on its ARN runs the custom model's base model, and is refused until it is Active.
import { ACCOUNT_ID, type AccountState } from './state';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';

export interface Deployment {
  customModelDeploymentArn: string;
  modelDeploymentName: string;
  modelArn: string;
  description?: string;
  createdAt: string;
  lastUpdatedAt: string;
  status: 'Creating' | 'Active' | 'Failed';
  readyAt: number;
  /** An update under way or done: the model it moves to, and when it has. */
  updateDetails?: { modelArn: string; updateStatus: 'Updating' | 'UpdateCompleted' | 'UpdateFailed' };
  updatedAt?: number;
}

export class Deployments {
  readonly all: Deployment[] = [];

  constructor(
    private readonly state: AccountState,
    private readonly deployMs = 1000,
  ) {}

  private refresh(): void {
    for (const d of this.all) {
      if (d.status === 'Creating' && Date.now() >= d.readyAt) {
        d.status = 'Active';
        d.lastUpdatedAt = new Date().toISOString();
      }
      // An update swaps the model once it has run its time; until then the old model answers.
      if (d.updateDetails?.updateStatus === 'Updating' && Date.now() >= (d.updatedAt ?? 0)) {
        d.modelArn = d.updateDetails.modelArn;
        d.updateDetails.updateStatus = 'UpdateCompleted';
        d.lastUpdatedAt = new Date().toISOString();
      }
    }
  }

  private find(id: string): Deployment {
    this.refresh();
    const d = this.all.find((x) => x.customModelDeploymentArn === id || x.customModelDeploymentArn.endsWith(`/${id}`));
    if (!d) throw ServiceError.notFound(`The custom model deployment ${id} was not found.`);
    return d;
  }

  /** The base model id behind a deployment ARN, once it is Active. */
  baseModelOf(arn: string): string {
    const d = this.find(arn);
    if (d.status !== 'Active')
      throw ServiceError.validation(
        `The custom model deployment ${d.modelDeploymentName} is ${d.status}. Wait until it is Active, then retry.`,
      );
    const model = this.state.customModels.find((m) => m.modelArn === d.modelArn);
    if (!model) throw ServiceError.validation('The custom model behind this deployment no longer exists.');
    return model.baseModelId;
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, id] = ctx.segments;
    if (a !== 'model-customization' || b !== 'custom-model-deployments') return false;
    this.refresh();
    const view = ({ readyAt: _ready, updatedAt: _updated, ...d }: Deployment) => d;
    if (ctx.method === 'POST' && id === undefined) {
      const body = parseJsonBody<{ modelDeploymentName?: string; modelArn?: string; description?: string }>(ctx);
      const name = String(body.modelDeploymentName ?? '');
      if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(name) || name.length > 63)
        throw ServiceError.validation(
          `1 validation error detected: Value '${name}' at 'modelDeploymentName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`,
        );
      const model = this.state.customModels.find((m) => m.modelArn === body.modelArn);
      if (!model) throw ServiceError.notFound(`The custom model ${body.modelArn} was not found.`);
      if (this.all.some((d) => d.modelDeploymentName === name))
        throw new ServiceError(409, 'ConflictException', `A deployment named ${name} already exists.`);
      const now = new Date().toISOString();
      const d: Deployment = {
        customModelDeploymentArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:custom-model-deployment/${Math.random().toString(36).slice(2, 14)}`,
        modelDeploymentName: name,
        modelArn: model.modelArn,
        description: body.description,
        createdAt: now,
        lastUpdatedAt: now,
        status: 'Creating',
        readyAt: Date.now() + this.deployMs,
      };
      this.all.push(d);
      sendJson(ctx, 202, { customModelDeploymentArn: d.customModelDeploymentArn });
      return true;
    }
    if (ctx.method === 'GET' && id === undefined) {
      const model = ctx.query.get('modelArnEquals');
      const status = ctx.query.get('statusEquals');
      const items = this.all.filter((d) => (!model || d.modelArn === model) && (!status || d.status === status));
      sendJson(ctx, 200, {
        modelDeploymentSummaries: items.map((d) => ({
          customModelDeploymentArn: d.customModelDeploymentArn,
          customModelDeploymentName: d.modelDeploymentName,
          modelArn: d.modelArn,
          createdAt: d.createdAt,
          status: d.status,
          lastUpdatedAt: d.lastUpdatedAt,
        })),
      });
      return true;
    }
    if (ctx.method === 'GET') {
      sendJson(ctx, 200, view(this.find(decodeURIComponent(id))));
      return true;
    }
    if (ctx.method === 'PATCH' && id !== undefined) {
      const d = this.find(decodeURIComponent(id));
      const body = parseJsonBody<{ modelArn?: string }>(ctx);
      const model = this.state.customModels.find((m) => m.modelArn === body.modelArn);
      if (!model) throw ServiceError.notFound(`The custom model ${body.modelArn} was not found.`);
      const current = this.state.customModels.find((m) => m.modelArn === d.modelArn);
      if (d.status !== 'Active' || d.updateDetails?.updateStatus === 'Updating')
        throw new ServiceError(
          409,
          'ConflictException',
          `The deployment ${d.modelDeploymentName} is busy; retry when it is Active.`,
        );
      if (current && current.baseModelId !== model.baseModelId)
        throw ServiceError.validation(
          `The custom model ${model.modelName} is of ${model.baseModelId}; the deployment serves a model of ${current.baseModelId}.`,
        );
      d.updateDetails = { modelArn: model.modelArn, updateStatus: 'Updating' };
      d.updatedAt = Date.now() + this.deployMs;
      sendJson(ctx, 202, { customModelDeploymentArn: d.customModelDeploymentArn });
      return true;
    }
    if (ctx.method === 'DELETE') {
      const d = this.find(decodeURIComponent(id));
      this.all.splice(this.all.indexOf(d), 1);
      sendJson(ctx, 200, {});
      return true;
    }
    return false;
  }
}

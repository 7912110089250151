// Deploying a custom model for on-demand use (priced per token, no Provisioned Throughput) and deleting
// a deployment, from the Models view; the view shows deployments under their custom model with their state.
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import type { CustomModel, Deployment } from '../../core/models/catalogue';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

export type DeploymentServices = Pick<Services, 'session' | 'catalogue' | 'logger'>;

/** Bedrock's rule for a deployment name (CreateCustomModelDeployment's pattern). */
export function deploymentNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Give the deployment a name.';
  if (name.length > 63) return 'A deployment name has at most 63 characters.';
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(name))
    return 'Use letters, digits and single or repeated hyphens between them (no spaces, no hyphen at either end).';
  return undefined;
}

export async function deployCustomModel(
  s: DeploymentServices,
  node: { kind: 'custom'; model: CustomModel },
  givenName?: string,
): Promise<string | undefined> {
  requireTrust('Deploying a custom model');
  const name =
    givenName ??
    (await vscode.window.showInputBox({
      title: `Deploy ${node.model.name} for on-demand use`,
      prompt: 'A name for the deployment. It is billed per token while it exists; delete it to stop.',
      value: `${node.model.name}-on-demand`
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .slice(0, 63),
      validateInput: deploymentNameProblem,
    }));
  if (name === undefined) return undefined;
  const problem = deploymentNameProblem(name);
  if (problem) throw new BedrockError('Validation', `"${name}": ${problem}`);
  let arn: string;
  try {
    arn = await s.session.clients().customization.createDeployment(name, node.model.arn);
  } catch (err) {
    throw toBedrockError(err, { operation: `deploy ${node.model.name}`, profile: s.session.profile });
  }
  s.logger.info(`custom model deployment ${name} created: ${arn}`);
  await s.catalogue.refresh();
  void vscode.window.showInformationMessage(
    `Deploying ${node.model.name} as ${name}: it shows under the custom model in the Models view, and runs once it is Active (Refresh to follow it).`,
  );
  return arn;
}

export async function deleteDeployment(
  s: DeploymentServices,
  node: { kind: 'deployment'; deployment: Deployment },
  confirmed = false,
): Promise<boolean> {
  requireTrust('Deleting a deployment');
  if (!confirmed) {
    const pick = await vscode.window.showWarningMessage(
      `Delete the deployment ${node.deployment.name}? Prompts that name its ARN stop running; the custom model stays.`,
      { modal: true },
      'Delete',
    );
    if (pick !== 'Delete') return false;
  }
  try {
    await s.session.clients().customization.deleteDeployment(node.deployment.arn);
  } catch (err) {
    throw toBedrockError(err, { operation: `delete ${node.deployment.name}`, profile: s.session.profile });
  }
  await s.catalogue.refresh();
  return true;
}

/**
 * Update Deployment…: the deployment serves another custom model of the same base model (a newer
 * training run, say). Prompts keep its ARN; the current model answers until the update completes.
 */
export async function updateDeployment(
  s: DeploymentServices,
  node: { kind: 'deployment'; deployment: Deployment },
  givenModelArn?: string,
): Promise<boolean> {
  requireTrust('Updating a deployment');
  const models = s.catalogue.current?.customModels.items ?? [];
  const current = models.find((m) => m.arn === node.deployment.modelArn);
  const candidates = models.filter(
    (m) => m.arn !== node.deployment.modelArn && (!current || m.baseModelId === current.baseModelId),
  );
  const modelArn =
    givenModelArn ??
    (
      await vscode.window.showQuickPick(
        candidates.map((m) => ({ label: m.name, description: m.customizationType?.toLowerCase(), detail: m.arn })),
        {
          title: `Serve another custom model from ${node.deployment.name}`,
          placeHolder: candidates.length
            ? `Custom models of ${current?.baseModelId ?? 'the same base model'}`
            : 'No other custom model of the same base model: train one first',
        },
      )
    )?.detail;
  if (!modelArn) return false;
  try {
    await s.session.clients().customization.updateDeployment(node.deployment.arn, modelArn);
  } catch (err) {
    throw toBedrockError(err, { operation: `update ${node.deployment.name}`, profile: s.session.profile });
  }
  s.logger.info(`custom model deployment ${node.deployment.name} updating to ${modelArn}`);
  void vscode.window.showInformationMessage(
    `Updating ${node.deployment.name}: it keeps answering with the current model until the update completes, then shows under the new one (Refresh to follow it).`,
  );
  await s.catalogue.refresh();
  return true;
}

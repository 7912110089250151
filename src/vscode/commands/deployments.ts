// Deploying a custom model for on-demand use (priced per token, no Provisioned Throughput), moving a
// deployment to another custom model, deleting it, and importing a model from its weights, from the
// Models view; the view shows deployments under their custom model with their state.
import vscode = require('vscode');
import { wait } from '../../core/shared/wait';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import type { CustomModel, Deployment } from '../../core/models/catalogue';
import { requireTrust } from '../host/trust';
import { ask, completing } from '../host/inputBox';
import { s3UriProblem } from '../../core/bedrock/s3Uri';
import { roleArnProblem } from '../../core/shared/arn';
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

export interface ImportModelOptions {
  name?: string;
  /** The S3 folder holding the model's Hugging Face files (config.json, tokenizer, .safetensors). */
  s3Uri?: string;
  roleArn?: string;
  /** How often the job is read while it runs (tests make it short). */
  pollMs?: number;
}

/**
 * Import Model…: Custom Model Import from Hugging Face weights already in S3 (CreateModelImportJob). The
 * job is followed in a notification (closing it stops following, not the job); when it completes the
 * Models view lists the model under "Imported models", saying whether Converse serves it.
 */
export async function importModel(
  s: DeploymentServices & Pick<Services, 'globalState'>,
  opts: ImportModelOptions = {},
): Promise<string | undefined> {
  requireTrust('Importing a model');
  const s3Uri = await ask(opts.s3Uri, {
    title: 'Model weights (S3 folder)',
    prompt: 'The folder holding config.json, the tokenizer files and the .safetensors weights (Hugging Face format).',
    placeHolder: 's3://bucket/models/my-model/',
    validateInput: (v) => s3UriProblem(v, 's3://bucket/models/my-model/'),
  });
  const folderName = s3Uri.replace(/\/+$/, '').split('/').pop() ?? 'model';
  const name = await ask(opts.name, {
    title: 'Imported model name',
    value: folderName.replace(/[^a-zA-Z0-9-]+/g, '-').slice(0, 63),
    validateInput: (v) =>
      /^([0-9a-zA-Z][_-]?)+$/.test(v) && v.length <= 63 ? undefined : 'Letters and digits, single _ or - between them',
  });
  const roleArn = await ask(
    opts.roleArn,
    completing(s.globalState.get<string>('lastRoleArn') ?? 'arn:aws:iam::', {
      title: 'IAM service role for Bedrock',
      prompt: 'A role Bedrock can assume, with read access to the weights folder.',
      placeHolder: 'arn:aws:iam::<account>:role/<name>',
      validateInput: (v) => roleArnProblem(v),
    }),
  );
  const customization = s.session.clients().customization;
  let jobArn: string;
  try {
    jobArn = await customization.importModel({
      jobName: `${name}-import-${Date.now()}`,
      importedModelName: name,
      roleArn,
      s3Uri,
    });
  } catch (err) {
    throw toBedrockError(err, { operation: `import ${name}`, profile: s.session.profile });
  }
  s.logger.info(`model import job for ${name} started: ${jobArn}`);
  const ended = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing ${name}`, cancellable: true },
    async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      progress.report({
        message:
          'Bedrock reads and checks the weights (minutes to hours). Close to stop following; the import goes on.',
      });
      for (;;) {
        if (token.isCancellationRequested) return undefined;
        const job = await customization.getImportJob(jobArn);
        if (job.status !== 'InProgress') return job;
        await wait(opts.pollMs ?? 15_000, stop.signal);
      }
    },
  );
  if (!ended) return jobArn;
  if (ended.status === 'Failed')
    throw new BedrockError(
      'Validation',
      `The import of ${name} failed: ${ended.failureMessage ?? 'Bedrock gave no reason'}`,
    );
  await s.catalogue.refresh();
  const imported = s.catalogue.current?.importedModels.items.find((m) => m.arn === ended.importedModelArn);
  void vscode.window.showInformationMessage(
    `${name} is imported${imported?.architecture ? ` (${imported.architecture})` : ''}: ${
      imported && !imported.converse
        ? 'Converse does not serve it, so runs send InvokeModel with the chat-completion body (text only).'
        : 'it runs through Converse like any model.'
    } It is in the Models view under "Imported models".`,
  );
  return jobArn;
}

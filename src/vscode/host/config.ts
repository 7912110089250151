import vscode = require('vscode');
import type { AwsSettings } from '../../core/bedrock/settings';

const SECTION = 'bedrockPromptLab';

const read = <T>(key: string, fallback: T, scope?: vscode.ConfigurationScope): T =>
  vscode.workspace.getConfiguration(SECTION, scope).get<T>(key, fallback);

/**
 * Typed access to every setting, in one place (declared in package.json with their scopes and the same
 * defaults): callers never spell a key or a default themselves.
 */
export const config = {
  runOutput: (scope?: vscode.ConfigurationScope) => read<'inline' | 'document'>('run.output', 'inline', scope),
  stallTimeoutMs: (scope?: vscode.ConfigurationScope) =>
    Math.max(1, read<number>('run.stallTimeoutSeconds', 60, scope)) * 1000,
  pricingOverrides: () => read<Record<string, { input?: number; output?: number }>>('pricing', {}),
  historyLocation: () => read<'storage' | 'workspace'>('history.location', 'storage'),
  compareConcurrency: (max: number) => Math.max(1, read<number>('compare.concurrency', max)),
  testsConcurrency: () => Math.max(1, read<number>('tests.concurrency', 4)),
  testsBaseline: (scope: vscode.ConfigurationScope) =>
    read<string>('tests.baseline', '.prompt-lab/baseline.json', scope).trim(),
  testsMaxRegression: (scope: vscode.ConfigurationScope) =>
    Math.min(1, Math.max(0, read<number>('tests.maxRegression', 0, scope))),
  evaluationRepeat: () => Math.max(1, Math.round(read<number>('evaluation.repeat', 1))),
  optimizeRounds: () => Math.min(10, Math.max(1, Math.round(read<number>('optimize.rounds', 3)))),
  optimizeCandidates: () => Math.min(5, Math.max(1, Math.round(read<number>('optimize.candidates', 2)))),
  optimizeValidationSplit: () => Math.min(0.5, Math.max(0, read<number>('optimize.validationSplit', 0.3))),
  optimizeBudgetUsd: () => read<number>('optimize.budgetUsd', 1),
  batchConcurrency: () => Math.max(1, read<number>('batch.concurrency', 4)),
  batchConfirmAboveUsd: () => read<number>('batch.confirmAboveUsd', 1),
  batchS3Uri: () => read<string>('batch.s3Uri', '') || undefined,
  batchRoleArn: () => read<string>('batch.roleArn', '') || undefined,
  chatModels: () => read<string[]>('chat.models', []).filter((id) => typeof id === 'string' && id.trim() !== ''),
  affectsChatModels: (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(`${SECTION}.chat.models`),
  aws(): AwsSettings {
    const c = vscode.workspace.getConfiguration(SECTION);
    const seconds = (key: string, fallback: number) => Math.max(1, c.get<number>(key, fallback)) * 1000;
    return {
      profile: c.get<string>('profile'),
      region: c.get<string>('region'),
      endpoint: c.get<string>('endpoint'),
      project: c.get<string>('project'),
      firstByteTimeoutMs: seconds('network.firstByteTimeoutSeconds', 60),
      converseTimeoutMs: seconds('network.converseTimeoutSeconds', 300),
    };
  },
  affectsAws(e: vscode.ConfigurationChangeEvent): boolean {
    return ['profile', 'region', 'endpoint', 'network', 'project'].some((k) =>
      e.affectsConfiguration(`${SECTION}.${k}`),
    );
  },
  async update(key: 'profile' | 'region' | 'chat.models', value: string | string[] | undefined): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  },
  /** The project is the workspace's (a window without a folder keeps it in the user settings). */
  async updateProject(value: string | undefined): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('project', value, target);
  },
};

// The command groups: each takes the extension's services (the one context object, src/vscode/host/services.ts)
// and registers its commands through the one wrapper (src/vscode/host/commands.ts), which logs the call and
// turns a failure into one message with actions.
import {
  deleteDeployment,
  deployCustomModel,
  importModel,
  updateDeployment,
  type ImportModelOptions,
} from './deployments';
import {
  copyKnowledgeBaseId,
  syncDataSource,
  testRetrieval,
  useKnowledgeBaseInPrompt,
  type TestRetrievalOptions,
} from './knowledgeBases';
import type { KnowledgeBaseNode } from '../views/knowledgeBasesTree';
import type { AgentNode } from '../views/agentsTree';
import { openRetrievedSource, openSource } from '../language/sources';
import { generateCasesCommand, type GenerateCasesOptions } from './generateCases';
import { optimizeAgainstTestsCommand, type OptimizeCommandOptions } from './optimizeAgainstTests';
import { optimizeWithBedrockCommand, type OptimizeWithBedrockOptions } from './optimizeWithBedrock';
import {
  collectOptimizationJobCommand,
  startOptimizationJobCommand,
  stopOptimizationJobCommand,
  type StartOptimizationJobOptions,
} from './optimizationJobs';
import type { OptimizationJob } from '../../core/bedrock/clients';
import {
  copyManagedPromptArn,
  importManagedPromptCommand,
  publishPromptCommand,
  runManagedPromptCommand,
  type PublishOptions,
} from './managedPrompts';
import type { ManagedPromptNode } from '../views/managedPromptsTree';
import { copyAgentArn, deployAsAgentCommand, useAgentInPrompt, type DeployAsAgentOptions } from './agents';
import { checkWithGuardrailCommand, useGuardrailInPrompt } from './guardrail';
import { pickTierChoice, pickTiers } from './serviceTier';
import vscode = require('vscode');
import type { InvocationJob, JobSummary } from '../../core/bedrock/clients';
import type { ModelFilter } from '../../core/models/modelFilter';
import { chooseChatModels } from '../chat/chatModels';
import { Commands } from '../host/commandIds';
import { registerCommand } from '../host/commands';
import type { Services } from '../services';
import { editInputs, runWithInputsFrom } from '../run/inputCommands';
import type { RunRecord } from '../host/runHistoryStore';
import type { RunOptions } from '../run/types';
import { compareRuns, compareRunWithCurrent, openRunRecord } from '../views/runHistoryTree';
import type { ModelNode } from '../views/modelsTree';
import { compareModels, type CompareOptions } from '../webview/comparePanel';
import { evaluatePrompt, openEvaluation, type EvaluateOptions } from '../webview/evaluationPanel';
import {
  chooseProject,
  configureAws,
  selectProfile,
  selectRegion,
  signInWithApiKey,
  signOutOfApiKey,
} from './awsSelection';
import {
  downloadBatchResults,
  runOverDataset,
  startBatchInference,
  stopBatchJob,
  type BatchInferenceOptions,
  type BatchOptions,
} from './batch';
import { createDataset } from './createDataset';
import {
  createProvisionedThroughput,
  showTrainingLoss,
  startCustomizationJob,
  stopJob,
  uploadDataset,
  type ProvisionTarget,
  type StartJobOptions,
  type UploadOptions,
} from './customize';
import {
  copyId,
  customAndBaseModels,
  filterModels,
  newPromptWithModel,
  runnableIds,
  runWithModel,
  searchModels,
  useInPrompt,
} from './modelActions';
import { newPrompt } from './newPrompt';
import { newPromptTests } from './newPromptTests';
import { openRunHistory, runCommand, stopCommand } from './run';

/** Every command of the extension, grouped by feature. */
export function registerCommands(s: Services): vscode.Disposable[] {
  return [
    ...runCommands(s),
    ...modelCommands(s),
    ...customizationCommands(s),
    ...batchCommands(s),
    ...sessionCommands(s),
  ];
}

/** Running prompts, their inputs, stopping them, the run history and the prompt tests. */
function runCommands(s: Services): vscode.Disposable[] {
  const { runs, history, analyses, inputs, runHistory, tests, logger } = s;
  return [
    registerCommand(Commands.run, (arg?: Parameters<typeof runCommand>[1]) => runCommand(runs, arg), logger),
    registerCommand(
      Commands.continueConversation,
      (arg?: vscode.Uri | RunOptions) =>
        runs.run({ ...(arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {})), continue: true }),
      logger,
    ),
    registerCommand(
      Commands.runWithServiceTier,
      async (arg?: vscode.Uri | RunOptions) => {
        const opts: RunOptions = arg instanceof vscode.Uri ? { uri: arg.toString() } : (arg ?? {});
        const tier = await pickTierChoice(opts.tier);
        return tier && runs.run({ ...opts, tier });
      },
      logger,
    ),
    registerCommand(Commands.stop, (uri?: vscode.Uri) => stopCommand(runs, uri), logger),
    registerCommand(Commands.editInputs, (uri?: vscode.Uri) => editInputs(inputs, analyses, uri), logger),
    registerCommand(Commands.runWithInputsFrom, (uri?: vscode.Uri) => runWithInputsFrom(inputs, runs, uri), logger),
    registerCommand(Commands.openRunHistory, () => openRunHistory(history), logger),
    registerCommand(Commands.refreshRunHistory, () => runHistory.refresh(), logger),
    registerCommand(Commands.openRunRecord, (r: RunRecord) => openRunRecord(r), logger),
    registerCommand(
      Commands.compareRuns,
      (r?: RunRecord, selected?: RunRecord[]) => compareRuns(runHistory, r, selected),
      logger,
    ),
    registerCommand(Commands.compareRunWithCurrent, (r: RunRecord) => compareRunWithCurrent(runHistory, r), logger),
    registerCommand(Commands.newPromptTests, (u?: vscode.Uri) => newPromptTests(analyses, u), logger),
    registerCommand(Commands.runPromptTests, (uri?: vscode.Uri) => tests.runFor(uri), logger),
    registerCommand(Commands.openTestResult, (uri?: vscode.Uri) => tests.openResult(uri), logger),
    registerCommand(Commands.saveTestBaseline, () => tests.saveBaseline(), logger),
  ];
}

/** The model explorer's actions and filters, and Compare. */
function modelCommands(s: Services): vscode.Disposable[] {
  const { models, logger } = s;
  const compare = (o?: CompareOptions | vscode.Uri) =>
    compareModels(s, o instanceof vscode.Uri ? { uri: o.toString() } : o);
  return [
    registerCommand(Commands.compareModels, compare, logger),
    registerCommand(
      Commands.compareServiceTiers,
      async (o?: CompareOptions | vscode.Uri) => {
        const opts: CompareOptions = o instanceof vscode.Uri ? { uri: o.toString() } : (o ?? {});
        const tiers = await pickTiers(opts.tiers);
        return tiers && compareModels(s, { ...opts, tiers });
      },
      logger,
    ),
    registerCommand(
      Commands.evaluatePrompt,
      (o?: EvaluateOptions | vscode.Uri) => evaluatePrompt(s, o instanceof vscode.Uri ? { uri: o.toString() } : o),
      logger,
    ),
    registerCommand(Commands.openEvaluation, (file?: string) => openEvaluation(s, file), logger),
    // The Models view allows multi-select: VS Code passes the clicked node and every selected one.
    registerCommand(
      Commands.compareSelectedModels,
      (n: ModelNode, selected?: ModelNode[], o?: CompareOptions) =>
        compareModels(s, { ...o, models: runnableIds(s, selected?.length ? selected : [n]) }),
      logger,
    ),
    registerCommand(
      Commands.compareWithBaseModel,
      (n: ModelNode, o?: CompareOptions) => compareModels(s, { ...o, models: customAndBaseModels(n, s.catalogue) }),
      logger,
    ),
    registerCommand(Commands.filterModels, (f?: ModelFilter) => filterModels(models, f), logger),
    registerCommand(Commands.searchModels, (text?: string) => searchModels(models, text), logger),
    registerCommand(Commands.clearModelFilter, () => models.setFilter({}), logger),
    registerCommand(Commands.useModelInPrompt, (n: ModelNode | string) => useInPrompt(s, n), logger),
    registerCommand(Commands.newPromptWithModel, (n: ModelNode | string) => newPromptWithModel(s, n), logger),
    registerCommand(Commands.runWithModel, (n: ModelNode | string) => runWithModel(s, n), logger),
    registerCommand(Commands.copyModelId, (n: ModelNode) => copyId(n, false), logger),
    registerCommand(Commands.copyModelArn, (n: ModelNode) => copyId(n, true), logger),
  ];
}

/** The customization loop: build a dataset, upload it, start a job, follow and stop it, provision the result. */
function customizationCommands(s: Services): vscode.Disposable[] {
  const { jobs, logger } = s;
  return [
    registerCommand(
      Commands.createDataset,
      (arg?: Parameters<typeof createDataset>[1], uris?: vscode.Uri[]) => createDataset(s, arg, uris),
      logger,
    ),
    registerCommand(Commands.uploadDataset, (o?: UploadOptions) => uploadDataset(s, o), logger),
    registerCommand(Commands.startCustomizationJob, (o?: StartJobOptions) => startCustomizationJob(s, o), logger),
    registerCommand(Commands.refreshJobs, () => jobs.refresh(), logger),
    registerCommand(Commands.stopJob, (j: JobSummary | string) => stopJob(s, j), logger),
    registerCommand(
      Commands.createProvisionedThroughput,
      (j: ProvisionTarget) => createProvisionedThroughput(s, j),
      logger,
    ),
    registerCommand(Commands.showTrainingLoss, (j?: JobSummary) => showTrainingLoss(s, j), logger),
  ];
}

/** Batch runs: locally over a data file, or as Bedrock batch inference jobs. */
function batchCommands(s: Services): vscode.Disposable[] {
  const { batchJobs, logger } = s;
  const opts = (o?: BatchInferenceOptions | vscode.Uri): BatchInferenceOptions | undefined =>
    o instanceof vscode.Uri ? (/\.prompt$/.test(o.path) ? { uri: o.toString() } : { data: o.fsPath }) : o;
  return [
    registerCommand(Commands.runOverDataset, (o?: BatchOptions | vscode.Uri) => runOverDataset(s, opts(o)), logger),
    registerCommand(
      Commands.startBatchInference,
      (o?: BatchInferenceOptions | vscode.Uri) => startBatchInference(s, opts(o)),
      logger,
    ),
    registerCommand(Commands.refreshBatchJobs, () => batchJobs.refresh(), logger),
    registerCommand(Commands.stopBatchJob, (j: InvocationJob | string) => stopBatchJob(s, j), logger),
    registerCommand(Commands.downloadBatchResults, (j: InvocationJob | string) => downloadBatchResults(s, j), logger),
  ];
}

/** The AWS session (profile, region), the catalogue, the log and new prompts. */
function sessionCommands(s: Services): vscode.Disposable[] {
  const { session, catalogue, logger } = s;
  return [
    registerCommand(Commands.selectProfile, () => selectProfile(session), logger),
    registerCommand(Commands.selectRegion, () => selectRegion(session), logger),
    registerCommand(Commands.configureAws, () => configureAws(session), logger),
    registerCommand(Commands.signInWithApiKey, () => signInWithApiKey(session), logger),
    registerCommand(Commands.signOutOfApiKey, () => signOutOfApiKey(session), logger),
    registerCommand(Commands.chooseProject, () => chooseProject(session), logger),
    registerCommand(
      Commands.deployCustomModel,
      (n: Parameters<typeof deployCustomModel>[1], name?: string) => deployCustomModel(s, n, name),
      logger,
    ),
    registerCommand(
      Commands.deleteDeployment,
      (n: Parameters<typeof deleteDeployment>[1], confirmed?: boolean) => deleteDeployment(s, n, confirmed),
      logger,
    ),
    registerCommand(Commands.importModel, (o?: ImportModelOptions) => importModel(s, o), logger),
    registerCommand(Commands.refreshKnowledgeBases, () => s.knowledgeBases.refresh(), logger),
    registerCommand(
      Commands.testRetrieval,
      (n?: KnowledgeBaseNode, o?: TestRetrievalOptions) => testRetrieval(s, n, o),
      logger,
    ),
    registerCommand(
      Commands.syncDataSource,
      (n: KnowledgeBaseNode, o?: { pollMs?: number }) => syncDataSource(s, n, o),
      logger,
    ),
    registerCommand(Commands.copyKnowledgeBaseId, (n: KnowledgeBaseNode) => copyKnowledgeBaseId(n), logger),
    registerCommand(
      Commands.useKnowledgeBaseInPrompt,
      (n?: KnowledgeBaseNode) => useKnowledgeBaseInPrompt(s, n),
      logger,
    ),
    registerCommand(Commands.refreshAgents, () => s.agents.refresh(), logger),
    registerCommand(Commands.openSource, (source: string) => openSource(source), logger),
    registerCommand(Commands.generateTestCases, (o?: GenerateCasesOptions) => generateCasesCommand(s, o), logger),
    registerCommand(
      Commands.optimizeAgainstTests,
      (o?: OptimizeCommandOptions) => optimizeAgainstTestsCommand(s, o),
      logger,
    ),
    registerCommand(
      Commands.optimizeWithBedrock,
      (o?: OptimizeWithBedrockOptions) => optimizeWithBedrockCommand(s, o),
      logger,
    ),
    registerCommand(
      Commands.startOptimizationJob,
      (o?: StartOptimizationJobOptions) => startOptimizationJobCommand(s, o),
      logger,
    ),
    registerCommand(
      Commands.collectOptimizationJob,
      (job?: OptimizationJob) => collectOptimizationJobCommand(s, job),
      logger,
    ),
    registerCommand(Commands.stopOptimizationJob, (job: OptimizationJob) => stopOptimizationJobCommand(s, job), logger),
    registerCommand(Commands.refreshOptimizationJobs, () => s.optimizationJobs.refresh(), logger),
    registerCommand(Commands.publishPrompt, (o?: PublishOptions) => publishPromptCommand(s, o), logger),
    registerCommand(
      Commands.importManagedPrompt,
      (node: ManagedPromptNode | { ref: string; version?: string }, o?: { target?: string; overwrite?: boolean }) =>
        importManagedPromptCommand(s, node, o),
      logger,
    ),
    registerCommand(
      Commands.runManagedPrompt,
      (node: ManagedPromptNode | { arn: string }, o?: { variables?: Record<string, string> }) =>
        runManagedPromptCommand(s, node, o),
      logger,
    ),
    registerCommand(Commands.copyManagedPromptArn, (node: ManagedPromptNode) => copyManagedPromptArn(node), logger),
    registerCommand(Commands.refreshManagedPrompts, () => s.managedPrompts.refresh(), logger),
    registerCommand(
      Commands.openRetrievedSource,
      (given?: { sourceName?: string }) => openRetrievedSource(s.history, given),
      logger,
    ),
    registerCommand(Commands.deployAsAgent, (o?: DeployAsAgentOptions) => deployAsAgentCommand(s, o), logger),
    registerCommand(Commands.useAgentInPrompt, (n?: AgentNode) => useAgentInPrompt(s, n), logger),
    registerCommand(Commands.copyAgentArn, (n: AgentNode) => copyAgentArn(n), logger),
    registerCommand(
      Commands.updateDeployment,
      (n: Parameters<typeof updateDeployment>[1], modelArn?: string) => updateDeployment(s, n, modelArn),
      logger,
    ),
    registerCommand(
      Commands.checkWithGuardrail,
      (given?: Parameters<typeof checkWithGuardrailCommand>[1]) => checkWithGuardrailCommand(s, given),
      logger,
    ),
    registerCommand(
      Commands.useGuardrailInPrompt,
      (g: Parameters<typeof useGuardrailInPrompt>[1]) => useGuardrailInPrompt(s, g),
      logger,
    ),
    registerCommand(Commands.showLog, () => logger.show(), logger),
    registerCommand(Commands.newPrompt, (arg?: Parameters<typeof newPrompt>[1]) => newPrompt(catalogue, arg), logger),
    registerCommand(Commands.chooseChatModels, (ids?: string[]) => chooseChatModels(s, ids), logger),
    registerCommand(
      Commands.refreshModels,
      async () => {
        const state = await catalogue.refresh();
        if (state.kind === 'failed') throw state.error;
        return state.kind === 'ready' ? state.catalogue : undefined;
      },
      logger,
    ),
  ];
}

import vscode = require('vscode');
import type { AwsSession } from '../host/awsSession';
import type { CatalogueService } from '../host/catalogueService';
import { registerCommand } from '../host/commands';
import type { OutputLogger } from '../host/logger';
import { configureAws, selectProfile, selectRegion } from './awsSelection';
import { Commands } from './ids';
import { newPrompt } from './newPrompt';
import { createDataset } from './createDataset';
import { createProvisionedThroughput, startCustomizationJob, stopJob, uploadDataset, type StartJobOptions, type UploadOptions } from './customize';
import type { JobsTreeProvider } from '../views/jobsTree';
import type { JobSummary } from '../bedrock/clients';
import { newPromptTests } from './newPromptTests';
import { copyId, customAndBaseModels, runnableId, filterModels, newPromptWithModel, runWithModel, searchModels, setModelInPrompt, useInPrompt, type ModelActionDeps } from './modelActions';
import { compareModels, type CompareOptions } from '../webview/comparePanel';
import type { ModelFilter } from '../bedrock/modelFilter';
import type { ModelNode } from '../views/modelsTree';
import { openRunHistory, runCommand, stopCommand } from './run';
import type { RunController } from '../run/runController';
import type { RunHistory, RunRecord } from '../run/history';
import type { RunOptions } from '../run/types';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { editInputs, runWithInputsFrom } from '../run/inputCommands';
import { compareRuns, compareRunWithCurrent, openRunRecord, type RunHistoryTreeProvider } from '../views/runHistoryTree';
import type { InvocationJob } from '../bedrock/clients';
import type { StreamOutcome } from '../bedrock/stream';
import type { ConverseRequest } from '../prompt/render';
import { downloadBatchResults, runOverDataset, startBatchInference, stopBatchJob, type BatchDeps, type BatchInferenceOptions, type BatchOptions } from './batch';

export interface CoreDeps {
  session: AwsSession;
  catalogue: CatalogueService;
  logger: OutputLogger;
}

/** The model explorer's actions and filters. */
export function modelCommands(d: ModelActionDeps & { session: AwsSession; extensionUri: vscode.Uri }, logger: OutputLogger): vscode.Disposable[] {
  const useModel = async (uri: vscode.Uri, modelId: string) => setModelInPrompt(await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One }), modelId, d.analyses);
  const saveRun = (uri: vscode.Uri, request: ConverseRequest, outcome: StreamOutcome) => d.runs.saveAsRun(uri, request, outcome);
  return [
    registerCommand(Commands.compareModels, (o?: CompareOptions | vscode.Uri) => compareModels(d.extensionUri, d.session, d.catalogue, d.analyses, d.runs.inputs, logger, useModel, saveRun, o instanceof vscode.Uri ? { uri: o.toString() } : o), logger),
    // The Models view allows multi-select: VS Code passes the clicked node and every selected one.
    registerCommand(Commands.compareSelectedModels, (n: ModelNode, selected?: ModelNode[], o?: CompareOptions) => compareModels(d.extensionUri, d.session, d.catalogue, d.analyses, d.runs.inputs, logger, useModel, saveRun, { ...o, models: (selected?.length ? selected : [n]).map((x) => runnableId(x, d.catalogue, d.runs)) }), logger),
    registerCommand(Commands.compareWithBaseModel, (n: ModelNode, o?: CompareOptions) => compareModels(d.extensionUri, d.session, d.catalogue, d.analyses, d.runs.inputs, logger, useModel, saveRun, { ...o, models: customAndBaseModels(n, d.catalogue) }), logger),
    registerCommand(Commands.newPromptTests, (u?: vscode.Uri) => newPromptTests(d.analyses, u), logger),
    registerCommand(Commands.filterModels, (f?: ModelFilter) => filterModels(d.tree, f), logger),
    registerCommand(Commands.searchModels, (s?: string) => searchModels(d.tree, s), logger),
    registerCommand(Commands.clearModelFilter, () => d.tree.setFilter({}), logger),
    registerCommand(Commands.useModelInPrompt, (n: ModelNode | string) => useInPrompt(d, n), logger),
    registerCommand(Commands.newPromptWithModel, (n: ModelNode | string) => newPromptWithModel(d, n), logger),
    registerCommand(Commands.runWithModel, (n: ModelNode | string) => runWithModel(d, n), logger),
    registerCommand(Commands.copyModelId, (n: ModelNode) => copyId(n, false), logger),
    registerCommand(Commands.copyModelArn, (n: ModelNode) => copyId(n, true), logger),
  ];
}

/** The customization loop: upload, start a job, follow and stop it, provision the result. */
export function customizationCommands(session: AwsSession, catalogue: CatalogueService, memento: vscode.Memento, jobs: JobsTreeProvider, logger: OutputLogger): vscode.Disposable[] {
  return [
    registerCommand(Commands.uploadDataset, (o?: UploadOptions) => uploadDataset(session, memento, o), logger),
    registerCommand(Commands.startCustomizationJob, (o?: StartJobOptions) => startCustomizationJob(session, catalogue, memento, jobs, o), logger),
    registerCommand(Commands.refreshJobs, () => jobs.refresh(), logger),
    registerCommand(Commands.stopJob, (j: JobSummary | string) => stopJob(session, jobs, j), logger),
    registerCommand(Commands.createProvisionedThroughput, (j: Parameters<typeof createProvisionedThroughput>[2]) => createProvisionedThroughput(session, catalogue, j), logger),
  ];
}

/** Batch runs: locally over a data file, or as Bedrock batch inference jobs. */
export function batchCommands(d: BatchDeps, logger: OutputLogger): vscode.Disposable[] {
  const opts = (o?: BatchInferenceOptions | vscode.Uri): BatchInferenceOptions | undefined => (o instanceof vscode.Uri ? (/\.prompt$/.test(o.path) ? { uri: o.toString() } : { data: o.fsPath }) : o);
  return [
    registerCommand(Commands.runOverDataset, (o?: BatchOptions | vscode.Uri) => runOverDataset(d, opts(o)), logger),
    registerCommand(Commands.startBatchInference, (o?: BatchInferenceOptions | vscode.Uri) => startBatchInference(d, opts(o)), logger),
    registerCommand(Commands.refreshBatchJobs, () => d.batchJobs.refresh(), logger),
    registerCommand(Commands.stopBatchJob, (j: InvocationJob | string) => stopBatchJob(d, j), logger),
    registerCommand(Commands.downloadBatchResults, (j: InvocationJob | string) => downloadBatchResults(d, j), logger),
  ];
}

/** Running prompts, their inputs, stopping them, and the run history. */
export function runCommands(d: { runs: RunController; history: RunHistory; analyses: PromptAnalyses; historyTree: RunHistoryTreeProvider }, logger: OutputLogger): vscode.Disposable[] {
  const { runs, history, analyses, historyTree } = d;
  return [
    registerCommand(Commands.run, (arg?: Parameters<typeof runCommand>[1]) => runCommand(runs, arg), logger),
    registerCommand(Commands.continueConversation, (arg?: vscode.Uri | RunOptions) => runs.run({ ...(arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {})), continue: true }), logger),
    registerCommand(Commands.stop, (uri?: vscode.Uri) => stopCommand(runs, uri), logger),
    registerCommand(Commands.editInputs, (uri?: vscode.Uri) => editInputs(runs.inputs, analyses, uri), logger),
    registerCommand(Commands.runWithInputsFrom, (uri?: vscode.Uri) => runWithInputsFrom(runs.inputs, runs, uri), logger),
    registerCommand(Commands.openRunHistory, () => openRunHistory(history), logger),
    registerCommand(Commands.refreshRunHistory, () => historyTree.refresh(), logger),
    registerCommand(Commands.openRunRecord, (r: RunRecord) => openRunRecord(r), logger),
    registerCommand(Commands.compareRuns, (r?: RunRecord, selected?: RunRecord[]) => compareRuns(historyTree, r, selected), logger),
    registerCommand(Commands.compareRunWithCurrent, (r: RunRecord) => compareRunWithCurrent(historyTree, r), logger),
  ];
}

/** The commands about the AWS session and the catalogue. */
export function awsSelectionCommands({ session, catalogue, logger }: CoreDeps): vscode.Disposable[] {
  return [
    registerCommand(Commands.selectProfile, () => selectProfile(session), logger),
    registerCommand(Commands.selectRegion, () => selectRegion(session), logger),
    registerCommand(Commands.configureAws, () => configureAws(session), logger),
    registerCommand(Commands.showLog, () => logger.show(), logger),
    registerCommand(Commands.newPrompt, (arg?: Parameters<typeof newPrompt>[1]) => newPrompt(catalogue, arg), logger),
    registerCommand(Commands.createDataset, (arg?: Parameters<typeof createDataset>[2], uris?: vscode.Uri[]) => createDataset(catalogue, logger, arg, uris), logger),
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

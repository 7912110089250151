// The composition root: build the collaborators, register the features, nothing else. Nothing here
// loads the AWS SDK or touches the network; that happens on first use.
import vscode = require('vscode');
import { awsSelectionCommands, batchCommands, customizationCommands, modelCommands, runCommands } from './commands/register';
import { BatchJobsTreeProvider } from './views/batchJobsTree';
import { PromptTestController } from './testing/promptTests';
import { registerCommand, registerErrorAction, runErrorAction, shownErrors } from './host/commands';
import { Commands } from './commands/ids';
import { openComparePanels, type ComparePanel } from './webview/comparePanel';
import { JobsTreeProvider } from './views/jobsTree';
import { AwsSession } from './host/awsSession';
import { CatalogueService } from './host/catalogueService';
import { OutputLogger } from './host/logger';
import { createAwsStatusItem } from './host/statusBar';
import { registerPromptLanguage } from './language';
import { PromptAnalyses } from './language/promptAnalyses';
import { RunCodeLensProvider } from './run/codeLens';
import { RunHistory } from './run/history';
import { RunController } from './run/runController';
import { InputStore } from './run/inputStore';
import { ModelsTreeProvider } from './views/modelsTree';
import { RUN_SCHEME, RunHistoryTreeProvider } from './views/runHistoryTree';
import { PROMPT_SELECTOR } from './language/promptAnalyses';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface ExtensionApi {
  catalogue: CatalogueService;
  models: ModelsTreeProvider;
  session: AwsSession;
  runs: RunController;
  runHistory: RunHistoryTreeProvider;
  jobs: JobsTreeProvider;
  batchJobs: BatchJobsTreeProvider;
  tests: PromptTestController;
  /** The last errors shown to the user, newest last. */
  shownErrors: readonly { code: string; message: string; error: import('./bedrock/errors').BedrockError }[];
  /** Runs an error's action as its button would (tests press buttons this way). */
  runErrorAction: typeof runErrorAction;
  /** Open Compare views. */
  comparePanels: ReadonlySet<ComparePanel>;
  /** How long activate() itself took, in ms (reported by the benchmark). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const logger = new OutputLogger();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const session = new AwsSession(logger, `bedrock-prompt-lab/${version}`);
  const catalogue = new CatalogueService(session, context.globalState, logger);
  const models = new ModelsTreeProvider(catalogue, context.globalState);
  const modelsView = vscode.window.createTreeView('bedrockPromptLab.models', { treeDataProvider: models, showCollapseAll: true, canSelectMany: true });
  models.view = modelsView;
  models.updateDescription();
  const jobs = new JobsTreeProvider(session, logger);
  const jobsView = vscode.window.createTreeView('bedrockPromptLab.jobs', { treeDataProvider: jobs });
  jobs.view = jobsView;
  const batchJobs = new BatchJobsTreeProvider(session, context.workspaceState, logger);
  const batchJobsView = vscode.window.createTreeView('bedrockPromptLab.batchJobs', { treeDataProvider: batchJobs });
  batchJobs.view = batchJobsView;
  const analyses = new PromptAnalyses(catalogue);
  const history = new RunHistory(context);
  const inputs = new InputStore(context.workspaceState);
  const runs = new RunController(session, catalogue, analyses, history, inputs, logger);
  const historyTree = new RunHistoryTreeProvider(history, runs);
  const historyView = vscode.window.createTreeView('bedrockPromptLab.runHistory', { treeDataProvider: historyTree, canSelectMany: true });
  historyTree.view = historyView;
  const tests = new PromptTestController(session, catalogue, analyses, logger);
  const lenses = new RunCodeLensProvider(runs, analyses, tests);

  context.subscriptions.push(
    logger,
    inputs,
    session,
    catalogue,
    models,
    modelsView,
    createAwsStatusItem(session),
    registerPromptLanguage(analyses, catalogue),
    runs,
    lenses,
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, lenses),
    historyTree,
    historyView,
    vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, historyTree),
    ...runCommands({ runs, history, analyses, historyTree }, logger),
    ...modelCommands({ catalogue, runs, analyses, tree: models, session, extensionUri: context.extensionUri }, logger),
    jobs,
    jobsView,
    ...customizationCommands(session, catalogue, context.globalState, jobs, logger),
    ...awsSelectionCommands({ session, catalogue, logger }),
    batchJobs,
    batchJobsView,
    ...batchCommands({ session, analyses, memento: context.globalState, logger, batchJobs }, logger),
    tests,
    registerCommand(Commands.runPromptTests, (uri?: vscode.Uri) => tests.runFor(uri), logger),
    registerErrorAction('useInferenceProfile', (error) => runs.useInferenceProfile(error)),
  );
  logger.info(`Bedrock Prompt Lab ${version} activated`);
  return { catalogue, models, session, runs, runHistory: historyTree, jobs, batchJobs, tests, shownErrors, runErrorAction, comparePanels: openComparePanels, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

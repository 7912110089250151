// The composition root: build the services once, hand them to the features, nothing else. Nothing here
// loads the AWS SDK or touches the network; that happens on first use.
import vscode = require('vscode');
import { BatchJobStore } from '../core/batch/jobStore';
import { registerChatModels } from './chat/chatModels';
import { registerCommands } from './commands/register';
import { AwsSession } from './host/awsSession';
import { CatalogueService } from './host/catalogueService';
import { registerErrorAction, runErrorAction, shownErrors } from './host/commands';
import { OutputLogger } from './host/logger';
import { vsCodeHost } from './host/vsCodeHost';
import type { Services } from './services';
import { createAwsStatusItem } from './host/statusBar';
import { registerPromptLanguage } from './language';
import { PROMPT_SELECTOR, PromptAnalyses } from './language/promptAnalyses';
import { RunCodeLensProvider } from './run/codeLens';
import { RunHistory } from './host/runHistoryStore';
import { InputStore } from './run/inputStore';
import { RunController } from './run/runController';
import { PromptTestController } from './testing/promptTests';
import { BatchJobsTreeProvider } from './views/batchJobsTree';
import { OptimizationJobsTreeProvider } from './views/optimizationJobsTree';
import { ManagedPromptsTreeProvider } from './views/managedPromptsTree';
import { JobsTreeProvider } from './views/jobsTree';
import { KnowledgeBasesTreeProvider } from './views/knowledgeBasesTree';
import { AgentsTreeProvider } from './views/agentsTree';
import { registerSources } from './language/sources';
import { registerProposals } from './host/proposals';
import { registerOptimizerAnalysis } from './commands/optimizeWithBedrock';
import { ModelsTreeProvider } from './views/modelsTree';
import { RunHistoryTreeProvider } from './views/runHistoryTree';
import { openComparePanels, type ComparePanel } from './webview/comparePanel';
import { openEvaluationPanels, type EvaluationPanel } from './webview/evaluationPanel';
import { openLossCharts, type LossChartPanel } from './webview/lossChartPanel';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface ExtensionApi {
  catalogue: CatalogueService;
  models: ModelsTreeProvider;
  session: AwsSession;
  runs: RunController;
  runHistory: RunHistoryTreeProvider;
  jobs: JobsTreeProvider;
  knowledgeBases: KnowledgeBasesTreeProvider;
  agents: AgentsTreeProvider;
  batchJobs: BatchJobsTreeProvider;
  optimizationJobs: OptimizationJobsTreeProvider;
  managedPrompts: ManagedPromptsTreeProvider;
  tests: PromptTestController;
  /** The last errors shown to the user, newest last. */
  shownErrors: readonly { code: string; message: string; error: import('../core/shared/bedrockError').BedrockError }[];
  /** Runs an error's action as its button would (tests press buttons this way). */
  runErrorAction: typeof runErrorAction;
  /** Open Compare views. */
  comparePanels: ReadonlySet<ComparePanel>;
  /** Open evaluation reports. */
  evaluationPanels: ReadonlySet<EvaluationPanel>;
  /** The open training-loss charts. */
  lossCharts: ReadonlySet<LossChartPanel>;
  /** The version of a prompt whose diagnostics are shown (tests wait for it after an edit). */
  diagnosedVersion(uri: vscode.Uri): number | undefined;
  /** How long activate() itself took, in ms (reported by the benchmark). */
  activationMs: number;
  /** What the AWS status bar item says (profile or API key, region, project). */
  awsStatusText(): string;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const logger = new OutputLogger();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const session = new AwsSession(logger, `bedrock-prompt-lab/${version}`);
  const catalogue = new CatalogueService(session, context.globalState, logger);
  const analyses = new PromptAnalyses(catalogue);
  const history = new RunHistory(context);
  const inputs = new InputStore(context.workspaceState);
  const host = vsCodeHost(session, logger);
  const runs = new RunController(session, catalogue, analyses, history, inputs, logger, host);
  const batchJobStore = new BatchJobStore(context.workspaceState);
  const services: Services = {
    extensionUri: context.extensionUri,
    globalState: context.globalState,
    logger,
    session,
    host,
    catalogue,
    analyses,
    history,
    inputs,
    runs,
    batchJobStore,
    models: new ModelsTreeProvider(catalogue, context.globalState),
    runHistory: new RunHistoryTreeProvider(history),
    jobs: new JobsTreeProvider(session, logger),
    knowledgeBases: new KnowledgeBasesTreeProvider(session, logger),
    agents: new AgentsTreeProvider(session, logger),
    batchJobs: new BatchJobsTreeProvider(session, batchJobStore, logger),
    optimizationJobs: new OptimizationJobsTreeProvider(session, logger),
    managedPrompts: new ManagedPromptsTreeProvider(session, logger),
    tests: new PromptTestController(session, catalogue, analyses, logger, host, version),
  };
  const lenses = new RunCodeLensProvider(runs, analyses, services.tests);

  const awsStatus = createAwsStatusItem(session);
  context.subscriptions.push(
    logger,
    session,
    catalogue,
    inputs,
    history,
    runs,
    services.models,
    services.runHistory,
    services.jobs,
    services.knowledgeBases,
    services.agents,
    services.batchJobs,
    services.optimizationJobs,
    services.managedPrompts,
    services.tests,
    session.useSecrets(context.secrets),
    awsStatus,
    registerPromptLanguage(analyses, catalogue),
    registerSources(session),
    registerProposals(),
    registerOptimizerAnalysis(),
    lenses,
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, lenses),
    ...registerCommands(services),
    registerChatModels(services),
    registerErrorAction('useInferenceProfile', (error) => runs.useInferenceProfile(error)),
  );
  logger.info(`Bedrock Prompt Lab ${version} activated`);
  return {
    catalogue,
    models: services.models,
    session,
    runs,
    runHistory: services.runHistory,
    jobs: services.jobs,
    knowledgeBases: services.knowledgeBases,
    agents: services.agents,
    batchJobs: services.batchJobs,
    optimizationJobs: services.optimizationJobs,
    managedPrompts: services.managedPrompts,
    tests: services.tests,
    shownErrors,
    runErrorAction,
    comparePanels: openComparePanels,
    evaluationPanels: openEvaluationPanels,
    lossCharts: openLossCharts,
    diagnosedVersion: (uri) => analyses.publishedVersion(uri),
    activationMs: performance.now() - started,
    awsStatusText: () => awsStatus.item.text,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

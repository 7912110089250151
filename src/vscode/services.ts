// The one context object: every long-lived collaborator the features use, built once by activate()
// (./extension.ts) and handed to the command groups, which take the part they need (`Pick<Services, …>`)
// instead of a row of positional parameters.
import type vscode from 'vscode';
import type { Host } from '../app/host';
import type { BatchJobStore } from '../core/batch/jobStore';
import type { PromptAnalyses } from './language/promptAnalyses';
import type { RunHistory } from './host/runHistoryStore';
import type { InputStore } from './run/inputStore';
import type { RunController } from './run/runController';
import type { PromptTestController } from './testing/promptTests';
import type { BatchJobsTreeProvider } from './views/batchJobsTree';
import type { OptimizationJobsTreeProvider } from './views/optimizationJobsTree';
import type { ManagedPromptsTreeProvider } from './views/managedPromptsTree';
import type { JobsTreeProvider } from './views/jobsTree';
import type { KnowledgeBasesTreeProvider } from './views/knowledgeBasesTree';
import type { AgentsTreeProvider } from './views/agentsTree';
import type { ModelsTreeProvider } from './views/modelsTree';
import type { RunHistoryTreeProvider } from './views/runHistoryTree';
import type { AwsSession } from './host/awsSession';
import type { CatalogueService } from './host/catalogueService';
import type { OutputLogger } from './host/logger';

export interface Services {
  readonly extensionUri: vscode.Uri;
  /** Remembered choices across workspaces (last bucket, role, model filter). */
  readonly globalState: vscode.Memento;
  readonly logger: OutputLogger;
  readonly session: AwsSession;
  /** The use cases' port (src/app/host.ts) over this session, settings and log. */
  readonly host: Host;
  readonly catalogue: CatalogueService;
  readonly analyses: PromptAnalyses;
  readonly history: RunHistory;
  readonly inputs: InputStore;
  readonly runs: RunController;
  readonly batchJobStore: BatchJobStore;
  readonly models: ModelsTreeProvider;
  readonly runHistory: RunHistoryTreeProvider;
  readonly jobs: JobsTreeProvider;
  readonly knowledgeBases: KnowledgeBasesTreeProvider;
  readonly agents: AgentsTreeProvider;
  readonly batchJobs: BatchJobsTreeProvider;
  readonly optimizationJobs: OptimizationJobsTreeProvider;
  readonly managedPrompts: ManagedPromptsTreeProvider;
  readonly tests: PromptTestController;
}

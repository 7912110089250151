import vscode = require('vscode');
import type { OptimizationJob } from '../../core/bedrock/clients';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../../core/shared/logger';
import { PollingJobsTree } from './pollingTree';
import { Commands } from '../host/commandIds';

const RUNNING = new Set(['InProgress', 'Stopping']);
const ICONS: Record<string, string> = {
  Completed: 'pass',
  PartiallyCompleted: 'warning',
  Failed: 'error',
  Stopped: 'debug-stop',
  Deleting: 'trash',
};

/** Advanced Prompt Optimization jobs; polled while one runs; a finished one offers to bring its results back. */
export class OptimizationJobsTreeProvider extends PollingJobsTree<OptimizationJob> {
  constructor(session: AwsSession, logger: Logger, pollMs = 5000) {
    super('bedrockPromptLab.optimizationJobs', session, logger, 'prompt optimization jobs', pollMs);
  }

  protected list(): Promise<OptimizationJob[]> {
    return this.session.clients().optimizationJobs.listJobs();
  }

  protected keyOf(j: OptimizationJob): string {
    return j.jobArn;
  }

  protected isRunning(j: OptimizationJob): boolean {
    return RUNNING.has(j.status);
  }

  protected finished(j: OptimizationJob): void {
    if (j.status !== 'Completed' && j.status !== 'PartiallyCompleted') {
      void vscode.window.showWarningMessage(`Prompt optimization job ${j.jobName} ${j.status.toLowerCase()}.`);
      return;
    }
    void vscode.window
      .showInformationMessage(
        `Prompt optimization job ${j.jobName} ${j.status === 'Completed' ? 'completed' : 'completed for some models only'}.`,
        'Bring Results Back',
      )
      .then((pick) => pick && vscode.commands.executeCommand(Commands.collectOptimizationJob, j));
  }

  getTreeItem(j: OptimizationJob): vscode.TreeItem {
    const item = new vscode.TreeItem(j.jobName, vscode.TreeItemCollapsibleState.None);
    item.id = `advpo:${j.jobArn}`;
    item.description = [j.status, j.createdAt ? new Date(j.createdAt).toLocaleString() : undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon(RUNNING.has(j.status) ? 'sync~spin' : (ICONS[j.status] ?? 'circle-outline'));
    item.contextValue = `optimizationJob.${RUNNING.has(j.status) ? 'running' : j.status}`;
    item.tooltip = `${j.jobName}: ${j.status}${j.failureMessage ? `\n${j.failureMessage}` : ''}\n${j.jobArn}`;
    return item;
  }
}

import vscode = require('vscode');
import type { InvocationJob } from '../../core/bedrock/clients';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../../core/shared/logger';
import { PollingJobsTree } from './pollingTree';
import { Commands } from '../host/commandIds';
import type { BatchJobStore } from '../../core/batch/jobStore';

const RUNNING = new Set(['Submitted', 'Validating', 'Scheduled', 'InProgress', 'Stopping']);
const ICONS: Record<string, string> = {
  Completed: 'pass',
  PartiallyCompleted: 'warning',
  Failed: 'error',
  Stopped: 'debug-stop',
  Expired: 'history',
};

/** Batch inference jobs; polled while one is running; a finished job offers to bring its results back. */
export class BatchJobsTreeProvider extends PollingJobsTree<InvocationJob> {
  constructor(
    session: AwsSession,
    private readonly store: BatchJobStore,
    logger: Logger,
    pollMs = 5000,
  ) {
    super('bedrockPromptLab.batchJobs', session, logger, 'batch inference jobs', pollMs);
  }

  protected list(): Promise<InvocationJob[]> {
    return this.session.clients().batch.listJobs();
  }

  protected keyOf(j: InvocationJob): string {
    return j.jobArn;
  }

  protected isRunning(j: InvocationJob): boolean {
    return RUNNING.has(j.status);
  }

  protected finished(j: InvocationJob): void {
    const ok = j.status === 'Completed' || j.status === 'PartiallyCompleted';
    const text = `Batch inference job ${j.jobName} ${j.status.toLowerCase()}${j.totalRecordCount !== undefined ? `: ${j.successRecordCount ?? 0} of ${j.totalRecordCount} records answered` : ''}${j.message ? ` (${j.message})` : ''}.`;
    if (!ok) {
      void vscode.window.showWarningMessage(text);
      return;
    }
    void vscode.window
      .showInformationMessage(text, ...(this.store.recordFor(j.jobArn) ? ['Bring Results Back'] : []))
      .then((pick) => pick && vscode.commands.executeCommand(Commands.downloadBatchResults, j));
  }

  getTreeItem(j: InvocationJob): vscode.TreeItem {
    const item = new vscode.TreeItem(j.jobName, vscode.TreeItemCollapsibleState.None);
    item.id = `batch:${j.jobArn}`;
    const counts = j.totalRecordCount !== undefined ? ` · ${j.processedRecordCount ?? 0}/${j.totalRecordCount}` : '';
    item.description = `${j.status}${counts} · ${j.modelId}`;
    item.iconPath = new vscode.ThemeIcon(RUNNING.has(j.status) ? 'sync~spin' : (ICONS[j.status] ?? 'circle-outline'));
    item.contextValue = `batchJob.${RUNNING.has(j.status) ? 'running' : j.status}`;
    const md = new vscode.MarkdownString(`**${j.jobName}** · ${j.status}\n\nModel \`${j.modelId}\``);
    if (j.totalRecordCount !== undefined)
      md.appendMarkdown(
        `\n\n${j.successRecordCount ?? 0} answered, ${j.errorRecordCount ?? 0} failed, of ${j.totalRecordCount} records`,
      );
    if (j.message) md.appendMarkdown(`\n\n${j.message}`);
    const rec = this.store.recordFor(j.jobArn);
    if (rec) md.appendMarkdown(`\n\nResults go to \`${vscode.workspace.asRelativePath(rec.outputPath)}\``);
    item.tooltip = md;
    return item;
  }
}

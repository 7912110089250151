import vscode = require('vscode');
import type { JobDetails, JobSummary } from '../../core/bedrock/clients';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../../core/shared/logger';
import { PollingJobsTree } from './pollingTree';
import { Commands } from '../host/commandIds';

const ICONS: Record<string, string> = {
  InProgress: 'sync~spin',
  Completed: 'pass',
  Failed: 'error',
  Stopping: 'debug-stop',
  Stopped: 'debug-stop',
};

/** Customization jobs with their status; refreshed every few seconds while one is running. */
export class JobsTreeProvider extends PollingJobsTree<JobSummary> {
  constructor(session: AwsSession, logger: Logger, pollMs = 5000) {
    super('bedrockPromptLab.jobs', session, logger, 'customization jobs', pollMs);
  }

  protected list(): Promise<JobSummary[]> {
    return this.session.clients().customization.listJobs();
  }

  protected keyOf(j: JobSummary): string {
    return j.jobArn;
  }

  protected isRunning(j: JobSummary): boolean {
    return j.status === 'InProgress' || j.status === 'Stopping';
  }

  /** A completed job: say what comes next (a custom model runs only through Provisioned Throughput). */
  protected finished(j: JobSummary): void {
    if (j.status !== 'Completed') return;
    void vscode.window
      .showInformationMessage(
        `Customization job ${j.jobName} completed: custom model ${j.customModelName ?? ''} is ready. A custom model runs only through Provisioned Throughput, which is billed hourly while it exists.`,
        'Create Provisioned Throughput…',
      )
      .then((pick) => pick && vscode.commands.executeCommand(Commands.createProvisionedThroughput, j));
  }

  getTreeItem(j: JobSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(j.jobName, vscode.TreeItemCollapsibleState.None);
    item.id = `job:${j.jobArn}`;
    item.description = `${j.status} · ${j.baseModelId}`;
    item.iconPath = new vscode.ThemeIcon(ICONS[j.status] ?? 'circle-outline');
    item.contextValue = `job.${j.status}`;
    item.tooltip = `${j.jobName}: ${j.status}\n${j.customizationType ?? ''} of ${j.baseModelId}${j.customModelName ? `\nCustom model: ${j.customModelName}` : ''}`;
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, j: JobSummary): Promise<vscode.TreeItem> {
    let d: JobDetails;
    try {
      d = await this.session.clients().customization.getJob(j.jobArn);
    } catch (err) {
      this.logger.warn(`job details: ${String(err)}`);
      return item;
    }
    const md = new vscode.MarkdownString(
      `**${d.jobName}** · ${d.status}\n\n${d.customizationType ?? ''} of \`${d.baseModelId}\``,
    );
    if (d.customModelArn)
      md.appendMarkdown(
        `\n\nCustom model **${d.customModelName}**: \`${d.customModelArn}\`. It runs only through Provisioned Throughput (right-click: Create Provisioned Throughput).`,
      );
    if (d.trainingLoss !== undefined)
      md.appendMarkdown(
        `\n\nTraining loss ${d.trainingLoss}${d.validationLoss !== undefined ? ` · validation loss ${d.validationLoss}` : ''}`,
      );
    if (d.hyperParameters)
      md.appendMarkdown(
        `\n\nHyperparameters: ${Object.entries(d.hyperParameters)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
    if (d.failureMessage) md.appendMarkdown(`\n\n**Failed:** ${d.failureMessage}`);
    item.tooltip = md;
    return item;
  }
}

import vscode = require('vscode');
import type { JobDetails, JobSummary } from '../../core/bedrock/clients';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../../core/shared/logger';
import { PollingJobsTree } from './pollingTree';
import { Commands } from '../host/commandIds';
import { CUSTOMIZATION_KINDS, type Customization } from '../../core/models/registry';
import { stageNote } from '../../app/customizationJob';

const ICONS: Record<string, string> = {
  InProgress: 'sync~spin',
  Completed: 'pass',
  Failed: 'error',
  Stopping: 'debug-stop',
  Stopped: 'debug-stop',
};

function kindName(type: string | undefined): string {
  return (type && CUSTOMIZATION_KINDS[type as Customization]?.label) ?? type ?? 'Customization';
}

/** Customization jobs with their status; refreshed every few seconds while one is running. */
export class JobsTreeProvider extends PollingJobsTree<JobSummary> {
  constructor(session: AwsSession, logger: Logger, pollMs = 5000) {
    super('bedrockPromptLab.jobs', session, logger, 'customization jobs', pollMs);
  }

  /** The list, with the stages of each running job (the list call does not report them). */
  protected async list(): Promise<JobSummary[]> {
    const customization = this.session.clients().customization;
    const jobs = await customization.listJobs();
    return Promise.all(
      jobs.map(async (j) =>
        this.isRunning(j) ? { ...j, stages: (await customization.getJob(j.jobArn).catch(() => undefined))?.stages } : j,
      ),
    );
  }

  protected keyOf(j: JobSummary): string {
    return j.jobArn;
  }

  protected isRunning(j: JobSummary): boolean {
    return j.status === 'InProgress' || j.status === 'Stopping';
  }

  /** A completed job: say what comes next (a custom model runs on a deployment or Provisioned Throughput). */
  protected finished(j: JobSummary): void {
    if (j.status !== 'Completed') return;
    void vscode.window
      .showInformationMessage(
        `Customization job ${j.jobName} completed: custom model ${j.customModelName ?? ''} is ready. Deploy it for on-demand use (Models view, right-click the custom model: billed per token) or create Provisioned Throughput (billed hourly while it exists).`,
        'Show Training Loss',
        'Create Provisioned Throughput…',
      )
      .then((pick) =>
        pick === 'Show Training Loss'
          ? vscode.commands.executeCommand(Commands.showTrainingLoss, j)
          : pick && vscode.commands.executeCommand(Commands.createProvisionedThroughput, j),
      );
  }

  getTreeItem(j: JobSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(j.jobName, vscode.TreeItemCollapsibleState.None);
    item.id = `job:${j.jobArn}`;
    item.description = [j.status, stageNote(j), j.baseModelId].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(ICONS[j.status] ?? 'circle-outline');
    item.contextValue = `job.${j.status}`;
    item.tooltip = `${j.jobName}: ${j.status}\n${kindName(j.customizationType)} of ${j.baseModelId}${j.customModelName ? `\nCustom model: ${j.customModelName}` : ''}`;
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
      `**${d.jobName}** · ${d.status}\n\n${kindName(d.customizationType)} of \`${d.baseModelId}\``,
    );
    if (d.teacherModelId) md.appendMarkdown(` taught by \`${d.teacherModelId}\``);
    if (d.lambdaArn) md.appendMarkdown(`, graded by \`${d.lambdaArn}\``);
    if (d.stages?.length) md.appendMarkdown(`\n\n${d.stages.map((st) => `${st.name}: ${st.status}`).join(' → ')}`);
    if (d.trainingData) md.appendMarkdown(`\n\nTraining data: ${d.trainingData}`);
    if (d.outputS3Uri) md.appendMarkdown(`\n\nOutput: ${d.outputS3Uri}`);
    if (d.customModelArn)
      md.appendMarkdown(
        `\n\nCustom model **${d.customModelName}**: \`${d.customModelArn}\`. It runs on an on-demand deployment (Models view: Deploy for On-Demand Use…) or on Provisioned Throughput (right-click here).`,
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

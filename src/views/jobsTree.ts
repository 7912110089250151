import vscode = require('vscode');
import type { JobDetails, JobSummary } from '../bedrock/clients';
import { toBedrockError } from '../bedrock/errors';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../shared/logger';

const ICONS: Record<string, string> = { InProgress: 'sync~spin', Completed: 'pass', Failed: 'error', Stopping: 'debug-stop', Stopped: 'debug-stop' };

/** Customization jobs with their status; refreshed every few seconds while one is running. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobSummary>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobSummary | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private jobs: JobSummary[] | undefined;
  private error?: string;
  private timer?: NodeJS.Timeout;
  private loading?: Promise<JobSummary[]>;
  view?: vscode.TreeView<JobSummary>;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly logger: Logger,
    private readonly pollMs = 5000,
  ) {
    this.sub = session.onDidChange(() => {
      this.jobs = undefined;
      this.changed.fire(undefined);
    });
  }

  get current(): JobSummary[] {
    return this.jobs ?? [];
  }

  /** Lists the jobs again; resolves to the new list. */
  refresh(): Promise<JobSummary[]> {
    this.loading ??= this.session
      .clients()
      .customization.listJobs()
      .then(
        (jobs) => {
          const before = new Map((this.jobs ?? []).map((j) => [j.jobArn, j.status]));
          this.jobs = jobs;
          for (const j of jobs) if (before.get(j.jobArn) === 'InProgress' && j.status === 'Completed') this.announceCompleted(j);
          this.error = undefined;
          return jobs;
        },
        (err: unknown) => {
          const e = toBedrockError(err, { operation: 'list customization jobs', profile: this.session.profile });
          this.logger.warn(`${e.code}: ${e.message}`);
          this.error = e.message;
          this.jobs = [];
          return [];
        },
      )
      .finally(() => {
        this.loading = undefined;
        if (this.view) this.view.message = this.error;
        this.changed.fire(undefined);
        this.schedule();
      });
    return this.loading;
  }

  /** A finished job: say what comes next (a custom model runs only through Provisioned Throughput). */
  private announceCompleted(j: JobSummary): void {
    void vscode.window
      .showInformationMessage(
        `Customization job ${j.jobName} completed: custom model ${j.customModelName ?? ''} is ready. A custom model runs only through Provisioned Throughput, which is billed hourly while it exists.`,
        'Create Provisioned Throughput…',
      )
      .then((pick) => pick && vscode.commands.executeCommand('bedrockPromptLab.createProvisionedThroughput', j));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.current.some((j) => j.status === 'InProgress' || j.status === 'Stopping')) {
      this.timer = setTimeout(() => void this.refresh(), this.pollMs);
    }
  }

  getChildren(node?: JobSummary): JobSummary[] {
    if (node) return [];
    if (this.jobs === undefined) {
      void this.refresh();
      return [];
    }
    return this.jobs;
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
    const md = new vscode.MarkdownString(`**${d.jobName}** · ${d.status}\n\n${d.customizationType ?? ''} of \`${d.baseModelId}\``);
    if (d.customModelArn) md.appendMarkdown(`\n\nCustom model **${d.customModelName}**: \`${d.customModelArn}\`. It runs only through Provisioned Throughput (right-click: Create Provisioned Throughput).`);
    if (d.trainingLoss !== undefined) md.appendMarkdown(`\n\nTraining loss ${d.trainingLoss}${d.validationLoss !== undefined ? ` · validation loss ${d.validationLoss}` : ''}`);
    if (d.hyperParameters) md.appendMarkdown(`\n\nHyperparameters: ${Object.entries(d.hyperParameters).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (d.failureMessage) md.appendMarkdown(`\n\n**Failed:** ${d.failureMessage}`);
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.sub.dispose();
    this.changed.dispose();
  }
}

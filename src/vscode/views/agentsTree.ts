import vscode = require('vscode');
import type { HarnessInfo } from '../../core/bedrock/clients';
import { toBedrockError } from '../../core/bedrock/errors';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from '../host/awsSession';

export interface HarnessNode {
  kind: 'harness';
  harness: HarnessInfo;
}

/**
 * The account's AgentCore harnesses with their status and version. Listed when the view is first shown,
 * on Refresh, and after Deploy as Agent.
 */
export class AgentsTreeProvider implements vscode.TreeDataProvider<HarnessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HarnessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<HarnessNode>;
  private items: HarnessInfo[] | undefined;
  private loading?: Promise<HarnessInfo[]>;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly logger: Logger,
  ) {
    this.view = vscode.window.createTreeView('bedrockPromptLab.agents', { treeDataProvider: this });
    this.sub = session.onDidChange(() => {
      this.items = undefined;
      this.changed.fire(undefined);
    });
  }

  get current(): HarnessInfo[] {
    return this.items ?? [];
  }

  /** Lists the harnesses again; a failure (no AWS credentials, say) is the view's message. */
  refresh(): Promise<HarnessInfo[]> {
    this.loading ??= this.session
      .clients()
      .agents.listHarnesses()
      .then(
        (items) => {
          this.view.message = items.length
            ? undefined
            : 'No AgentCore harnesses in this account and region: Deploy as Agent creates one from a prompt.';
          return items;
        },
        (err: unknown) => {
          const e = toBedrockError(err, { operation: 'list AgentCore harnesses', profile: this.session.profile });
          this.logger.warn(`${e.code}: ${e.message}`);
          this.view.message = e.message;
          return [];
        },
      )
      .then((items) => {
        this.items = items;
        return items;
      })
      .finally(() => {
        this.loading = undefined;
        this.changed.fire(undefined);
      });
    return this.loading;
  }

  async getChildren(node?: HarnessNode): Promise<HarnessNode[]> {
    if (node) return [];
    const items = this.items ?? (await this.refresh());
    return items.map((harness) => ({ kind: 'harness', harness }));
  }

  getTreeItem(node: HarnessNode): vscode.TreeItem {
    const h = node.harness;
    const item = new vscode.TreeItem(h.name, vscode.TreeItemCollapsibleState.None);
    item.id = `harness:${h.arn}`;
    item.description = [h.status.toLowerCase().replace(/_/g, ' '), h.version ? `version ${h.version}` : undefined]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = `${h.name}, an AgentCore harness\n${h.arn}${h.failureReason ? `\n${h.failureReason}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(/CREATING|UPDATING/.test(h.status) ? 'sync~spin' : 'hubot');
    item.contextValue = 'harness';
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

import vscode = require('vscode');
import type { ManagedPromptInfo } from '../../core/bedrock/clients';
import { toBedrockError } from '../../core/bedrock/errors';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from '../host/awsSession';

export type ManagedPromptNode = { kind: 'prompt' | 'version'; prompt: ManagedPromptInfo };

/**
 * The account's managed prompts (Prompt Management), and under each its draft and versions. Listed when
 * the view is first shown and on Refresh (and after Publish); a failure is the view's message.
 */
export class ManagedPromptsTreeProvider implements vscode.TreeDataProvider<ManagedPromptNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ManagedPromptNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ManagedPromptNode>;
  private items: ManagedPromptInfo[] | undefined;
  private readonly versions = new Map<string, Promise<ManagedPromptInfo[]>>();
  private loading?: Promise<ManagedPromptInfo[]>;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly logger: Logger,
  ) {
    this.view = vscode.window.createTreeView('bedrockPromptLab.managedPrompts', { treeDataProvider: this });
    this.sub = session.onDidChange(() => {
      this.items = undefined;
      this.versions.clear();
      this.changed.fire(undefined);
    });
  }

  get current(): ManagedPromptInfo[] {
    return this.items ?? [];
  }

  refresh(): Promise<ManagedPromptInfo[]> {
    this.loading ??= this.session
      .clients()
      .managedPrompts.list()
      .then(
        (items) => {
          this.view.message = items.length ? undefined : 'No managed prompts in this account and region: Publish one.';
          return items;
        },
        (err: unknown) => {
          const e = toBedrockError(err, { operation: 'list managed prompts', profile: this.session.profile });
          this.logger.warn(`${e.code}: ${e.message}`);
          this.view.message = e.message;
          return [];
        },
      )
      .then((items) => {
        this.items = items;
        this.versions.clear();
        return items;
      })
      .finally(() => {
        this.loading = undefined;
        this.changed.fire(undefined);
      });
    return this.loading;
  }

  /** The draft and versions of a prompt (listed once per refresh). */
  versionsOf(prompt: ManagedPromptInfo): Promise<ManagedPromptInfo[]> {
    if (!this.versions.has(prompt.id))
      this.versions.set(
        prompt.id,
        this.session
          .clients()
          .managedPrompts.versions(prompt.id)
          .catch((err: unknown) => {
            this.logger.warn(`versions of ${prompt.name}: ${String(err)}`);
            return [];
          }),
      );
    return this.versions.get(prompt.id)!;
  }

  async getChildren(node?: ManagedPromptNode): Promise<ManagedPromptNode[]> {
    if (!node) {
      const items = this.items ?? (await this.refresh());
      return items.map((prompt) => ({ kind: 'prompt', prompt }));
    }
    if (node.kind === 'version') return [];
    return (await this.versionsOf(node.prompt)).map((prompt) => ({ kind: 'version', prompt }));
  }

  getTreeItem(node: ManagedPromptNode): vscode.TreeItem {
    const p = node.prompt;
    if (node.kind === 'prompt') {
      const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `managedPrompt:${p.id}`;
      item.description = p.description;
      item.iconPath = new vscode.ThemeIcon('symbol-string');
      item.contextValue = 'managedPrompt';
      item.tooltip = `${p.name}\n${p.arn}${p.description ? `\n${p.description}` : ''}`;
      return item;
    }
    const draft = p.version === 'DRAFT';
    const item = new vscode.TreeItem(draft ? 'Draft' : `Version ${p.version}`, vscode.TreeItemCollapsibleState.None);
    item.id = `managedPrompt:${p.id}:${p.version}`;
    item.description = p.updatedAt ? new Date(p.updatedAt).toLocaleString() : undefined;
    item.iconPath = new vscode.ThemeIcon(draft ? 'edit' : 'versions');
    item.contextValue = draft ? 'managedPromptDraft' : 'managedPromptVersion';
    item.tooltip = `${p.name} · ${draft ? 'draft' : `version ${p.version}`}\n${p.arn}`;
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
    this.view.dispose();
  }
}

import vscode = require('vscode');
import type { DataSourceInfo, KnowledgeBaseInfo } from '../../core/bedrock/clients';
import { toBedrockError } from '../../core/bedrock/errors';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from '../host/awsSession';

export type KnowledgeBaseNode =
  { kind: 'knowledgeBase'; knowledgeBase: KnowledgeBaseInfo } | { kind: 'dataSource'; dataSource: DataSourceInfo };

/**
 * The account's knowledge bases with their type and status, and under each its data sources with their
 * last sync. Listed when the view is first shown and on Refresh; a sync in progress refreshes it when done.
 */
export class KnowledgeBasesTreeProvider implements vscode.TreeDataProvider<KnowledgeBaseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KnowledgeBaseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<KnowledgeBaseNode>;
  private items: KnowledgeBaseInfo[] | undefined;
  private readonly sources = new Map<string, Promise<DataSourceInfo[]>>();
  private loading?: Promise<KnowledgeBaseInfo[]>;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly logger: Logger,
  ) {
    this.view = vscode.window.createTreeView('bedrockPromptLab.knowledgeBases', { treeDataProvider: this });
    this.sub = session.onDidChange(() => {
      this.items = undefined;
      this.sources.clear();
      this.changed.fire(undefined);
    });
  }

  get current(): KnowledgeBaseInfo[] {
    return this.items ?? [];
  }

  /** Lists the knowledge bases again; a failure (no AWS credentials, say) is the view's message. */
  refresh(): Promise<KnowledgeBaseInfo[]> {
    this.loading ??= this.session
      .clients()
      .knowledgeBases.list()
      .then(
        (items) => {
          this.view.message = items.length ? undefined : 'No knowledge bases in this account and region.';
          return items;
        },
        (err: unknown) => {
          const e = toBedrockError(err, { operation: 'list knowledge bases', profile: this.session.profile });
          this.logger.warn(`${e.code}: ${e.message}`);
          this.view.message = e.message;
          return [];
        },
      )
      .then((items) => {
        this.items = items;
        this.sources.clear();
        return items;
      })
      .finally(() => {
        this.loading = undefined;
        this.changed.fire(undefined);
      });
    return this.loading;
  }

  /** A knowledge base's data sources (listed once per refresh). */
  dataSources(knowledgeBaseId: string): Promise<DataSourceInfo[]> {
    let found = this.sources.get(knowledgeBaseId);
    if (!found) {
      found = this.session
        .clients()
        .knowledgeBases.dataSources(knowledgeBaseId)
        .catch((err: unknown) => {
          this.logger.warn(`data sources of ${knowledgeBaseId}: ${String(err)}`);
          return [];
        });
      this.sources.set(knowledgeBaseId, found);
    }
    return found;
  }

  async getChildren(node?: KnowledgeBaseNode): Promise<KnowledgeBaseNode[]> {
    if (!node) {
      const items = this.items ?? (await this.refresh());
      return items.map((knowledgeBase) => ({ kind: 'knowledgeBase', knowledgeBase }));
    }
    if (node.kind === 'knowledgeBase')
      return (await this.dataSources(node.knowledgeBase.id)).map((dataSource) => ({ kind: 'dataSource', dataSource }));
    return [];
  }

  getTreeItem(node: KnowledgeBaseNode): vscode.TreeItem {
    if (node.kind === 'knowledgeBase') {
      const k = node.knowledgeBase;
      const item = new vscode.TreeItem(k.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `kb:${k.id}`;
      item.description = [k.type?.toLowerCase(), k.status.toLowerCase()].filter(Boolean).join(' · ');
      item.tooltip = `${k.name} (${k.id})${k.type ? `, a ${k.type.toLowerCase()} knowledge base` : ''}${k.description ? `\n${k.description}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('library');
      item.contextValue = 'knowledgeBase';
      return item;
    }
    const d = node.dataSource;
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
    item.id = `ds:${d.knowledgeBaseId}:${d.id}`;
    const last = d.lastSync
      ? `last sync ${d.lastSync.status.toLowerCase().replace(/_/g, ' ')}${d.lastSync.updatedAt ? ` ${d.lastSync.updatedAt.toISOString().slice(0, 16).replace('T', ' ')}` : ''}`
      : 'never synced';
    item.description = `${d.status.toLowerCase()} · ${last}`;
    item.iconPath = new vscode.ThemeIcon(
      d.lastSync && /STARTING|IN_PROGRESS/.test(d.lastSync.status) ? 'sync~spin' : 'database',
    );
    item.contextValue = 'dataSource';
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

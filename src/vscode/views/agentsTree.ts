import vscode = require('vscode');
import type { AgentRuntimeInfo, ClassicAgentInfo, HarnessInfo } from '../../core/bedrock/clients';
import { toBedrockError } from '../../core/bedrock/errors';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from '../host/awsSession';

export type AgentNode =
  | { kind: 'harness'; harness: HarnessInfo }
  | { kind: 'runtime'; runtime: AgentRuntimeInfo }
  | { kind: 'endpoint'; runtime: AgentRuntimeInfo; endpoint: AgentRuntimeInfo['endpoints'][number] }
  | { kind: 'classic'; agent: ClassicAgentInfo }
  | { kind: 'alias'; agent: ClassicAgentInfo; alias: ClassicAgentInfo['aliases'][number] };

/** Said wherever a classic agent is shown: it still serves existing users, and what replaces it. */
export const CLASSIC_NOTE =
  'Bedrock Agents (classic) are closed to new customers: AgentCore harnesses are their successor.';

/**
 * The account's AgentCore harnesses with their status and version, then its agent runtimes with their
 * endpoints, then its Bedrock agents (classic) with their aliases, marked closed to new customers. Listed when the view is first shown, on Refresh, and after Deploy as Agent.
 */
export class AgentsTreeProvider implements vscode.TreeDataProvider<AgentNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AgentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<AgentNode>;
  private items: HarnessInfo[] | undefined;
  private runtimes: AgentRuntimeInfo[] = [];
  private classic: ClassicAgentInfo[] = [];
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

  get currentRuntimes(): AgentRuntimeInfo[] {
    return this.runtimes;
  }

  get currentClassic(): ClassicAgentInfo[] {
    return this.classic;
  }

  /** Lists the harnesses and runtimes again; a failure (no AWS credentials, say) is the view's message. */
  refresh(): Promise<HarnessInfo[]> {
    const agents = this.session.clients().agents;
    // Classic agents are a section of their own: an account without them (or without their permission)
    // still sees its AgentCore agents.
    const classic = agents.listClassicAgents().catch((err: unknown) => {
      this.logger.warn(`Bedrock agents (classic): ${String(err)}`);
      return [];
    });
    this.loading ??= Promise.all([agents.listHarnesses(), agents.listRuntimes(), classic])
      .then(
        ([items, runtimes, classicAgents]) => {
          this.runtimes = runtimes;
          this.classic = classicAgents;
          this.view.message =
            items.length || runtimes.length || classicAgents.length
              ? undefined
              : 'No AgentCore harnesses or runtimes in this account and region: Deploy as Agent creates a harness from a prompt.';
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

  async getChildren(node?: AgentNode): Promise<AgentNode[]> {
    if (node?.kind === 'runtime')
      return node.runtime.endpoints.map((endpoint) => ({ kind: 'endpoint', runtime: node.runtime, endpoint }));
    if (node?.kind === 'classic')
      return node.agent.aliases.map((alias) => ({ kind: 'alias', agent: node.agent, alias }));
    if (node) return [];
    const items = this.items ?? (await this.refresh());
    return [
      ...items.map((harness): AgentNode => ({ kind: 'harness', harness })),
      ...this.runtimes.map((runtime): AgentNode => ({ kind: 'runtime', runtime })),
      ...this.classic.map((agent): AgentNode => ({ kind: 'classic', agent })),
    ];
  }

  getTreeItem(node: AgentNode): vscode.TreeItem {
    if (node.kind === 'classic') {
      const a = node.agent;
      const item = new vscode.TreeItem(a.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `classic:${a.id}`;
      item.description = `classic · ${a.status.toLowerCase().replace(/_/g, ' ')} · closed to new customers`;
      item.tooltip = `${a.name} (${a.id}), a Bedrock agent (classic)${a.description ? `\n${a.description}` : ''}\n${CLASSIC_NOTE}`;
      item.iconPath = new vscode.ThemeIcon('robot');
      item.contextValue = 'classicAgent';
      return item;
    }
    if (node.kind === 'alias') {
      const x = node.alias;
      const item = new vscode.TreeItem(x.name, vscode.TreeItemCollapsibleState.None);
      item.id = `alias:${node.agent.id}:${x.id}`;
      item.description = [x.id, x.status.toLowerCase(), x.version ? `version ${x.version}` : undefined]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon('tag');
      item.contextValue = 'classicAlias';
      return item;
    }
    if (node.kind === 'runtime') {
      const r = node.runtime;
      const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `runtime:${r.arn}`;
      item.description = [
        'runtime',
        r.status.toLowerCase().replace(/_/g, ' '),
        r.version ? `version ${r.version}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      item.tooltip = `${r.name}, an AgentCore runtime (your own agent code)\n${r.arn}${r.description ? `\n${r.description}` : ''}\nIts steps go to CloudWatch: a run links the trace.`;
      item.iconPath = new vscode.ThemeIcon('server-process');
      item.contextValue = 'runtime';
      return item;
    }
    if (node.kind === 'endpoint') {
      const e = node.endpoint;
      const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
      item.id = `endpoint:${e.arn}`;
      item.description = [
        e.status.toLowerCase().replace(/_/g, ' '),
        e.liveVersion ? `serves version ${e.liveVersion}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon('plug');
      item.contextValue = 'runtimeEndpoint';
      return item;
    }
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

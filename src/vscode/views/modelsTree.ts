import vscode = require('vscode');
import {
  groupByProvider,
  reachability,
  type Catalogue,
  type CustomModel,
  type FoundationModel,
  type InferenceProfile,
  type Deployment,
  type ImportedModel,
  type Guardrail,
  type PromptRouter,
  type ProvisionedThroughput,
  type Section,
} from '../../core/models/catalogue';
import { modelBadges, modelCardMarkdown } from '../../core/models/modelCard';
import { modelLimits } from '../../core/models/registry';
import {
  describeFilter,
  isFilterActive,
  matchesFilter,
  matchesText,
  type ModelFilter,
} from '../../core/models/modelFilter';
import { modelPrice } from '../host/pricing';
import type { CatalogueService, CatalogueState } from '../host/catalogueService';

export type ModelNode =
  | {
      kind: 'section';
      section: 'foundation' | 'profiles' | 'custom' | 'imported' | 'provisioned' | 'routers' | 'guardrails';
      label: string;
      count: number;
      error?: string;
    }
  | { kind: 'provider'; provider: string; models: FoundationModel[] }
  | { kind: 'model'; model: FoundationModel }
  | { kind: 'profile'; profile: InferenceProfile }
  | { kind: 'custom'; model: CustomModel }
  | { kind: 'provisioned'; throughput: ProvisionedThroughput }
  | { kind: 'router'; router: PromptRouter }
  | { kind: 'guardrail'; guardrail: Guardrail }
  | { kind: 'deployment'; deployment: Deployment }
  | { kind: 'imported'; model: ImportedModel }
  | { kind: 'error'; section: string; message: string };

export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The view this provider backs (created here, so it is never used half-wired). */
  readonly view: vscode.TreeView<ModelNode>;
  private filterValue: ModelFilter;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly memento: vscode.Memento,
  ) {
    this.filterValue = memento.get<ModelFilter>('modelFilter.v1') ?? {};
    this.subscription = catalogue.onDidChange((state) => {
      this.updateMessage(state);
      this.changed.fire(undefined);
    });
    this.view = vscode.window.createTreeView('bedrockPromptLab.models', {
      treeDataProvider: this,
      showCollapseAll: true,
      canSelectMany: true,
    });
    this.updateDescription();
  }

  get filter(): ModelFilter {
    return this.filterValue;
  }

  /** Changes the filter (persisted across restarts) and re-renders. */
  async setFilter(filter: ModelFilter): Promise<void> {
    this.filterValue = filter;
    await this.memento.update('modelFilter.v1', filter);
    this.updateDescription();
    this.changed.fire(undefined);
  }

  private updateDescription(): void {
    this.view.description = isFilterActive(this.filterValue)
      ? `filtered: ${describeFilter(this.filterValue)}`
      : undefined;
    void vscode.commands.executeCommand(
      'setContext',
      'bedrockPromptLab.modelFilterActive',
      isFilterActive(this.filterValue),
    );
  }

  private updateMessage(state: CatalogueState): void {
    switch (state.kind) {
      case 'loading':
        this.view.message = 'Loading models…';
        break;
      case 'failed':
        this.view.message = state.error.message;
        break;
      case 'ready':
        this.view.message = state.fromCache ? `Cached list for ${state.catalogue.region}; refreshing…` : undefined;
        break;
      default:
        this.view.message = undefined;
    }
    void vscode.commands.executeCommand(
      'setContext',
      'bedrockPromptLab.catalogueState',
      state.kind === 'failed' ? `failed:${state.error.code}` : state.kind,
    );
  }

  getChildren(node?: ModelNode): ModelNode[] {
    if (!node) {
      this.catalogue.ensureLoaded();
      const c = this.catalogue.current;
      // No catalogue (yet, or a failure): no children, so the view's welcome content shows.
      if (!c) return [];
      return [
        this.section('foundation', 'Foundation models', c.foundationModels, this.visibleModels(c).length),
        this.section('profiles', 'Inference profiles', c.inferenceProfiles),
        this.section('custom', 'Custom models', c.customModels),
        this.section('imported', 'Imported models', c.importedModels),
        this.section('provisioned', 'Provisioned throughput', c.provisionedThroughputs),
        this.section('routers', 'Prompt routers', c.promptRouters),
        this.section('guardrails', 'Guardrails', c.guardrails),
      ];
    }
    const c = this.catalogue.current;
    if (!c) return [];
    switch (node.kind) {
      case 'section': {
        const s = {
          foundation: c.foundationModels,
          profiles: c.inferenceProfiles,
          custom: c.customModels,
          imported: c.importedModels,
          provisioned: c.provisionedThroughputs,
          routers: c.promptRouters,
          guardrails: c.guardrails,
        }[node.section];
        if (s.error) return [{ kind: 'error', section: node.section, message: s.error.message }];
        const search = this.filterValue.search ?? '';
        if (node.section === 'foundation')
          return [...groupByProvider(this.visibleModels(c))].map(([provider, models]) => ({
            kind: 'provider',
            provider,
            models,
          }));
        if (node.section === 'profiles')
          return c.inferenceProfiles.items
            .filter((p) => matchesText(`${p.name} ${p.id}`, search))
            .map((profile) => ({ kind: 'profile', profile }));
        if (node.section === 'custom')
          return c.customModels.items
            .filter((m) => matchesText(`${m.name} ${m.baseModelId}`, search))
            .map((model) => ({ kind: 'custom', model }));
        if (node.section === 'imported')
          return c.importedModels.items
            .filter((m) => matchesText(`${m.name} ${m.architecture ?? ''}`, search))
            .map((model) => ({ kind: 'imported', model }));
        if (node.section === 'guardrails')
          return c.guardrails.items
            .filter((g) => matchesText(`${g.name} ${g.id}`, search))
            .map((guardrail) => ({ kind: 'guardrail', guardrail }));
        if (node.section === 'routers')
          return c.promptRouters.items
            .filter((r) => matchesText(`${r.name} ${r.modelIds.join(' ')}`, search))
            .map((router) => ({ kind: 'router', router }));
        return c.provisionedThroughputs.items
          .filter((t) => matchesText(t.name, search))
          .map((throughput) => ({ kind: 'provisioned', throughput }));
      }
      case 'provider':
        return node.models.map((model) => ({ kind: 'model', model }));
      case 'custom':
        return c.deployments.items
          .filter((d) => d.modelArn === node.model.arn)
          .map((deployment) => ({ kind: 'deployment', deployment }));
      default:
        return [];
    }
  }

  private visibleModels(c: Catalogue): FoundationModel[] {
    return c.foundationModels.items.filter((m) => matchesFilter(m, this.filterValue));
  }

  private section(
    section: 'foundation' | 'profiles' | 'custom' | 'imported' | 'provisioned' | 'routers' | 'guardrails',
    label: string,
    s: Section<unknown>,
    count = s.items.length,
  ): ModelNode {
    return { kind: 'section', section, label, count, error: s.error?.message };
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'section': {
        const item = new vscode.TreeItem(node.label, node.section === 'foundation' ? C.Expanded : C.Collapsed);
        item.id = `section:${node.section}`;
        item.description = node.error ? 'unavailable' : String(node.count);
        item.contextValue = `section.${node.section}`;
        return item;
      }
      case 'provider': {
        const item = new vscode.TreeItem(node.provider, C.Collapsed);
        item.id = `provider:${node.provider}`;
        item.description = String(node.models.length);
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'provider';
        return item;
      }
      case 'model': {
        const m = node.model;
        const item = new vscode.TreeItem(m.modelName, C.None);
        item.id = `model:${m.modelId}`;
        item.description = `${m.modelId} · ${modelBadges(m)}`;
        const profiles = this.catalogue.current?.inferenceProfiles.items
          .filter((p) => p.modelIds.includes(m.modelId))
          .map((p) => p.id);
        // The prices runs are costed at: the user's overrides first (bedrockPromptLab.pricing).
        const price = modelPrice(m.modelId);
        item.tooltip = new vscode.MarkdownString(
          modelCardMarkdown(m, {
            profiles,
            limits: modelLimits(m.modelId),
            price: price && { inputPer1k: price.price.input, outputPer1k: price.price.output, source: price.source },
          }),
        );
        item.iconPath = new vscode.ThemeIcon(
          m.legacy ? 'history' : m.outputModalities.includes('TEXT') ? 'comment-discussion' : 'symbol-misc',
        );
        item.contextValue = `model.${reachability(m)}${m.customizations.length > 0 ? '.customizable' : ''}`;
        return item;
      }
      case 'profile': {
        const p = node.profile;
        const item = new vscode.TreeItem(p.name, C.None);
        item.id = `profile:${p.id}`;
        item.tooltip = new vscode.MarkdownString(
          `**${p.name}** (${p.type === 'APPLICATION' ? 'application' : 'cross-region'} inference profile)\n\n\`${p.id}\`\n\nRoutes to ${p.modelIds.map((id) => `\`${id}\``).join(', ')} in ${p.regions.join(', ')}.`,
        );
        item.description = `${p.id} · ${p.regions.join(', ')}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'profile';
        return item;
      }
      case 'custom': {
        const m = node.model;
        const deployed = this.catalogue.current?.deployments.items.some((d) => d.modelArn === m.arn) === true;
        const item = new vscode.TreeItem(m.name, deployed ? C.Expanded : C.None);
        item.id = `custom:${m.arn}`;
        item.description = `${m.baseModelName ?? m.baseModelId} · ${m.customizationType ?? ''} · ${m.status ?? ''}`;
        item.tooltip = `${m.name}: a ${m.customizationType?.toLowerCase().replace(/_/g, '-') ?? 'custom'} of ${m.baseModelId}. It runs through an on-demand deployment (Deploy for On-Demand Use…, priced per token) or Provisioned Throughput (by the hour); a run uses an Active deployment first.`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'custom';
        return item;
      }
      case 'imported': {
        const m = node.model;
        const item = new vscode.TreeItem(m.name, C.None);
        item.id = `imported:${m.arn}`;
        item.description = `${m.architecture ?? 'imported'} · ${m.converse ? 'Converse' : 'InvokeModel (chat completion)'}`;
        item.tooltip = new vscode.MarkdownString(
          `**${m.name}** (imported model${m.architecture ? `, ${m.architecture} architecture` : ''})\n\n\`${m.arn}\`\n\n${
            m.converse
              ? 'Converse serves it (its chat template was imported): runs stream like any model.'
              : 'Converse does not serve it: a run sends InvokeModel with the OpenAI chat-completion body (text turns only, no tools or media) and shows the whole answer when it arrives.'
          } Imported models are billed per Custom Model Unit by the minute while a copy is active.`,
        );
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'imported';
        return item;
      }
      case 'provisioned': {
        const t = node.throughput;
        const item = new vscode.TreeItem(t.name, C.None);
        item.id = `provisioned:${t.arn}`;
        item.description = `${t.status} · ${t.modelUnits ?? '?'} MU${t.commitment ? ` · ${t.commitment}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('server-process');
        item.contextValue = `provisioned.${t.status}`;
        return item;
      }
      case 'router': {
        const r = node.router;
        const item = new vscode.TreeItem(r.name, C.None);
        item.id = `router:${r.arn}`;
        item.description = `${r.type === 'default' ? 'Bedrock' : 'yours'} · ${r.modelIds.join(' or ')}`;
        const difference =
          r.responseQualityDifference !== undefined
            ? ` when its answer is predicted to be at least ${Math.round(r.responseQualityDifference * 100)}% better`
            : '';
        item.tooltip = new vscode.MarkdownString(
          `**${r.name}** (prompt router)\n\n\`${r.arn}\`\n\nSends each request to ${r.modelIds
            .filter((id) => id !== r.fallbackModelId)
            .map((id) => `\`${id}\``)
            .join(
              ', ',
            )}${difference}, else to \`${r.fallbackModelId}\`. After a run the metrics name the model it chose.`,
        );
        item.iconPath = new vscode.ThemeIcon('git-compare');
        item.contextValue = 'router';
        return item;
      }
      case 'deployment': {
        const d = node.deployment;
        const item = new vscode.TreeItem(d.name, C.None);
        item.id = `deployment:${d.arn}`;
        item.description = `on demand · ${d.status}`;
        item.tooltip = `${d.name}: on-demand deployment of the custom model, ${d.status}${d.failureMessage ? ` (${d.failureMessage})` : ''}.\n${d.arn}`;
        item.iconPath = new vscode.ThemeIcon(
          d.status === 'Active' ? 'rocket' : d.status === 'Failed' ? 'error' : 'loading~spin',
        );
        item.contextValue = `deployment.${d.status}`;
        return item;
      }
      case 'guardrail': {
        const g = node.guardrail;
        const item = new vscode.TreeItem(g.name, C.None);
        item.id = `guardrail:${g.arn || g.id}`;
        item.description = `${g.id} · ${g.status}`;
        item.tooltip = new vscode.MarkdownString(
          `**${g.name}** (guardrail \`${g.id}\`)${g.description ? `\n\n${g.description}` : ''}\n\n**Use in Prompt** sets \`bedrock.guardrail\` (a version you pick, its trace on); **Check with Guardrail…** runs a text through it.`,
        );
        item.iconPath = new vscode.ThemeIcon('shield');
        item.contextValue = 'guardrail';
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, C.None);
        item.id = `error:${node.section}`;
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = node.message;
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

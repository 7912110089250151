import { withTierChoice, type ServiceTierName } from '../../core/bedrock/serviceTiers';
import { performance } from 'node:perf_hooks';
import vscode = require('vscode');
import { webviewHtml, webviewRoots } from './webviewHtml';
import { resolveInCatalogue } from '../../core/models/catalogue';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import { modelProblems, needsOfRequest } from '../../core/models/modelChecks';
import { normalizeModelRef } from '../../core/models/modelRef';
import { callCost, streamAnswer } from '../../core/bedrock/invoke';
import type { StreamOutcome } from '../../core/bedrock/stream';
import type { AwsSession } from '../host/awsSession';
import type { CatalogueService } from '../host/catalogueService';
import { showError } from '../host/commands';
import { pickModels } from '../host/modelPicker';
import { costOf } from '../host/pricing';
import { requireTrust } from '../host/trust';
import { requireNoErrors } from '../../core/format/inputs';
import type { ConverseRequest, RenderResult } from '../../core/format/render';
import { promptUriFor, renderPromptFile, requestFor } from '../host/promptFiles';
import { retrieverFor } from '../../app/retrieval';
import { answeringRuntime } from '../../app/answering';
import { retrievalLines } from '../../core/bedrock/passages';
import { citationLines, type Citation } from '../../core/bedrock/citations';
import { agentRunLines, type AgentRun } from '../../core/format/agent';
import type { Retrieval } from '../../core/format/knowledgeBase';
import { TextBatcher } from '../../core/shared/batcher';
import type { Logger } from '../../core/shared/logger';
import { isWebviewMessage, type ColumnInfo, type ColumnMetrics, type HostMessage } from './protocol';
import { config } from '../host/config';
import { forEachBounded } from '../../core/shared/pool';
import type { Services } from '../services';
import { setModelInPrompt } from '../language/setModel';

export interface CompareColumnResult extends ColumnMetrics {
  modelId: string;
  /** The tier that served the column, as the service said. */
  serviceTier?: string;
  text: string;
  flagged?: string;
}

/** A column's lines after its answer (the same lines a run writes after its answer in the file). */
function answerNotes(
  retrieval: Retrieval | undefined,
  agent: AgentRun | undefined,
  citations: Citation[] | undefined,
): string[] | undefined {
  const notes = [
    ...(retrieval ? retrievalLines(retrieval) : []),
    ...(agent ? agentRunLines(agent) : []),
    ...(citations?.length ? ['sources:', ...citationLines(citations)] : []),
  ];
  return notes.length ? notes : undefined;
}

/** Open Compare panels (the integration tests reach a panel through the extension's API). */
export const openComparePanels = new Set<ComparePanel>();

const MAX_COLUMNS = 6;

/**
 * Runs one prompt on several models at once (`compare.concurrency` streams in flight) in a webview with a
 * column per model; a column's failure stays in that column.
 */
export class ComparePanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly results = new Map<string, CompareColumnResult>();
  private readonly outcomes = new Map<string, StreamOutcome>();
  /** Columns streaming now: a Re-run of one of them waits for the click after it ends. */
  private readonly running = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private ready: Promise<void>;
  private abort = new AbortController();
  /**
   * Text that arrived and is not yet in the view, per column. One message per interval carries every
   * column's (six columns of 30 messages a second each cost the renderer more than the text itself).
   */
  private readonly unsent = new Map<string, string>();
  private readonly deltas = new TextBatcher(async () => this.sendDeltas());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly promptUri: vscode.Uri,
    private readonly rendered: RenderResult,
    private readonly columns: ColumnInfo[],
    private readonly session: AwsSession,
    private readonly logger: Logger,
    private readonly onUseModel: (modelId: string) => Promise<void>,
    private readonly onSaveRun: (request: ConverseRequest, outcome: StreamOutcome) => Promise<unknown>,
  ) {
    openComparePanels.add(this);
    this.panel = vscode.window.createWebviewPanel(
      'bedrockPromptLab.compare',
      `Compare: ${vscode.workspace.asRelativePath(promptUri)}`,
      vscode.ViewColumn.Beside,
      {
        enableScripts: true,
        localResourceRoots: webviewRoots(extensionUri),
        retainContextWhenHidden: true,
      },
    );
    this.panel.webview.html = this.html();
    let markReady: () => void = () => undefined;
    this.ready = new Promise((r) => (markReady = r));
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewMessage(m) && m.type === 'ready') markReady();
        // A click's failure (the prompt is running, the file is gone…) is shown like a command's.
        else
          this.receive(m).catch((err: unknown) =>
            showError(
              toBedrockError(err, { operation: 'compare view action', profile: this.session.profile }),
              this.logger,
            ),
          );
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Handles a message from the webview (checked first: the webview is not trusted). */
  async receive(m: unknown): Promise<unknown> {
    if (!isWebviewMessage(m)) {
      this.logger.warn('compare view: ignored a malformed message');
      return undefined;
    }
    const col = 'id' in m ? this.columns.find((c) => c.id === m.id) : undefined;
    switch (m.type) {
      case 'copy':
        return vscode.env.clipboard.writeText(this.results.get(m.id)?.text ?? '');
      case 'useModel':
        return col && this.onUseModel(col.modelId);
      case 'saveRun': {
        const outcome = this.outcomes.get(m.id);
        if (!col || !outcome) {
          void vscode.window.showInformationMessage('This column has no answer to save yet.');
          return undefined;
        }
        return this.onSaveRun(columnRequest(this.rendered, col), outcome);
      }
      case 'rerun':
        return this.runColumns(this.columns.filter((c) => c.id === m.id));
      case 'rerunAll':
        return this.runAll();
      default:
        return undefined;
    }
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  async runAll(): Promise<CompareColumnResult[]> {
    await this.ready;
    this.post({
      type: 'init',
      title: `${vscode.workspace.asRelativePath(this.promptUri)} on ${this.columns.length} models`,
      columns: this.columns,
    });
    await this.runColumns(this.columns);
    return this.columns.map((c) => this.results.get(c.id)!);
  }

  private async runColumns(cols: ColumnInfo[]): Promise<void> {
    const queue = cols
      .filter((c) => !this.running.has(c.id))
      .filter((c) => {
        if (!c.flagged) return true;
        this.results.set(c.id, {
          modelId: c.modelId,
          text: '',
          status: 'failed',
          latencyMs: 0,
          flagged: c.flagged,
          error: c.flagged,
        });
        return false;
      });
    // All columns at once by default: each model has its own quota, so columns do not throttle each other.
    const concurrency = config.compareConcurrency(MAX_COLUMNS);
    await forEachBounded(queue, concurrency, (c) => this.runColumn(c));
    const done = [...this.results.entries()].filter(([, r]) => r.status === 'complete');
    this.post({
      type: 'summary',
      byLatency: [...done].sort((a, b) => a[1].latencyMs - b[1].latencyMs).map(([id]) => id),
      byCost: done
        .filter(([, r]) => r.costUsd !== undefined)
        .sort((a, b) => (a[1].costUsd ?? 0) - (b[1].costUsd ?? 0))
        .map(([id]) => id),
    });
  }

  private async runColumn(col: ColumnInfo): Promise<void> {
    this.running.add(col.id);
    try {
      await this.streamColumn(col);
    } finally {
      this.running.delete(col.id);
    }
  }

  private async streamColumn(col: ColumnInfo): Promise<void> {
    this.outcomes.delete(col.id);
    this.post({ type: 'start', id: col.id });
    // At most 30 updates a second for all columns together (see `deltas`); posting does not wait for delivery.
    const onText = (text: string) => {
      this.unsent.set(col.id, (this.unsent.get(col.id) ?? '') + text);
      this.deltas.push(text);
    };
    const startedAt = performance.now();
    const errorContext = { operation: `compare ${col.modelId}`, profile: this.session.profile, modelId: col.modelId };
    let result: CompareColumnResult;
    try {
      const answering = answeringRuntime(this.session.clients(), this.rendered);
      const o = await streamAnswer(
        answering.runtime,
        columnRequest(this.rendered, col),
        { onText },
        {
          signal: this.abort.signal,
          stallTimeoutMs: config.stallTimeoutMs(),
          startedAt,
          errorContext,
          abort: () => this.abort.abort(),
        },
      );
      const cost = callCost(costOf, col.modelId, o);
      if (o.status !== 'failed') this.outcomes.set(col.id, o);
      result = {
        modelId: col.modelId,
        serviceTier: o.serviceTier,
        text: o.text,
        status: o.status,
        timeToFirstTokenMs: o.timeToFirstTokenMs,
        latencyMs: o.latencyMs,
        inputTokens: o.usage?.inputTokens,
        outputTokens: o.usage?.outputTokens,
        costUsd: cost?.usd,
        stopReason: o.stopReason,
        error: o.error?.message,
        notes: answerNotes(answering.retrieval() ?? this.rendered.retrieval, answering.agentRun(), o.citations),
      };
    } catch (err) {
      const e = toBedrockError(err, errorContext);
      result = {
        modelId: col.modelId,
        text: '',
        status: 'failed',
        latencyMs: performance.now() - startedAt,
        error: e.message,
      };
    }
    // The column's last text goes now, before its metrics; the other columns' keep their pace.
    const rest = this.unsent.get(col.id);
    this.unsent.delete(col.id);
    if (rest) this.post({ type: 'deltas', items: [[col.id, rest]] });
    this.results.set(col.id, result);
    const metrics: ColumnMetrics = {
      status: result.status,
      timeToFirstTokenMs: result.timeToFirstTokenMs,
      latencyMs: result.latencyMs,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      costUsd: result.costUsd,
      stopReason: result.stopReason,
      error: result.error,
      notes: result.notes,
    };
    this.post({ type: 'done', id: col.id, metrics });
  }

  private sendDeltas(): void {
    if (this.unsent.size === 0) return;
    const items = [...this.unsent];
    this.unsent.clear();
    this.post({ type: 'deltas', items });
  }

  /**
   * Not awaited: messages reach the webview in order anyway, and waiting for each delivery (a round
   * trip to the renderer) would hold the streams back.
   */
  private post(m: HostMessage): void {
    this.panel.webview
      .postMessage(m)
      .then(undefined, (err: unknown) => this.logger.warn(`compare view: a message was not delivered: ${String(err)}`));
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.extensionUri, 'compare', 'Compare models');
  }

  dispose(): void {
    openComparePanels.delete(this);
    this.abort.abort();
    this.unsent.clear();
    void this.deltas.closeTakingRest();
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

/** A column's request: the prompt for its model, on its tier when it has one. */
function columnRequest(rendered: RenderResult, col: ColumnInfo): ConverseRequest {
  return withTierChoice(requestFor(rendered, col.modelId), { serviceTier: col.serviceTier });
}

/** Why a model cannot take this request, checked before anything is sent (the rules the prompt's diagnostics use). */
function flagFor(modelId: string, request: ConverseRequest, catalogue: CatalogueService): string | undefined {
  return modelProblems(modelId, needsOfRequest(request), catalogue.current).find((p) => p.flagsCompare)?.reason;
}

export interface CompareOptions {
  uri?: string;
  models?: string[];
  /** Compare Service Tiers: the prompt's model (or `models[0]`) on each of these tiers. */
  tiers?: ServiceTierName[];
}

/** What Compare uses from the extension's services. */
export type CompareServices = Pick<
  Services,
  'extensionUri' | 'session' | 'catalogue' | 'analyses' | 'inputs' | 'runs' | 'logger' | 'host'
>;

export async function compareModels(
  s: CompareServices,
  opts: CompareOptions = {},
): Promise<CompareColumnResult[] | undefined> {
  const { extensionUri, session, catalogue, analyses, inputs, runs, logger } = s;
  requireTrust('Comparing models');
  const uri = await promptUriFor(opts.uri ? vscode.Uri.parse(opts.uri) : undefined, 'Compare models on which prompt?');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  requireNoErrors(analyses.get(doc));
  if (!catalogue.current) await catalogue.refresh();
  const tiers = opts.tiers;
  const models = tiers
    ? [opts.models?.[0] ?? (analyses.get(doc).model?.modelId as string)]
    : (opts.models ?? (await pickModels(catalogue, `Compare on up to ${MAX_COLUMNS} models`)));
  if (!models || models.length === 0 || !models[0]) return undefined;
  if (models.length > MAX_COLUMNS)
    throw new BedrockError('Validation', `Pick at most ${MAX_COLUMNS} models to compare.`);
  const rendered = await renderPromptFile(
    doc.getText(),
    await inputs.resolve(uri, analyses.get(doc)),
    uri,
    retrieverFor(s.host),
  );
  const request = rendered.request;
  const column = (modelId: string, i: number, serviceTier?: ServiceTierName): ColumnInfo => {
    const id = normalizeModelRef(modelId).modelId;
    const name = catalogue.current
      ? resolveInCatalogue(normalizeModelRef(id), catalogue.current).model?.modelName
      : undefined;
    const label = `${name ?? id}${serviceTier ? ` · ${serviceTier} tier` : ''}`;
    return { id: `c${i}`, modelId: id, label, flagged: flagFor(id, request, catalogue), serviceTier };
  };
  const columns: ColumnInfo[] = tiers
    ? tiers.map((tier, i) => column(models[0], i, tier))
    : models.map((modelId, i) => column(modelId, i));
  // "Use this model" sets it in the prompt (shown beside the panel); "Save as run" writes the column's answer as a Run would.
  const useModel = async (modelId: string) =>
    setModelInPrompt(
      await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One }),
      modelId,
      analyses,
    );
  const panel = new ComparePanel(extensionUri, uri, rendered, columns, session, logger, useModel, (request, outcome) =>
    runs.saveAsRun(uri, request, outcome),
  );
  return panel.runAll();
}

// The chart of a customization job's training and validation loss, in a webview beside the editor.
import vscode = require('vscode');
import type { Logger } from '../../core/shared/logger';
import { isLossChartViewMessage, type LossChartHostMessage, type LossChartViewMessage } from './lossChartProtocol';
import { webviewHtml, webviewRoots } from './webviewHtml';

export const openLossCharts = new Set<LossChartPanel>();

type Rendered = Extract<LossChartViewMessage, { type: 'rendered' }>;

export class LossChartPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  /** What the view last drew (its heading and point counts), as it reported it. */
  rendered?: Rendered;
  private readonly renderedListeners: ((r: Rendered) => void)[] = [];

  constructor(
    extensionUri: vscode.Uri,
    readonly shown: LossChartHostMessage,
    private readonly logger: Logger,
  ) {
    openLossCharts.add(this);
    this.panel = vscode.window.createWebviewPanel(
      'bedrockPromptLab.lossChart',
      `Loss: ${shown.jobName}`,
      vscode.ViewColumn.Beside,
      { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) },
    );
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, 'lossChart', `Loss: ${shown.jobName}`);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isLossChartViewMessage(m)) return this.logger.warn('loss chart: ignored a malformed message');
        // The figures are (re)sent when the view says it is ready: at first, and after a reload.
        if (m.type === 'ready') void this.panel.webview.postMessage(this.shown);
        else {
          this.rendered = m;
          this.renderedListeners.splice(0).forEach((l) => l(m));
        }
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Resolves when the view has drawn the chart (at once if it has). */
  whenRendered(): Promise<Rendered> {
    return this.rendered ? Promise.resolve(this.rendered) : new Promise((r) => this.renderedListeners.push(r));
  }

  dispose(): void {
    openLossCharts.delete(this);
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

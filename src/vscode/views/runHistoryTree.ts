// The Run History view: the runs of the prompt in the active editor (time, model, metrics, status).
// Any two answers, or an answer and the prompt's current last answer, open in VS Code's diff editor.
import vscode = require('vscode');
import { formatUsd } from '../../core/shared/money';
import { promptEngine } from '../../core/format/loadEngine';
import { readRecord, type RunHistory, type RunRecord } from '../host/runHistoryStore';
import { isInside } from '../../core/io/promptFiles';
import { Commands } from '../host/commandIds';

export const RUN_SCHEME = 'bedrock-run';

export class RunHistoryTreeProvider
  implements vscode.TreeDataProvider<RunRecord>, vscode.TextDocumentContentProvider, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<RunRecord | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private promptUri?: vscode.Uri;
  private readonly subs: vscode.Disposable[];
  readonly view: vscode.TreeView<RunRecord>;

  constructor(private readonly history: RunHistory) {
    this.promptUri = promptOf(vscode.window.activeTextEditor);
    this.subs = [
      vscode.window.onDidChangeActiveTextEditor((e) => {
        const uri = promptOf(e);
        if (uri && uri.toString() !== this.promptUri?.toString()) {
          this.promptUri = uri;
          this.refresh();
        }
      }),
      // A run shows once its record is written (a run's end comes before that).
      history.onDidRecord(() => this.refresh()),
      vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, this),
    ];
    this.view = vscode.window.createTreeView('bedrockPromptLab.runHistory', {
      treeDataProvider: this,
      canSelectMany: true,
    });
    this.subs.push(this.view);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The prompt whose runs are listed. */
  get prompt(): vscode.Uri | undefined {
    return this.promptUri;
  }

  async getChildren(element?: RunRecord): Promise<RunRecord[]> {
    if (element || !this.promptUri) return [];
    const records = await this.history.runsOf(this.promptUri);
    this.view.description = vscode.workspace.asRelativePath(this.promptUri);
    return records;
  }

  getTreeItem(r: RunRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(new Date(r.time).toLocaleString());
    const parts = [r.modelId.split('/').pop() ?? r.modelId];
    if (r.latencyMs !== undefined) parts.push(`${(r.latencyMs / 1000).toFixed(1)} s`);
    if (r.outputTokens !== undefined) parts.push(`${r.outputTokens} tok`);
    if (r.costUsd !== undefined) parts.push(formatUsd(r.costUsd));
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      r.status === 'complete' ? 'pass' : r.status === 'stopped' ? 'debug-stop' : 'error',
    );
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(
      `${r.status} · ${parts.join(' · ')}${r.error ? `\n${r.error.code}: ${r.error.message}` : ''}\n\n${r.text.slice(0, 400)}${r.text.length > 400 ? '…' : ''}`,
    );
    item.tooltip = tooltip;
    item.contextValue = 'bedrockRun';
    item.command = { command: Commands.openRunRecord, title: 'Open Answer', arguments: [r] };
    return item;
  }

  /** A run's answer as a read-only document (`bedrock-run:` + the record's path, inside the history folder only). */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = vscode.Uri.file(uri.path);
    const folder = this.history.folder().fsPath;
    if (!isInside(folder, file.fsPath)) return '';
    const record = await readRecord(file);
    return `${(record?.text ?? '').trim()}\n`;
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function promptOf(editor: vscode.TextEditor | undefined): vscode.Uri | undefined {
  const doc = editor?.document;
  return doc && doc.languageId === 'dotprompt' ? doc.uri : undefined;
}

function answerUri(r: RunRecord): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: r.uri.fsPath, query: 'answer' });
}

function label(r: RunRecord): string {
  return `${new Date(r.time).toLocaleTimeString()} · ${r.modelId.split('/').pop() ?? r.modelId}`;
}

export async function openRunRecord(r: RunRecord): Promise<void> {
  await vscode.window.showTextDocument(answerUri(r), { preview: true });
}

/** Two runs' answers side by side (older left); with the view's selection when called from it. */
export async function compareRuns(
  tree: RunHistoryTreeProvider,
  first?: RunRecord,
  selected?: RunRecord[],
): Promise<void> {
  let pair = selected && selected.length === 2 ? selected : undefined;
  if (!pair && first) {
    const others = (await tree.getChildren()).filter((r) => r.uri.toString() !== first.uri.toString());
    const pick = await vscode.window.showQuickPick(
      others.map((r) => ({ label: label(r), description: r.text.slice(0, 80), r })),
      { title: `Compare ${label(first)} with…` },
    );
    if (!pick) return;
    pair = [first, pick.r];
  }
  if (!pair) throw new Error('Select two runs in the Run History view (Ctrl+click), then Compare Runs.');
  const [a, b] = [...pair].sort((x, y) => x.time.localeCompare(y.time));
  await vscode.commands.executeCommand('vscode.diff', answerUri(a), answerUri(b), `${label(a)} ↔ ${label(b)}`);
}

/** A run's answer against the answer in the prompt file now (its last model turn). */
export async function compareRunWithCurrent(tree: RunHistoryTreeProvider, r: RunRecord): Promise<void> {
  const promptUri = tree.prompt;
  if (!promptUri) throw new Error('Open the prompt first.');
  const doc = await vscode.workspace.openTextDocument(promptUri);
  const current = await vscode.workspace.openTextDocument({
    content: promptEngine().lastAnswerText(doc.getText()),
    language: 'markdown',
  });
  await vscode.commands.executeCommand('vscode.diff', answerUri(r), current.uri, `${label(r)} ↔ current answer`);
}

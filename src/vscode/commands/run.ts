import vscode = require('vscode');
import type { RunHistory } from '../host/runHistoryStore';
import type { RunController } from '../run/runController';
import type { RunOptions, RunResult } from '../run/types';

/** `bedrockPromptLab.run`: argument a file URI (CodeLens, explorer) or RunOptions (other commands, tests). */
export function runCommand(runs: RunController, arg?: vscode.Uri | RunOptions): Promise<RunResult | undefined> {
  const opts: RunOptions = arg instanceof vscode.Uri ? { uri: arg.toString() } : (arg ?? {});
  return runs.run(opts);
}

export function stopCommand(runs: RunController, uri?: vscode.Uri): boolean {
  return runs.stop(uri instanceof vscode.Uri ? uri : undefined);
}

export async function openRunHistory(history: RunHistory): Promise<vscode.Uri | undefined> {
  const runs = await history.list();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      'No runs recorded yet. Run a .prompt file (the ▶ Run lens at its top) and it appears here.',
    );
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.name.replace(/\.json$/, ''), uri: r.uri })),
    { title: `Run history (${vscode.workspace.asRelativePath(history.folder())})`, placeHolder: 'Newest first' },
  );
  if (!pick) return undefined;
  await vscode.window.showTextDocument(pick.uri, { preview: true });
  return pick.uri;
}

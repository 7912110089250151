import vscode = require('vscode');
import type { PromptFiles } from '../prompt/render';

/** Media and partials relative to the prompt file, read through the workspace file system. */
export function promptFilesFor(promptUri: vscode.Uri): PromptFiles {
  const dir = vscode.Uri.joinPath(promptUri, '..');
  return {
    readBytes: async (rel) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, rel)),
    readPartial: async (name) => {
      try {
        return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `_${name}.prompt`))).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

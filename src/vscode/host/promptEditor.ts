import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';

/**
 * The .prompt the user is working on: the active editor, else a visible .prompt editor. `what` ends the
 * message when there is none ("the model is set in the prompt you are editing").
 */
export function currentPromptEditor(what: string): vscode.TextEditor {
  const active = vscode.window.activeTextEditor;
  if (active?.document.languageId === 'dotprompt') return active;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'dotprompt');
  if (visible) return visible;
  throw new BedrockError('PromptInvalid', `Open a .prompt file first: ${what}.`);
}

// The one edit that sets a prompt's model: the Models view's "Use in Prompt" and Compare's "Use this model".
import vscode = require('vscode');
import { splitPrompt } from '../../core/format/document';
import type { PromptAnalyses } from './promptAnalyses';
import { toVsRange } from './promptAnalyses';

/** Sets `model:` in the prompt, adding it (or the whole frontmatter) when missing. */
export async function setModelInPrompt(
  editor: vscode.TextEditor,
  modelId: string,
  analyses: PromptAnalyses,
): Promise<void> {
  const doc = editor.document;
  const analysis = analyses.get(doc);
  const edit = new vscode.WorkspaceEdit();
  const source = splitPrompt(doc.getText());
  if (analysis.modelRange) edit.replace(doc.uri, toVsRange(analysis.modelRange), modelId);
  else if (source.frontmatter) edit.insert(doc.uri, doc.positionAt(source.frontmatter.start), `model: ${modelId}\n`);
  else edit.insert(doc.uri, new vscode.Position(0, 0), `---\nmodel: ${modelId}\n---\n`);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The prompt could not be edited.');
}

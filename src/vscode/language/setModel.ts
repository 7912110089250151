// The edits that set what a prompt runs on: its model (the Models view's "Use in Prompt", Compare's "Use this
// model") and its guardrail (after "Check with Guardrail").
import vscode = require('vscode');
import { Document, parseDocument } from 'yaml';
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

/**
 * Sets `bedrock.guardrail` in the prompt ("Use in Prompt" after a guardrail check): the frontmatter is
 * edited through the YAML library, so its comments and other keys stay as they were.
 */
export async function setGuardrailInPrompt(
  editor: vscode.TextEditor,
  guardrail: { identifier: string; version: string },
): Promise<void> {
  const doc = editor.document;
  const source = splitPrompt(doc.getText());
  const edit = new vscode.WorkspaceEdit();
  const value = { identifier: guardrail.identifier, version: guardrail.version, trace: 'enabled' };
  if (source.frontmatter) {
    const yaml = parseDocument(source.frontmatter.text);
    if (yaml.errors.length > 0)
      throw new Error('The frontmatter is not valid YAML: fix it first, then use the guardrail again.');
    yaml.set('bedrock.guardrail', value);
    const range = new vscode.Range(doc.positionAt(source.frontmatter.start), doc.positionAt(source.frontmatter.end));
    // The range ends before the newline that precedes the closing fence.
    edit.replace(doc.uri, range, yaml.toString().replace(/\n$/, ''));
  } else {
    const yaml = new Document({ 'bedrock.guardrail': value });
    edit.insert(doc.uri, new vscode.Position(0, 0), `---\n${yaml.toString()}---\n`);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The prompt could not be edited.');
}

// The edits that set what a prompt runs on: its model (the Models view's "Use in Prompt", Compare's "Use this
// model"), its guardrail (after "Check with Guardrail"), its knowledge base (the Knowledge Bases view) and
// its agent's harness (Deploy as Agent).
import vscode = require('vscode');
import { type Document, YAMLMap } from 'yaml';
import { frontmatterEdit, setAgent } from '../../core/format/frontmatterEdit';
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
 * Edits the prompt's frontmatter through the YAML library, so its comments and other keys stay as they
 * were; a prompt without frontmatter gets one. `what` names the change in the message when the YAML is broken.
 */
async function editFrontmatter(
  editor: vscode.TextEditor,
  what: string,
  change: (yaml: Document) => void,
): Promise<void> {
  const doc = editor.document;
  const made = frontmatterEdit(doc.getText(), what, change);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(made.start), doc.positionAt(made.end)), made.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The prompt could not be edited.');
}

/** Sets `bedrock.guardrail` in the prompt ("Use in Prompt" after a guardrail check), its trace on. */
export async function setGuardrailInPrompt(
  editor: vscode.TextEditor,
  guardrail: { identifier: string; version: string },
): Promise<void> {
  await editFrontmatter(editor, 'use the guardrail', (yaml) =>
    yaml.set('bedrock.guardrail', { identifier: guardrail.identifier, version: guardrail.version, trace: 'enabled' }),
  );
}

/**
 * Points the prompt's `bedrock.knowledgeBase` at a knowledge base (the Knowledge Bases view's "Use in
 * Prompt"): an existing setting keeps its other fields; a new one asks for 5 passages.
 */
export async function setKnowledgeBaseInPrompt(editor: vscode.TextEditor, knowledgeBaseId: string): Promise<void> {
  await editFrontmatter(editor, 'use the knowledge base', (yaml) => {
    const current = yaml.get('bedrock.knowledgeBase');
    if (current instanceof YAMLMap) yaml.setIn(['bedrock.knowledgeBase', 'id'], knowledgeBaseId);
    else yaml.set('bedrock.knowledgeBase', { id: knowledgeBaseId, numberOfResults: 5 });
  });
}

/** Points the prompt's `bedrock.agent` at a harness (Deploy as Agent, Use in Prompt) or a runtime. */
export async function setAgentInPrompt(
  editor: vscode.TextEditor,
  agent: Parameters<typeof setAgent>[1],
): Promise<void> {
  await editFrontmatter(editor, 'use the agent', (yaml) => setAgent(yaml, agent));
}

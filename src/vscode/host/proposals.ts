// Text a command proposes (generated test cases, an optimized prompt), shown read-only on the right of a
// diff against the file as it is, before the user decides; and text a command shows read-only (an answer). One document per file: the next proposal for
// it replaces the last, and it stays readable while its diff is open.
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';

const PROPOSED_SCHEME = 'bedrock-proposed';
const proposals = new Map<string, string>();

export function registerProposals(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
    provideTextDocumentContent: (uri) => proposals.get(uri.path) ?? '',
  });
}

/** Opens text (a managed prompt's answer, say) as a read-only document titled `title`: shown, never rendered. */
export async function showText(title: string, text: string): Promise<vscode.TextDocument> {
  const key = `/${title.replace(/[\\/]/g, '-')}`;
  proposals.set(key, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: key }));
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}

/** Opens a diff of `file` (or an empty side, when it does not exist yet) against the proposed text. */
export async function showProposal(
  file: vscode.Uri,
  text: string,
  title: string,
  opts: { exists: boolean },
): Promise<void> {
  const key = `/${vscode.workspace.asRelativePath(file)}`;
  proposals.set(key, text);
  const left = opts.exists ? file : vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/(no ${key.slice(1)} yet)` });
  const right = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: key });
  await vscode.commands.executeCommand('vscode.diff', left, right, title);
}

/** A file's saved text, or undefined when it does not exist; refused while it has unsaved changes. */
export async function savedTextOf(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty)
    throw new BedrockError('Validation', `${vscode.workspace.asRelativePath(uri)} has unsaved changes: save it first.`);
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes a proposal over a document as one edit (Undo brings the text back), then saves it; refused when
 * the document changed since `version` (the proposal was made from the text as it was then).
 */
export async function applyProposal(doc: vscode.TextDocument, version: number, text: string): Promise<void> {
  const name = vscode.workspace.asRelativePath(doc.uri);
  if (doc.version !== version)
    throw new BedrockError(
      'Validation',
      `${name} changed meanwhile: the proposal was not applied. Run the command again.`,
    );
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new BedrockError('Validation', `${name} could not be edited: it is unchanged.`);
  if (!(await doc.save()))
    throw new BedrockError(
      'Validation',
      `${name} could not be saved (the file on disk may have changed since it was opened): the proposal is in the editor, unsaved. Compare it with the file, then save it or undo it.`,
    );
}

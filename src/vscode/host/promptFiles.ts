import path from 'node:path';
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import { isPartialPath } from '../../core/format/document';
import { compilePromptText, requestFor } from '../../app/runPrompt';
import type { Retriever } from '../../app/retrieval';
import { confinedPromptFiles } from '../../core/io/promptFiles';
import type { PromptFiles, RenderResult } from '../../core/format/render';

/**
 * Media and partials relative to the prompt file, read through the workspace file system and confined to
 * the prompt's workspace folder (its own folder when it is in none): see src/core/io/promptFiles.ts.
 * Files of other schemes (a virtual workspace) are read as they are: there is no real path to check.
 */
export function promptFilesFor(promptUri: vscode.Uri): PromptFiles {
  if (promptUri.scheme === 'file')
    return confinedPromptFiles(
      promptUri.fsPath,
      confinementRoot(promptUri),
      async (file) => vscode.workspace.fs.readFile(vscode.Uri.file(file)),
      (file) => vscode.workspace.asRelativePath(vscode.Uri.file(file)),
    );
  const dir = vscode.Uri.joinPath(promptUri, '..');
  return {
    readBytes: async (rel) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, rel)),
    readPartial: async (name) => {
      try {
        return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `_${name}.prompt`))).toString(
          'utf8',
        );
      } catch {
        return undefined; // no such partial
      }
    },
  };
}

/** The folder a prompt's media and partials must stay in. */
export function confinementRoot(promptUri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(promptUri)?.uri.fsPath ?? path.dirname(promptUri.fsPath);
}

/**
 * Compiles a prompt file's text once for many renders (see compilePromptText); media and partials as
 * above, a knowledge base's passages through `retrieve` (retrieverFor the extension's host).
 */
export async function compilePromptFile(
  text: string,
  promptUri: vscode.Uri,
  retrieve: Retriever,
): Promise<(input: Record<string, unknown>) => Promise<RenderResult>> {
  return compilePromptText(text, promptFilesFor(promptUri), retrieve);
}

export { requestFor };

/** Renders a prompt file's text into a Converse request; failures name the line. */
export async function renderPromptFile(
  text: string,
  input: Record<string, unknown>,
  promptUri: vscode.Uri,
  retrieve: Retriever,
): Promise<RenderResult> {
  return (await compilePromptFile(text, promptUri, retrieve))(input);
}

/**
 * The prompt a command works on: the one given, else the active editor's, else one the user picks from
 * the workspace (a command started from a tree or a data file). Undefined when the user cancels.
 */
export async function promptUriFor(given: vscode.Uri | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.prompt')) return active;
  const prompts = (await vscode.workspace.findFiles('**/*.prompt', '**/node_modules/**')).filter(
    (u) => !isPartialPath(u.path),
  );
  if (prompts.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      'There is no .prompt file in the workspace: create one with "Bedrock: New Prompt".',
    );
  const pick = await vscode.window.showQuickPick(
    prompts.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { title },
  );
  return pick?.uri;
}

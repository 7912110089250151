import vscode = require('vscode');
import { BedrockError } from '../bedrock/errors';
import { promptTextForRun } from '../prompt/conversation';
import { isPartialPath } from '../prompt/document';
import { promptEngine } from '../prompt/loadEngine';
import type { ConverseRequest, PromptFiles, RenderError, RenderResult } from '../prompt/render';

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

/** A render failure as a PromptInvalid error that names the line (matched by name: the engine is a separate bundle). */
function asPromptError(err: unknown): unknown {
  if ((err as Error).name !== 'RenderError') return err;
  const e = err as RenderError;
  return new BedrockError('PromptInvalid', `${e.message}${e.line ? ` (line ${e.line})` : ''}`);
}

/**
 * Compiles a prompt file's text once for many renders (batch runs); failures name the line. An answer a
 * run appended at the end, with nothing written after it, is not part of the prompt (Run again replaces it).
 */
export async function compilePromptFile(text: string, promptUri: vscode.Uri): Promise<(input: Record<string, unknown>) => Promise<RenderResult>> {
  const render = await promptEngine().compilePrompt(promptTextForRun(text), promptFilesFor(promptUri)).catch((err: unknown) => {
    throw asPromptError(err);
  });
  return (input) =>
    render(input).catch((err: unknown) => {
      throw asPromptError(err);
    });
}

/** The rendered request for another model than the file names (JSON output asked for the way that model takes it). */
export function requestFor(rendered: RenderResult, modelRef: string | undefined): ConverseRequest {
  return modelRef ? promptEngine().requestForModel(rendered, modelRef).request : rendered.request;
}

/** Renders a prompt file's text into a Converse request; failures name the line. */
export async function renderPromptFile(text: string, input: Record<string, unknown>, promptUri: vscode.Uri): Promise<RenderResult> {
  return (await compilePromptFile(text, promptUri))(input);
}

/**
 * The prompt a command works on: the one given, else the active editor's, else one the user picks from
 * the workspace (a command started from a tree or a data file). Undefined when the user cancels.
 */
export async function promptUriFor(given: vscode.Uri | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.prompt')) return active;
  const prompts = (await vscode.workspace.findFiles('**/*.prompt', '**/node_modules/**')).filter((u) => !isPartialPath(u.path));
  if (prompts.length === 0) throw new BedrockError('PromptInvalid', 'There is no .prompt file in the workspace: create one with "Bedrock: New Prompt".');
  const pick = await vscode.window.showQuickPick(prompts.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title });
  return pick?.uri;
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import vscode = require('vscode');
import { BedrockError } from '../../core/bedrock/errors';
import { isPartialPath } from '../../core/format/document';
import { promptEngine } from '../../core/format/loadEngine';
import type { ConverseRequest, PromptFiles, RenderError, RenderResult } from '../../core/format/render';

/**
 * Media and partials relative to the prompt file, read through the workspace file system, and only from
 * inside the prompt's workspace folder (its own folder when it is in none): the real path, with symlinks
 * resolved, must stay there, so a path (or a value that became one) cannot send `~/.ssh` to Bedrock.
 */
export function promptFilesFor(promptUri: vscode.Uri): PromptFiles {
  const dir = vscode.Uri.joinPath(promptUri, '..');
  const root = confinementRoot(promptUri);
  const inside = async (uri: vscode.Uri): Promise<vscode.Uri> => {
    if (uri.scheme !== 'file') return uri;
    const [realRoot, realTarget] = await Promise.all([fs.realpath(root), fs.realpath(uri.fsPath)]);
    if (!isInside(realRoot, realTarget)) throw outsideError(vscode.workspace.asRelativePath(uri));
    return uri;
  };
  return {
    readBytes: async (rel) => vscode.workspace.fs.readFile(await inside(vscode.Uri.joinPath(dir, rel))),
    readPartial: async (name) => {
      const uri = vscode.Uri.joinPath(dir, `_${name}.prompt`);
      let file: vscode.Uri;
      try {
        file = await inside(uri);
      } catch (err) {
        if ((err as Error).name === OUTSIDE) throw err;
        return undefined; // no such partial
      }
      try {
        return Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

const OUTSIDE = 'PathOutsideWorkspace';

function outsideError(shown: string): Error {
  const err = new Error(
    `${shown} is outside the workspace folder: media and partials are read only from inside it. Copy the file into the workspace.`,
  );
  err.name = OUTSIDE;
  return err;
}

/** The folder a prompt's media and partials must stay in. */
export function confinementRoot(promptUri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(promptUri)?.uri.fsPath ?? path.dirname(promptUri.fsPath);
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
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
export async function compilePromptFile(
  text: string,
  promptUri: vscode.Uri,
): Promise<(input: Record<string, unknown>) => Promise<RenderResult>> {
  const render = await promptEngine()
    .compilePrompt(promptEngine().promptTextForRun(text), promptFilesFor(promptUri))
    .catch((err: unknown) => {
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
export async function renderPromptFile(
  text: string,
  input: Record<string, unknown>,
  promptUri: vscode.Uri,
): Promise<RenderResult> {
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

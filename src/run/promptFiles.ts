import vscode = require('vscode');
import { BedrockError } from '../bedrock/errors';
import { promptEngine } from '../prompt/loadEngine';
import type { PromptFiles, RenderError, RenderResult } from '../prompt/render';

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

/**
 * Renders a prompt file's text into a Converse request; a render failure becomes a PromptInvalid error
 * that names the line. (Matched by name: the engine is a separate bundle with its own classes.)
 */
export async function renderPromptFile(text: string, input: Record<string, unknown>, promptUri: vscode.Uri): Promise<RenderResult> {
  try {
    return await promptEngine().renderPrompt(text, input, promptFilesFor(promptUri));
  } catch (err) {
    if ((err as Error).name === 'RenderError') {
      const e = err as RenderError;
      throw new BedrockError('PromptInvalid', `${e.message}${e.line ? ` (line ${e.line})` : ''}`);
    }
    throw err;
  }
}

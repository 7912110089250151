import vscode = require('vscode');
import type { CatalogueService } from '../host/catalogueService';

function promptTemplate(model: string): string {
  return [
    '---',
    `model: ${model}`,
    'config:',
    '  temperature: 0.5',
    '  maxOutputTokens: 500',
    'input:',
    '  schema:',
    '    topic: string, what to write about',
    '  default:',
    '    topic: the tides',
    '---',
    '{{role "system"}}',
    'You are a helpful assistant.',
    '',
    '{{role "user"}}',
    'Tell me about {{topic}}.',
    '',
  ].join('\n');
}

const DEFAULT_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

/**
 * Creates a .prompt file: in the folder given (explorer context menu), else the first workspace
 * folder, else an untitled document. `model` preselects the model (the explorer passes it).
 */
export async function newPrompt(
  catalogue: CatalogueService,
  arg?: vscode.Uri | { model?: string; name?: string; folder?: vscode.Uri },
): Promise<vscode.Uri | undefined> {
  const opts = arg instanceof vscode.Uri ? { folder: arg } : (arg ?? {});
  const model =
    opts.model ??
    catalogue.current?.foundationModels.items.find((m) => m.modelId === DEFAULT_MODEL)?.modelId ??
    DEFAULT_MODEL;
  const folder = opts.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: promptTemplate(model) });
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  }
  const name =
    opts.name ??
    (await vscode.window.showInputBox({
      title: 'New prompt',
      prompt: 'File name (".prompt" is added)',
      value: 'my-prompt',
      validateInput: (v) =>
        /^[\w.-]+$/.test(v.replace(/\.prompt$/, '')) ? undefined : 'Use letters, digits, ".", "-" and "_".',
    }));
  if (!name) return undefined;
  const uri = vscode.Uri.joinPath(folder, name.endsWith('.prompt') ? name : `${name}.prompt`);
  try {
    await vscode.workspace.fs.stat(uri);
    throw new Error(`${vscode.workspace.asRelativePath(uri)} already exists: choose another name.`);
  } catch (err) {
    if (!(err instanceof vscode.FileSystemError)) throw err;
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(promptTemplate(model)));
  await vscode.window.showTextDocument(uri);
  return uri;
}

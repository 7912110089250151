import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, waitFor, workspaceFile } from './helpers';

const errorsAndWarnings = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);

async function openPrompt(...parts: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(...parts));
  return vscode.window.showTextDocument(doc);
}

async function replaceText(editor: vscode.TextEditor, search: string, replacement: string): Promise<void> {
  const text = editor.document.getText();
  const at = text.indexOf(search);
  assert.ok(at >= 0, `"${search}" is in the document`);
  const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + search.length));
  assert.ok(await editor.edit((b) => b.replace(range, replacement)));
}

describe('the .prompt language in a real VS Code', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
    // Model ids are checked against the account's catalogue once it is known.
    await vscode.commands.executeCommand(Commands.refreshModels);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a diagnostic at the broken place as you type, and clears it when fixed', async () => {
    const editor = await openPrompt('examples', 'persona-chatbot.prompt');
    await replaceText(editor, 'temperature: 0.7', 'temperature: 7');
    const diag = await waitFor('a range diagnostic', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'range'),
    );
    assert.match(diag.message, /`config.temperature` must be between 0 and 1; found 7/);
    assert.equal(diag.range.start.line, 4);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    await replaceText(editor, 'temperature: 7', 'temperature: 0.7');
    await waitFor('the diagnostic to clear', () =>
      vscode.languages.getDiagnostics(editor.document.uri).length === 0 ? true : undefined,
    );
  });

  it('flags a model id the account does not list, with the likely fix', async () => {
    const editor = await openPrompt('examples', 'image-question.prompt');
    await replaceText(editor, 'anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v9:0');
    const diag = await waitFor('an unknown-model diagnostic', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'unknown-model'),
    );
    assert.match(diag.message, /Did you mean `anthropic.claude-3-haiku-20240307-v1:0`/);
    assert.equal(diag.range.start.line, 2);
  });

  it('reports a missing media file and an undeclared variable', async () => {
    const editor = await openPrompt('examples', 'image-question.prompt');
    await replaceText(editor, 'images/logo.png', 'images/missing.png');
    await replaceText(editor, '{{question}}', '{{questoin}}');
    const media = await waitFor('media-missing', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'media-missing'),
    );
    assert.match(media.message, /images\/missing.png` does not exist/);
    const variable = await waitFor('undeclared-variable', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'undeclared-variable'),
    );
    assert.match(variable.message, /`questoin` is not declared/);
  });

  it('every example opens without errors or warnings', async () => {
    const files = await vscode.workspace.findFiles('examples/*.prompt');
    assert.ok(files.length >= 6, `${files.length} examples`);
    for (const uri of files) {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'dotprompt');
      await waitFor(
        `diagnostics of ${vscode.workspace.asRelativePath(uri)}`,
        () => api.diagnosedVersion(uri) === doc.version,
      );
      assert.deepEqual(
        errorsAndWarnings(uri).map((d) => `${d.range.start.line}: ${d.message}`),
        [],
        vscode.workspace.asRelativePath(uri),
      );
    }
  });

  it('completes model ids from the catalogue, frontmatter keys and declared variables', async () => {
    const editor = await openPrompt('examples', 'ticket-classifier.prompt');
    const modelLine = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('model:'));
    const atModel = new vscode.Position(modelLine, 'model: '.length);
    const models = (
      await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        atModel,
      )
    ).items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(models.includes('amazon.nova-pro-v1:0'));
    assert.ok(models.includes('us.anthropic.claude-sonnet-4-20250514-v1:0'));

    await replaceText(editor, 'Ticket:\n', 'Ticket:\n{{');
    const at = editor.document.positionAt(editor.document.getText().indexOf('Ticket:\n{{') + 'Ticket:\n{{'.length);
    const inTemplate = (
      await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        at,
      )
    ).items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(inTemplate.includes('ticket'), 'the declared variable');
    assert.ok(inTemplate.includes('role') && inTemplate.includes('media'), 'the helpers');

    await replaceText(editor, 'config:\n', 'config:\n  temp\n');
    const keyPos = editor.document.positionAt(editor.document.getText().indexOf('  temp\n') + '  temp'.length);
    const keys = (
      await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        keyPos,
      )
    ).items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(keys.includes('temperature') && keys.includes('maxOutputTokens'));
    assert.ok(!keys.includes('model'), 'config keys, not top-level keys');
  });

  it("hovers show a model card and a key's meaning", async () => {
    const editor = await openPrompt('examples', 'image-question.prompt');
    const text = editor.document.getText();
    const modelPos = editor.document.positionAt(text.indexOf('anthropic.claude-3-haiku') + 5);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      modelPos,
    );
    const md = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n');
    assert.match(md, /\*\*Claude 3 Haiku\*\* · Anthropic/);
    assert.match(md, /Converse: images \| yes/);
    const keyPos = editor.document.positionAt(text.indexOf('maxOutputTokens') + 3);
    const keyHover = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      keyPos,
    );
    assert.match(
      keyHover
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
        .join('\n'),
      /inferenceConfig.maxTokens/,
    );
  });

  it('New Prompt creates a prompt file with the chosen model', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(Commands.newPrompt, {
      name: 'fresh',
      model: 'amazon.nova-micro-v1:0',
    });
    assert.ok(uri);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    assert.match(text, /^---\nmodel: amazon.nova-micro-v1:0\n/);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'dotprompt');
    await waitFor('diagnostics of the new file', () => true);
    assert.deepEqual(errorsAndWarnings(uri), []);
  });
});

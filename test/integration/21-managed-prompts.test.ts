// Prompt Management in the real VS Code against the local server: Publish as Managed Prompt… (the prompt
// and its variant, then a version), the Managed Prompts view (the prompt, its draft and versions), Import as
// .prompt from a version, and Run Managed Prompt Version… by its ARN with the variables (the answer shown as
// text; nothing of the caller's own configuration sent).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const PROMPT =
  '---\ndescription: Greets a customer.\nmodel: amazon.nova-lite-v1:0\nconfig:\n  temperature: 0.2\ninput:\n  schema:\n    customer: string\n---\n{{role "system"}}\nYou greet people.\n\n{{role "user"}}\nGreet {{customer}}.\n';
const VARIANT =
  '---\nmodel: amazon.nova-pro-v1:0\ninput:\n  schema:\n    customer: string\n---\nSay hello to {{customer}}.\n';

describe('Managed prompts (Prompt Management) against the local server', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  it('publishes a prompt and its variant, lists it with its versions, imports a version and runs it by its ARN', async () => {
    const prompt = workspaceFile('runs', 'greeter.prompt');
    await vscode.workspace.fs.writeFile(prompt, Buffer.from(PROMPT));
    await vscode.workspace.fs.writeFile(workspaceFile('runs', 'greeter.casual.prompt'), Buffer.from(VARIANT));
    const published = await vscode.commands.executeCommand<{
      created: boolean;
      variants: string[];
      version: { arn: string; version: string };
    }>(Commands.publishPrompt, { uri: prompt.toString(), versionDescription: 'first' });
    assert.ok(published, api.shownErrors.at(-1)?.message);
    assert.equal(published.created, true);
    assert.deepEqual(published.variants, ['base', 'casual']);
    assert.equal(published.version.version, '1');
    assert.match(published.version.arn, /:prompt\/[0-9A-Z]{10}:1$/);

    // The view: the prompt, then its draft and version 1.
    const roots = await waitFor('the prompt in the Managed Prompts view', async () => {
      await api.managedPrompts.refresh();
      const nodes = await api.managedPrompts.getChildren();
      return nodes.some((n) => n.prompt.name === 'greeter') ? nodes : undefined;
    });
    const node = roots.find((n) => n.prompt.name === 'greeter')!;
    const item = api.managedPrompts.getTreeItem(node);
    assert.equal(item.label, 'greeter');
    assert.equal(item.description, 'Greets a customer.');
    const versions = await api.managedPrompts.getChildren(node);
    assert.deepEqual(
      versions.map((v) => [api.managedPrompts.getTreeItem(v).label, api.managedPrompts.getTreeItem(v).contextValue]),
      [
        ['Draft', 'managedPromptDraft'],
        ['Version 1', 'managedPromptVersion'],
      ],
    );

    const target = workspaceFile('runs', 'greeter-imported.prompt');
    const imported = await vscode.commands.executeCommand<{ file: string }>(Commands.importManagedPrompt, versions[1], {
      target: target.fsPath,
      overwrite: true,
    });
    assert.ok(imported, api.shownErrors.at(-1)?.message);
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    assert.match(
      text,
      /\nmodel: amazon\.nova-lite-v1:0\nconfig:\n  temperature: 0\.2\ninput:\n  schema:\n    customer: string\n---\n\{\{role "system"\}\}\nYou greet people\.\n\n\{\{role "user"\}\}\nGreet \{\{customer\}\}\.\n$/,
    );
    await waitFor('the imported prompt in an editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === target.fsPath),
    );

    const ran = await vscode.commands.executeCommand<{ text: string; modelId: string }>(
      Commands.runManagedPrompt,
      versions[1],
      {
        variables: { customer: 'Ana' },
      },
    );
    assert.ok(ran, api.shownErrors.at(-1)?.message);
    assert.equal(ran.modelId, 'amazon.nova-lite-v1:0');
    assert.equal(ran.text, 'Nova Lite (emulated), turn 1. You wrote: "Greet Ana."');
    const sent = (await emulator.requests()).filter((r) => r.operation === 'Converse').at(-1)!;
    assert.equal(sent.modelId, published.version.arn);
    assert.deepEqual(sent.body, { promptVariables: { customer: { text: 'Ana' } } });
    const shown = await waitFor('the answer as text', () =>
      vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.scheme === 'bedrock-proposed' && e.document.uri.path.endsWith('answer'),
      ),
    );
    assert.match(
      shown.document.getText(),
      /^Nova Lite \(emulated\), turn 1\. You wrote: "Greet Ana\."\n\n-- amazon\.nova-lite-v1:0 · /,
    );
  });
});

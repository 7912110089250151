import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import { activateExtension, EXTENSION_ID, workspaceFile } from './helpers';

function sdkModulesLoaded(): string[] {
  return Object.keys(require.cache).filter(
    (f) => f.includes(`${path.sep}@aws-sdk${path.sep}`) || f.endsWith(`${path.sep}awsSdk.js`),
  );
}

describe('activation in a real VS Code', () => {
  it('activates without error and without loading the AWS SDK', async () => {
    const api = await activateExtension();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.ok(api.catalogue && api.models && api.session);
    assert.deepEqual(sdkModulesLoaded(), [], 'activation must not load the AWS SDK');
  });

  it('registers every command it declares', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const declared = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as { command: string }[]
    ).map((c) => c.command);
    for (const id of Object.values(Commands)) assert.ok(all.has(id), `command ${id} registered`);
    assert.deepEqual([...declared].sort(), Object.values(Commands).sort(), 'package.json and Commands agree');
  });

  it('opens .prompt files in the dotprompt language', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('dotprompt'));
    const doc = await vscode.workspace.openTextDocument(workspaceFile('hello.prompt'));
    assert.equal(doc.languageId, 'dotprompt');
  });

  it('contributes the Models view in the Bedrock container', async () => {
    // VS Code creates `<view id>.focus` for every contributed view; it fails for an unknown view.
    await vscode.commands.executeCommand('bedrockPromptLab.models.focus');
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('workbench.view.extension.bedrockPromptLab'));
  });
});

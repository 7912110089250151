import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { CompareColumnResult } from '../../src/vscode/webview/comparePanel';
import { activateExtension, emulator, workspaceFile } from './helpers';

describe('comparing models side by side', () => {
  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
  });
  after(() => emulator.clearFaults());

  it('streams every column with metrics; a failure or an unfit model stays in its column', async () => {
    const uri = workspaceFile('runs', 'compare.prompt');
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(
        '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nCompare <b>me</b> <script>alert(1)</script>\n',
      ),
    );
    await emulator.addFault({
      operation: 'ConverseStream',
      modelId: 'amazon.nova-micro-v1:0',
      fault: { kind: 'http', error: 'accessDenied' },
      times: 1,
    });
    const results = (await vscode.commands.executeCommand<CompareColumnResult[]>(Commands.compareModels, {
      uri: uri.toString(),
      models: [
        'anthropic.claude-3-haiku-20240307-v1:0',
        'amazon.nova-micro-v1:0',
        'us.amazon.nova-lite-v1:0',
        'mistral.mistral-7b-instruct-v0:2',
        'amazon.titan-embed-text-v2:0',
      ],
    }))!;
    assert.deepEqual(
      results.map((r) => [r.modelId, r.status]),
      [
        ['anthropic.claude-3-haiku-20240307-v1:0', 'complete'],
        ['amazon.nova-micro-v1:0', 'failed'],
        ['us.amazon.nova-lite-v1:0', 'complete'],
        ['mistral.mistral-7b-instruct-v0:2', 'failed'],
        ['amazon.titan-embed-text-v2:0', 'failed'],
      ],
    );
    assert.equal(
      results[0].text,
      'Claude 3 Haiku (emulated), turn 1. You wrote: "Compare <b>me</b> <script>alert(1)</script>"',
    );
    assert.ok((results[0].outputTokens ?? 0) > 0 && results[0].latencyMs > 0 && results[0].costUsd !== undefined);
    assert.match(results[1].error ?? '', /don't have access to amazon.nova-micro-v1:0/);
    assert.equal(results[3].flagged, 'it does not accept a system prompt');
    assert.equal(results[4].flagged, 'it does not generate text');
  });

  it('saves a column as a run in the prompt file, and compares a custom model with its base model', async () => {
    const api = await activateExtension();
    const uri = workspaceFile('runs', 'compare-save.prompt');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nSave me\n'));
    await vscode.window.showTextDocument(uri);
    const results = (await vscode.commands.executeCommand<CompareColumnResult[]>(Commands.compareModels, {
      uri: uri.toString(),
      models: ['amazon.nova-micro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'],
    }))!;
    const panel = [...api.comparePanels].at(-1)!;
    // What the column's "Save as run" button sends.
    const saved = (await panel.receive({ type: 'saveRun', id: 'c1' })) as { modelId: string; historyFile?: string };
    assert.equal(saved.modelId, 'anthropic.claude-3-haiku-20240307-v1:0');
    assert.ok(saved.historyFile);
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.ok(
      text.includes(`{{role "model"}}\n${results[1].text}\n{{!-- bedrock: anthropic.claude-3-haiku-20240307-v1:0`),
      text,
    );
    assert.ok(text.trimEnd().endsWith('{{role "user"}}'), text);
    assert.equal(
      await panel.receive({ type: 'saveRun', id: '<img src=x onerror=alert(1)>' }),
      undefined,
      'an unknown column saves nothing',
    );
    panel.dispose();

    const [, , custom] = api.models.getChildren();
    const [customModel] = api.models.getChildren(custom);
    // A prompt that ends with an answer a run left (and nothing since) is compared without that answer,
    // as Run again would send it.
    const again = (await vscode.commands.executeCommand<CompareColumnResult[] | undefined>(
      Commands.compareWithBaseModel,
      customModel,
      { uri: uri.toString() },
    ))!;
    assert.equal(again?.length, 2, JSON.stringify(api.shownErrors.at(-1)));
    assert.ok(
      again.every((c) => c.text.endsWith('turn 1. You wrote: "Save me"')),
      JSON.stringify(again.map((c) => c.text)),
    );
    const fresh = workspaceFile('runs', 'compare-base.prompt');
    await vscode.workspace.fs.writeFile(
      fresh,
      Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nHow do you sound?\n'),
    );
    const both = (await vscode.commands.executeCommand<CompareColumnResult[] | undefined>(
      Commands.compareWithBaseModel,
      customModel,
      { uri: fresh.toString() },
    ))!;
    assert.equal(both?.length, 2, JSON.stringify(api.shownErrors.at(-1)));
    assert.match(both[0].modelId, /^arn:aws:bedrock:[a-z0-9-]+:123456789012:provisioned-model\//);
    assert.equal(both[1].modelId, 'amazon.nova-lite-v1:0');
    assert.deepEqual(
      both.map((r) => r.status),
      ['complete', 'complete'],
    );
  });

  it('compares the models selected in the Models view', async () => {
    const api = await activateExtension();
    const uri = workspaceFile('runs', 'compare-selected.prompt');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nPick one\n'));
    await vscode.window.showTextDocument(uri);
    const [foundation] = api.models.getChildren();
    const models = api.models
      .getChildren(foundation)
      .flatMap((p) => api.models.getChildren(p))
      .filter((n) => n.kind === 'model');
    const pick = ['amazon.nova-micro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-premier-v1:0'].map(
      (id) => models.find((n) => n.kind === 'model' && n.model.modelId === id)!,
    );
    // As VS Code calls a context-menu command on a multi-selection: the clicked node, then all selected.
    const results = (await vscode.commands.executeCommand<CompareColumnResult[]>(
      Commands.compareSelectedModels,
      pick[1],
      pick,
    ))!;
    assert.deepEqual(
      results.map((r) => [r.modelId, r.status]),
      [
        ['amazon.nova-micro-v1:0', 'complete'],
        ['anthropic.claude-3-haiku-20240307-v1:0', 'complete'],
        ['us.amazon.nova-premier-v1:0', 'complete'],
      ],
    );
  });
});

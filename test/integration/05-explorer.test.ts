import assert from 'node:assert/strict';
import type { FoundationModelSummary } from '@aws-sdk/client-bedrock';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import type { ModelNode } from '../../src/vscode/views/modelsTree';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

/** The emulator's catalogue read with the real SDK directly, independent of the extension. */
async function listDirect(
  filter: { byOutputModality?: 'EMBEDDING' | 'TEXT' | 'IMAGE' } = {},
): Promise<FoundationModelSummary[]> {
  // Required here, not imported at the top: mocha loads every test file before the activation test,
  // which checks that nothing has loaded the SDK yet.
  const { BedrockClient, ListFoundationModelsCommand } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@aws-sdk/client-bedrock') as typeof import('@aws-sdk/client-bedrock');
  const client = new BedrockClient({ region: 'us-east-1' });
  try {
    return (await client.send(new ListFoundationModelsCommand(filter))).modelSummaries ?? [];
  } finally {
    client.destroy();
  }
}

function modelNodes(api: ExtensionApi): Extract<ModelNode, { kind: 'model' }>[] {
  const [foundation] = api.models.getChildren();
  return api.models
    .getChildren(foundation)
    .flatMap((p) => api.models.getChildren(p))
    .filter((n): n is Extract<ModelNode, { kind: 'model' }> => n.kind === 'model');
}

const config = () => vscode.workspace.getConfiguration('bedrockPromptLab');

describe('the model explorer', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.clearModelFilter);
    await vscode.commands.executeCommand(Commands.refreshModels);
  });
  afterEach(async () => {
    await emulator.clearFaults();
    await vscode.commands.executeCommand(Commands.clearModelFilter);
  });

  it('lists every provider with the right counts', async () => {
    const direct = await listDirect();
    const expected = new Map<string, number>();
    for (const m of direct) expected.set(m.providerName ?? '', (expected.get(m.providerName ?? '') ?? 0) + 1);
    const [foundation] = api.models.getChildren();
    assert.equal(api.models.getTreeItem(foundation).description, String(direct.length));
    const providers = api.models.getChildren(foundation);
    assert.equal(providers.length, expected.size);
    for (const p of providers) {
      const item = api.models.getTreeItem(p);
      assert.equal(item.description, String(expected.get(String(item.label))), `${item.label}`);
    }
    const sonnet4 = modelNodes(api).find((n) => n.model.modelId === 'anthropic.claude-sonnet-4-20250514-v1:0');
    assert.ok(sonnet4);
    const item = api.models.getTreeItem(sonnet4);
    assert.match(String(item.description), /text\+image→text · streaming · profile only/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /Converse: tools \| yes/);
    // The card shows the prices runs are costed at: the user's bedrockPromptLab.pricing override first.
    const cfg = vscode.workspace.getConfiguration('bedrockPromptLab');
    await cfg.update(
      'pricing',
      { 'anthropic.claude-sonnet-4-20250514-v1:0': { input: 0.123, output: 0.456 } },
      vscode.ConfigurationTarget.Global,
    );
    try {
      const card = (api.models.getTreeItem(sonnet4).tooltip as vscode.MarkdownString).value;
      assert.match(card, /price \/ 1K tokens \| \$0\.123 in · \$0\.456 out \(your bedrockPromptLab\.pricing setting\)/);
    } finally {
      await cfg.update('pricing', undefined, vscode.ConfigurationTarget.Global);
    }
    const legacyIndex = modelNodes(api).findIndex((n) => n.model.provider === 'Anthropic' && n.model.legacy);
    const lastActive =
      modelNodes(api)
        .map((n, i) => [n, i] as const)
        .filter(([n]) => n.model.provider === 'Anthropic' && !n.model.legacy)
        .at(-1)?.[1] ?? -1;
    assert.ok(legacyIndex > lastActive, 'legacy models are sorted last');
  });

  it('filters change what is listed, and persist', async () => {
    const embeddings = await listDirect({ byOutputModality: 'EMBEDDING' });
    await vscode.commands.executeCommand(Commands.filterModels, { embedding: true });
    const listed = modelNodes(api)
      .map((n) => n.model.modelId)
      .sort();
    assert.deepEqual(listed, embeddings.map((m) => m.modelId ?? '').sort());
    await vscode.commands.executeCommand(Commands.filterModels, { text: true, fineTunable: true, hideLegacy: true });
    const ft = modelNodes(api);
    assert.ok(
      ft.length > 0 &&
        ft.every(
          (n) => n.model.customizations.length > 0 && !n.model.legacy && n.model.outputModalities.includes('TEXT'),
        ),
    );
    await vscode.commands.executeCommand(Commands.searchModels, 'nova lite');
    assert.deepEqual(
      modelNodes(api)
        .map((n) => n.model.modelId)
        .sort(),
      ['amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0:300k'],
    );
    assert.equal(api.models.filter.search, 'nova lite');
    await vscode.commands.executeCommand(Commands.clearModelFilter);
    assert.equal(modelNodes(api).length, (await listDirect()).length);
  });

  it('"Use in current prompt" edits the file, with the profile for profile-only models', async () => {
    const uri = workspaceFile('runs', 'use-model.prompt');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nHi\n'));
    await vscode.window.showTextDocument(uri);
    const nova = modelNodes(api).find((n) => n.model.modelId === 'amazon.nova-pro-v1:0');
    assert.equal(await vscode.commands.executeCommand(Commands.useModelInPrompt, nova), 'amazon.nova-pro-v1:0');
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /^---\nmodel: amazon.nova-pro-v1:0\n---/);
    const sonnet = modelNodes(api).find((n) => n.model.modelId === 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(
      await vscode.commands.executeCommand(Commands.useModelInPrompt, sonnet),
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
    assert.match(
      (await vscode.workspace.openTextDocument(uri)).getText(),
      /^---\nmodel: us.anthropic.claude-sonnet-4-5-20250929-v1:0\n---/,
    );
  });

  it('runs the current prompt with a provisioned custom model', async () => {
    const uri = workspaceFile('runs', 'custom-run.prompt');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nHello custom\n'));
    await vscode.window.showTextDocument(uri);
    const [, , custom] = api.models.getChildren();
    const [customModel] = api.models.getChildren(custom);
    const result = (await vscode.commands.executeCommand(Commands.runWithModel, customModel)) as
      { text: string; modelId: string } | undefined;
    assert.match(result?.modelId ?? '', /:provisioned-model\//);
    assert.equal(result?.text, 'Nova Lite (emulated), turn 1. You wrote: "Hello custom"');
  });

  it('shows the cached tree at once while the refresh is still running', async () => {
    await config().update('region', 'us-west-2', vscode.ConfigurationTarget.Global);
    await waitFor('the session to change', () => (api.session.settings.region === 'us-west-2' ? true : undefined));
    await vscode.commands.executeCommand(Commands.refreshModels); // caches us-west-2
    await config().update('region', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the session to change back', () => (api.session.settings.region === undefined ? true : undefined));
    await emulator.addFault({ operation: 'ListFoundationModels', fault: { kind: 'delay', ms: 3000 }, times: 1 });
    await config().update('region', 'us-west-2', vscode.ConfigurationTarget.Global);
    await waitFor('the session to change', () => (api.session.settings.region === 'us-west-2' ? true : undefined));
    const started = Date.now();
    const top = api.models.getChildren();
    assert.equal(top.length, 7, 'the cached tree is there before the refresh returns');
    assert.equal(api.catalogue.state.kind, 'ready');
    assert.equal(api.catalogue.state.kind === 'ready' && api.catalogue.state.fromCache, true);
    assert.ok(Date.now() - started < 1000);
    const m = modelNodes(api).find((n) => n.model.modelId === 'amazon.nova-pro-v1:0');
    assert.equal(m?.model.modelArn, 'arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0');
    await waitFor(
      'the background refresh',
      () => (api.catalogue.state.kind === 'ready' && !api.catalogue.state.fromCache ? true : undefined),
      10_000,
    );
    await config().update('region', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the session to change back', () => (api.session.settings.region === undefined ? true : undefined));
  });

  it('a denied list call marks its section and keeps the rest', async () => {
    // A background refresh from the previous test must not take the fault meant for this one.
    await vscode.commands.executeCommand(Commands.refreshModels);
    await emulator.addFault({
      operation: 'ListCustomModels',
      fault: {
        kind: 'http',
        error: 'accessDenied',
        message: 'User is not authorized to perform: bedrock:ListCustomModels',
      },
      times: 1,
    });
    await vscode.commands.executeCommand(Commands.refreshModels);
    const [foundation, , custom] = api.models.getChildren();
    assert.equal(api.models.getTreeItem(custom).description, 'unavailable');
    const [errorNode] = api.models.getChildren(custom);
    assert.match(String(api.models.getTreeItem(errorNode).label), /Access denied.*ListCustomModels/);
    assert.ok(api.models.getChildren(foundation).length > 5);
  });

  it('throttling and missing credentials get their own messages, never an empty tree without one', async () => {
    await vscode.commands.executeCommand(Commands.refreshModels);
    await emulator.addFault([
      { operation: 'ListFoundationModels', fault: { kind: 'http', error: 'throttling' }, times: 3 },
      { operation: 'ListInferenceProfiles', fault: { kind: 'http', error: 'throttling' }, times: 3 },
      { operation: 'ListCustomModels', fault: { kind: 'http', error: 'throttling' }, times: 3 },
      { operation: 'ListProvisionedModelThroughputs', fault: { kind: 'http', error: 'throttling' }, times: 3 },
    ]);
    await vscode.commands.executeCommand(Commands.refreshModels);
    assert.equal(api.catalogue.state.kind, 'failed');
    assert.equal(api.catalogue.state.kind === 'failed' && api.catalogue.state.error.code, 'Throttled');
    assert.match(api.models.view?.message ?? '', /throttling/);

    await config().update('profile', 'ghost-profile', vscode.ConfigurationTarget.Global);
    await waitFor('the profile to change', () => (api.session.profile === 'ghost-profile' ? true : undefined));
    await vscode.commands.executeCommand(Commands.refreshModels);
    assert.equal(api.catalogue.state.kind === 'failed' && api.catalogue.state.error.code, 'NoCredentials');
    assert.match(api.models.view?.message ?? '', /No AWS credentials found for profile "ghost-profile"/);
    assert.deepEqual(api.models.getChildren(), [], 'the welcome content (with its buttons) shows');
    await config().update('profile', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the profile to change back', () => (api.session.profile !== 'ghost-profile' ? true : undefined));
    await vscode.commands.executeCommand(Commands.refreshModels);
    assert.equal(api.catalogue.state.kind, 'ready');
  });
});

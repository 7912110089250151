import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Catalogue } from '../../src/core/models/catalogue';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import type { ModelNode } from '../../src/vscode/views/modelsTree';
import { activateExtension, emulator } from './helpers';

function labels(api: ExtensionApi, node?: ModelNode): string[] {
  const children = api.models.getChildren(node);
  return children.map((c) => String(api.models.getTreeItem(c).label));
}

describe('listing models through the real SDK against the local server', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  it('refreshModels returns the emulator catalogue, reached through the SDK', async () => {
    const catalogue = (await vscode.commands.executeCommand(Commands.refreshModels)) as Catalogue | undefined;
    assert.ok(catalogue, 'the command returned a catalogue');
    assert.equal(catalogue.region, 'us-east-1');
    assert.ok(catalogue.foundationModels.items.length >= 60);
    assert.equal(catalogue.foundationModels.error, undefined);
    const haiku = catalogue.foundationModels.items.find((m) => m.modelId === 'anthropic.claude-3-haiku-20240307-v1:0');
    assert.equal(haiku?.modelArn, 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
    const ops = (await emulator.requests()).map((r) => r.operation);
    for (const op of [
      'ListFoundationModels',
      'ListInferenceProfiles',
      'ListCustomModels',
      'ListProvisionedModelThroughputs',
      'ListPromptRouters',
      'ListGuardrails',
    ]) {
      assert.ok(ops.includes(op), `${op} reached the emulator`);
    }
  });

  it('the Models tree lists the seven sections and every provider', async () => {
    const top = labels(api);
    assert.deepEqual(top, [
      'Foundation models',
      'Inference profiles',
      'Custom models',
      'Imported models',
      'Provisioned throughput',
      'Prompt routers',
      'Guardrails',
    ]);
    const [foundation] = api.models.getChildren();
    const providers = labels(api, foundation);
    for (const p of ['AI21 Labs', 'Amazon', 'Anthropic', 'Cohere', 'Meta', 'Mistral AI', 'Stability AI'])
      assert.ok(providers.includes(p), `provider ${p}`);
    const anthropicNode = api.models
      .getChildren(foundation)
      .find((n) => n.kind === 'provider' && n.provider === 'Anthropic');
    const models = api.models.getChildren(anthropicNode);
    const item = api.models.getTreeItem(models[0]);
    assert.match(String(item.description), /anthropic\./);
  });
});

import assert from 'node:assert/strict';
import { fetchCatalogue, groupByProvider, reachability, type FoundationModel } from '../../src/bedrock/catalogue';
import type { ControlPlane } from '../../src/bedrock/clients';

function fm(id: string, provider: string, extra: Partial<FoundationModel> = {}): FoundationModel {
  return { modelId: id, modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id}`, modelName: id, provider, inputModalities: ['TEXT'], outputModalities: ['TEXT'], streaming: true, customizations: [], inferenceTypes: ['ON_DEMAND'], legacy: false, ...extra };
}

const fakeControl = (overrides: Partial<ControlPlane> = {}): ControlPlane => ({
  listFoundationModels: async () => [
    { modelId: 'a.one', modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.one', modelName: 'One', providerName: 'A', inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'ACTIVE' } },
    { modelId: 'a.old', modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.old', modelName: 'Old', providerName: 'A', modelLifecycle: { status: 'LEGACY' } },
  ],
  listInferenceProfiles: async () => [
    {
      inferenceProfileId: 'us.a.one',
      inferenceProfileArn: 'arn:aws:bedrock:us-east-1:1:inference-profile/us.a.one',
      inferenceProfileName: 'US One',
      models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.one' }, { modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/a.one' }],
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    },
  ],
  listCustomModels: async () => [],
  listProvisionedThroughputs: async () => [],
  region: async () => 'us-east-1',
  ...overrides,
});

describe('catalogue', () => {
  it('normalizes the four list calls', async () => {
    const c = await fetchCatalogue(fakeControl(), {});
    assert.equal(c.region, 'us-east-1');
    assert.deepEqual(c.foundationModels.items.map((m) => [m.modelId, m.legacy]), [['a.one', false], ['a.old', true]]);
    assert.deepEqual(c.inferenceProfiles.items[0].modelIds, ['a.one']);
    assert.deepEqual(c.inferenceProfiles.items[0].regions, ['us-east-1', 'us-west-2']);
  });

  it('keeps what it could list when one call is denied', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: bedrock:ListCustomModels'), { name: 'AccessDeniedException' });
    const c = await fetchCatalogue(fakeControl({ listCustomModels: async () => Promise.reject(denied) }), { profile: 'dev' });
    assert.equal(c.foundationModels.items.length, 2);
    assert.equal(c.customModels.error?.code, 'AccessDenied');
    assert.match(c.customModels.error?.message ?? '', /ListCustomModels/);
  });

  it('groups by provider, sorted, with legacy models last', () => {
    const groups = groupByProvider([fm('b.x', 'B'), fm('a.old', 'A', { legacy: true, modelName: 'Aardvark' }), fm('a.new', 'A', { modelName: 'Zebra' })]);
    assert.deepEqual([...groups.keys()], ['A', 'B']);
    assert.deepEqual(groups.get('A')?.map((m) => m.modelId), ['a.new', 'a.old']);
  });

  it('tells how a model is reached', () => {
    assert.equal(reachability(fm('x', 'A')), 'on-demand');
    assert.equal(reachability(fm('x', 'A', { inferenceTypes: ['INFERENCE_PROFILE'] })), 'inference-profile');
    assert.equal(reachability(fm('x', 'A', { inferenceTypes: ['PROVISIONED'] })), 'provisioned');
  });
});

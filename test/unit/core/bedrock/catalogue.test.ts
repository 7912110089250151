import assert from 'node:assert/strict';
import { fetchCatalogue } from '../../../../src/core/bedrock/listCatalogue';
import {
  groupByProvider,
  profileFor,
  reachability,
  runnableId,
  type FoundationModel,
} from '../../../../src/core/models/catalogue';
import { catalogueOf, foundationModel } from '../../../support/models';
import type { ControlPlane } from '../../../../src/core/bedrock/clients';

const fm = (id: string, provider: string, extra: Partial<FoundationModel> = {}): FoundationModel =>
  foundationModel(id, { provider, ...extra });

const fakeControl = (overrides: Partial<ControlPlane> = {}): ControlPlane => ({
  listFoundationModels: async () => [
    {
      modelId: 'a.one',
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.one',
      modelName: 'One',
      providerName: 'A',
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    },
    {
      modelId: 'a.old',
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.old',
      modelName: 'Old',
      providerName: 'A',
      modelLifecycle: { status: 'LEGACY' },
    },
  ],
  listInferenceProfiles: async () => [
    {
      inferenceProfileId: 'us.a.one',
      inferenceProfileArn: 'arn:aws:bedrock:us-east-1:1:inference-profile/us.a.one',
      inferenceProfileName: 'US One',
      models: [
        { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/a.one' },
        { modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/a.one' },
      ],
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    },
  ],
  listCustomModels: async () => [],
  listProvisionedThroughputs: async () => [],
  listProjects: async () => [],
  listGuardrails: async () => [],
  listImportedModels: async () => [],
  listCustomModelDeployments: async () => [],
  listPromptRouters: async () => [
    {
      promptRouterName: 'Nova router',
      promptRouterArn: 'arn:aws:bedrock:us-east-1:1:default-prompt-router/amazon.nova:1',
      models: [
        { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0' },
        { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' },
      ],
      fallbackModel: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' },
      routingCriteria: { responseQualityDifference: 0.25 },
      status: 'AVAILABLE',
      type: 'default',
    },
  ],
  region: async () => 'us-east-1',
  ...overrides,
});

describe('catalogue', () => {
  it('normalizes the five list calls', async () => {
    const c = await fetchCatalogue(fakeControl(), {});
    assert.equal(c.region, 'us-east-1');
    assert.deepEqual(
      c.foundationModels.items.map((m) => [m.modelId, m.legacy]),
      [
        ['a.one', false],
        ['a.old', true],
      ],
    );
    assert.deepEqual(c.inferenceProfiles.items[0].modelIds, ['a.one']);
    assert.deepEqual(c.inferenceProfiles.items[0].regions, ['us-east-1', 'us-west-2']);
    assert.deepEqual(
      c.promptRouters.items.map((r) => [r.name, r.type, r.modelIds, r.fallbackModelId]),
      [['Nova router', 'default', ['amazon.nova-pro-v1:0', 'amazon.nova-lite-v1:0'], 'amazon.nova-lite-v1:0']],
    );
  });

  it('keeps what it could list when one call is denied', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: bedrock:ListCustomModels'), {
      name: 'AccessDeniedException',
    });
    const c = await fetchCatalogue(fakeControl({ listCustomModels: async () => Promise.reject(denied) }), {
      profile: 'dev',
    });
    assert.equal(c.foundationModels.items.length, 2);
    assert.equal(c.customModels.error?.code, 'AccessDenied');
    assert.match(c.customModels.error?.message ?? '', /ListCustomModels/);
  });

  it('groups by provider, sorted, with legacy models last', () => {
    const groups = groupByProvider([
      fm('b.x', 'B'),
      fm('a.old', 'A', { legacy: true, modelName: 'Aardvark' }),
      fm('a.new', 'A', { modelName: 'Zebra' }),
    ]);
    assert.deepEqual([...groups.keys()], ['A', 'B']);
    assert.deepEqual(
      groups.get('A')?.map((m) => m.modelId),
      ['a.new', 'a.old'],
    );
  });

  it('tells how a model is reached', () => {
    assert.equal(reachability(fm('x', 'A')), 'on-demand');
    assert.equal(reachability(fm('x', 'A', { inferenceTypes: ['INFERENCE_PROFILE'] })), 'inference-profile');
    assert.equal(reachability(fm('x', 'A', { inferenceTypes: ['PROVISIONED'] })), 'provisioned');
  });
});

describe('what a catalogue entry runs as (profileFor, runnableId)', () => {
  const onDemand = foundationModel('amazon.nova-micro-v1:0');
  const profileOnly = foundationModel('anthropic.claude-sonnet-4-20250514-v1:0', {
    modelName: 'Claude Sonnet 4',
    inferenceTypes: ['INFERENCE_PROFILE'],
  });
  const provisionedOnly = foundationModel('meta.llama3-70b-instruct-v1:0', { inferenceTypes: ['PROVISIONED'] });
  const profile = (id: string) => ({
    id,
    arn: `arn:aws:bedrock:us-east-1:1:inference-profile/${id}`,
    name: id,
    type: 'SYSTEM_DEFINED',
    status: 'ACTIVE',
    modelIds: [profileOnly.modelId],
    regions: [],
  });
  const cat = catalogueOf({
    foundationModels: { items: [onDemand, profileOnly, provisionedOnly] },
    inferenceProfiles: { items: [profile(`eu.${profileOnly.modelId}`), profile(`us.${profileOnly.modelId}`)] },
    customModels: {
      items: [
        { arn: 'arn:aws:bedrock:us-east-1:1:custom-model/mine', name: 'mine', baseModelId: 'amazon.nova-micro-v1:0' },
      ],
    },
    provisionedThroughputs: {
      items: [
        {
          arn: 'arn:aws:bedrock:us-east-1:1:provisioned-model/pt1',
          name: 'pt1',
          modelArn: 'arn:aws:bedrock:us-east-1:1:custom-model/mine',
          status: 'InService',
        },
        {
          arn: 'arn:aws:bedrock:us-east-1:1:provisioned-model/pt2',
          name: 'pt2',
          modelArn: provisionedOnly.modelArn,
          foundationModelArn: provisionedOnly.modelArn,
          status: 'Creating',
        },
      ],
    },
  });

  it("picks the profile of the region's geography, else any", () => {
    assert.equal(profileFor(cat, profileOnly.modelId), `us.${profileOnly.modelId}`);
    assert.equal(profileFor({ ...cat, region: 'eu-west-1' }, profileOnly.modelId), `eu.${profileOnly.modelId}`);
    assert.equal(
      profileFor({ ...cat, region: 'ap-south-1' }, profileOnly.modelId),
      `eu.${profileOnly.modelId}`,
      'no apac profile: the first',
    );
    assert.equal(profileFor(cat, onDemand.modelId), undefined);
    assert.equal(profileFor(undefined, onDemand.modelId), undefined);
  });

  it('on-demand models run as themselves, profile-only ones through their profile, custom ones through their throughput', () => {
    assert.equal(runnableId({ kind: 'model', model: onDemand }, cat), onDemand.modelId);
    assert.equal(runnableId({ kind: 'model', model: profileOnly }, cat), `us.${profileOnly.modelId}`);
    assert.equal(
      runnableId({ kind: 'custom', model: cat.customModels.items[0] }, cat),
      'arn:aws:bedrock:us-east-1:1:provisioned-model/pt1',
    );
    assert.equal(
      runnableId({ kind: 'profile', profile: cat.inferenceProfiles.items[0] }, cat),
      `eu.${profileOnly.modelId}`,
    );
  });

  it('says what is missing when nothing can run it', () => {
    assert.throws(
      () => runnableId({ kind: 'model', model: provisionedOnly }, cat),
      /runs only with Provisioned Throughput, and this account has none in service/,
    );
    assert.throws(
      () => runnableId({ kind: 'model', model: profileOnly }, catalogueOf()),
      (err: Error & { code?: string }) =>
        err.code === 'NeedsInferenceProfile' && /lists none for it in us-east-1/.test(err.message),
    );
    assert.throws(
      () => runnableId({ kind: 'section' }, cat),
      /Pick a model, an inference profile, a provisioned throughput or a prompt router/,
    );
  });
});

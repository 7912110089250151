import assert from 'node:assert/strict';
import {
  converseFeatures,
  datasetRulesFor,
  familyWith,
  hyperParametersFor,
  isChatModel,
  MODEL_LIMITS_AS_OF,
  modelLimits,
  MODEL_FAMILIES,
  reasoningFields,
  supportsStructuredOutput,
  topKFields,
  type ModelFamily,
} from '../../../../src/core/models/registry';

/** A real model id of each family (from the Bedrock catalogue), to show that no family is hidden by another. */
const SAMPLE: Record<string, string> = {
  'amazon-titan-text-premier': 'amazon.titan-text-premier-v1:0',
  'amazon-titan-text-express-lite': 'amazon.titan-text-express-v1',
  'amazon-titan-text': 'amazon.titan-tg1-large',
  'amazon-titan-image-generator': 'amazon.titan-image-generator-v2:0',
  'amazon-titan-embed-image': 'amazon.titan-embed-image-v1',
  'amazon-titan-image': 'amazon.titan-image-generator-v1',
  'amazon-nova-understanding': 'amazon.nova-lite-v1:0',
  'amazon-nova-2-lite': 'amazon.nova-2-lite-v1:0',
  'amazon-nova': 'amazon.nova-premier-v1:0',
  'anthropic-claude-legacy': 'anthropic.claude-v2:1',
  'anthropic-claude-3-haiku': 'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic-claude-search-results': 'anthropic.claude-sonnet-4-20250514-v1:0',
  'anthropic-claude-structured': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  anthropic: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'cohere-command-text': 'cohere.command-text-v14',
  'cohere-command-light': 'cohere.command-light-v14',
  'cohere-command-r': 'cohere.command-r-plus-v1:0',
  'cohere-command': 'cohere.command-r-v1:0',
  cohere: 'cohere.command-r-v1:0',
  'meta-llama2': 'meta.llama2-13b-chat-v1',
  'meta-llama3': 'meta.llama3-8b-instruct-v1:0',
  'meta-llama3-1-8b': 'meta.llama3-1-8b-instruct-v1:0',
  'meta-llama3-1': 'meta.llama3-1-70b-instruct-v1:0',
  'meta-llama3-2-90b': 'meta.llama3-2-90b-instruct-v1:0',
  'meta-llama3-2-3': 'meta.llama3-3-70b-instruct-v1:0',
  meta: 'meta.llama4-scout-17b-instruct-v1:0',
  'mistral-7b-mixtral': 'mistral.mixtral-8x7b-instruct-v0:1',
  mistral: 'mistral.mistral-large-2407-v1:0',
  'ai21-jamba': 'ai21.jamba-1-5-large-v1:0',
  ai21: 'ai21.j2-ultra-v1',
  'deepseek-r1': 'deepseek.r1-v1:0',
  'deepseek-v3': 'deepseek.v3-v1:0',
  'openai-gpt-oss': 'openai.gpt-oss-120b-1:0',
  openai: 'openai.gpt-oss-20b-1:0',
  qwen: 'qwen.qwen3-32b-v1:0',
  'google-gemma': 'google.gemma-3-27b-it',
  'nvidia-nemotron': 'nvidia.nemotron-nano-12b-v2',
  minimax: 'minimax.minimax-m2',
  moonshot: 'moonshot.kimi-k2-thinking',
};

const ASPECTS = ['converse', 'structuredOutput', 'request', 'datasets', 'hyperParameters'] as const;

describe('the model registry (one record per model family)', () => {
  it('every family answers for its own models: none is hidden behind a broader one', () => {
    for (const family of MODEL_FAMILIES) {
      const id = SAMPLE[family.name];
      assert.ok(id, `a sample id for ${family.name}`);
      assert.ok(family.match.test(id), `${id} is a ${family.name} model`);
      for (const aspect of ASPECTS) {
        if (family[aspect] === undefined) continue;
        const answering = aspect === 'request' ? requestFamily(id, family) : familyWith(id, aspect)?.name;
        assert.equal(answering, family.name, `${aspect} of ${id}`);
      }
    }
    assert.deepEqual(new Set(Object.keys(SAMPLE)), new Set(MODEL_FAMILIES.map((f) => f.name)), 'no stale samples');
  });

  it('answers through profiles, ARNs and context-length variants as for the base model', () => {
    assert.deepEqual(converseFeatures('us.anthropic.claude-v2:1'), {
      systemPrompt: true,
      tools: false,
      documents: true,
    });
    assert.equal(
      supportsStructuredOutput(
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      ),
      true,
    );
    assert.equal(
      datasetRulesFor('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0:300k', 'FINE_TUNING')?.family,
      'Amazon Nova',
    );
    assert.equal(datasetRulesFor('amazon.nova-lite-v1:0:300k', 'FINE_TUNING')?.customization, 'FINE_TUNING');
    assert.equal(datasetRulesFor('amazon.nova-pro-v1:0', 'CONTINUED_PRE_TRAINING'), undefined);
    // A family the registry does not know takes everything Converse offers, and nothing else is assumed.
    assert.deepEqual(converseFeatures('writer.palmyra-x5-v1:0'), { systemPrompt: true, tools: true, documents: true });
    assert.equal(supportsStructuredOutput('writer.palmyra-x5-v1:0'), false);
    assert.deepEqual(hyperParametersFor('writer.palmyra-x5-v1:0'), []);
  });

  it('puts top-k and reasoning where each provider wants them', () => {
    assert.deepEqual(topKFields('amazon.nova-lite-v1:0', 5, { inferenceConfig: { x: 1 } }), {
      inferenceConfig: { x: 1, topK: 5 },
    });
    assert.deepEqual(topKFields('cohere.command-r-v1:0', 5, {}), { k: 5 });
    assert.deepEqual(topKFields('us.anthropic.claude-3-5-haiku-20241022-v1:0', 5, {}), { top_k: 5 });
    assert.deepEqual(topKFields('mistral.mistral-large-2407-v1:0', 5, {}), { top_k: 5 });
    assert.deepEqual(reasoningFields('anthropic.claude-3-7-sonnet-20250219-v1:0', { budgetTokens: 2048 }), {
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    assert.deepEqual(reasoningFields('amazon.nova-premier-v1:0', {}), {
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' },
    });
    assert.deepEqual(reasoningFields('openai.gpt-oss-120b-1:0', { effort: 'high' }), { reasoning_effort: 'high' });
    assert.deepEqual(reasoningFields('meta.llama3-3-70b-instruct-v1:0', { effort: 'high' }), {});
  });

  it('one definition of a chat model: text in and text out', () => {
    assert.equal(isChatModel({ inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['TEXT'] }), true);
    assert.equal(isChatModel({ inputModalities: ['TEXT'], outputModalities: ['EMBEDDING'] }), false);
    assert.equal(isChatModel({ inputModalities: ['TEXT'], outputModalities: ['IMAGE'] }), false);
    assert.equal(isChatModel({ inputModalities: ['SPEECH'], outputModalities: ['TEXT'] }), false);
  });
});

/** The family whose request quirks a model gets (the first that matches and has any). */
function requestFamily(id: string, family: ModelFamily): string | undefined {
  const quirks = Object.keys(family.request ?? {}) as (keyof NonNullable<ModelFamily['request']>)[];
  const names = quirks.map((q) => MODEL_FAMILIES.find((f) => f.request?.[q] && f.match.test(id))?.name);
  return names.every((n) => n === names[0]) ? names[0] : undefined;
}

describe('model limits (dated table)', () => {
  it('a model, its inference profile and its ARN share the same limits; the date goes with them', () => {
    const direct = modelLimits('anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.deepEqual(direct, { contextWindow: 200_000, maxOutputTokens: 64_000, asOf: MODEL_LIMITS_AS_OF });
    assert.deepEqual(modelLimits('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), direct);
    assert.deepEqual(
      modelLimits('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'),
      direct,
    );
    assert.notEqual(modelLimits('amazon.nova-micro-v1:0')?.maxOutputTokens, 4096, 'not one figure for every model');
  });

  it('says nothing for a model it does not hold, nor for a key of Object.prototype', () => {
    assert.equal(modelLimits('acme.unknown-v1'), undefined);
    assert.equal(modelLimits('constructor'), undefined);
  });
});

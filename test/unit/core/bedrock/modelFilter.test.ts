import assert from 'node:assert/strict';
import { describeFilter, isFilterActive, matchesFilter, matchesText } from '../../../../src/core/models/modelFilter';
import { foundationModel } from '../../../support/models';

describe('model filter (the Models view)', () => {
  const chat = foundationModel('anthropic.claude-3-haiku-20240307-v1:0', {
    modelName: 'Claude 3 Haiku',
    provider: 'Anthropic',
    customizations: ['FINE_TUNING'],
  });
  const image = foundationModel('amazon.titan-image-generator-v2:0', {
    modelName: 'Titan Image Generator G1 v2',
    provider: 'Amazon',
    outputModalities: ['IMAGE'],
    streaming: undefined,
  });
  const embed = foundationModel('cohere.embed-english-v3', {
    modelName: 'Embed English',
    provider: 'Cohere',
    outputModalities: ['EMBEDDING'],
    streaming: false,
    legacy: true,
  });

  it('keeps models of any checked output kind', () => {
    assert.deepEqual(
      [chat, image, embed].filter((m) => matchesFilter(m, { image: true, embedding: true })),
      [image, embed],
    );
    assert.deepEqual(
      [chat, image, embed].filter((m) => matchesFilter(m, { text: true })),
      [chat],
    );
    assert.equal([chat, image, embed].filter((m) => matchesFilter(m, {})).length, 3, 'no filter keeps all');
  });

  it('streaming, fine-tunable and legacy narrow the list', () => {
    assert.deepEqual(
      [chat, image, embed].filter((m) => matchesFilter(m, { streaming: true })),
      [chat],
    );
    assert.deepEqual(
      [chat, image, embed].filter((m) => matchesFilter(m, { fineTunable: true })),
      [chat],
    );
    assert.deepEqual(
      [chat, image, embed].filter((m) => matchesFilter(m, { hideLegacy: true })),
      [chat, image],
    );
  });

  it('search needs every word, in the name, id or provider, any case', () => {
    assert.ok(matchesFilter(chat, { search: 'claude HAIKU' }));
    assert.ok(matchesFilter(chat, { search: 'anthropic' }));
    assert.ok(!matchesFilter(chat, { search: 'claude sonnet' }));
    assert.ok(matchesText('Titan Image Generator', '  titan   image '));
    assert.ok(matchesText('anything', ''), 'an empty query matches');
  });

  it('says whether a filter is on, and describes it for the view', () => {
    assert.equal(isFilterActive({}), false);
    assert.equal(isFilterActive({ search: '   ' }), false);
    assert.equal(isFilterActive({ hideLegacy: false }), false);
    assert.equal(isFilterActive({ streaming: true }), true);
    assert.equal(
      describeFilter({
        text: true,
        image: true,
        streaming: true,
        fineTunable: true,
        hideLegacy: true,
        search: ' nova ',
      }),
      'text/image, streaming, fine-tunable, no legacy, "nova"',
    );
    assert.equal(describeFilter({}), '');
  });
});

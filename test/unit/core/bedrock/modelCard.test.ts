import assert from 'node:assert/strict';
import { modelBadges, modelCardMarkdown } from '../../../../src/core/models/modelCard';
import { foundationModel } from '../../../support/models';
import { modelLimits } from '../../../../src/core/models/registry';

describe('model card (tooltip and hover)', () => {
  it('a chat model: modalities, how it runs, Converse features, price and profiles', () => {
    const m = foundationModel('anthropic.claude-3-haiku-20240307-v1:0', {
      modelName: 'Claude 3 Haiku',
      provider: 'Anthropic',
      inputModalities: ['TEXT', 'IMAGE'],
      customizations: ['FINE_TUNING'],
    });
    const md = modelCardMarkdown(m, {
      price: { inputPer1k: 0.00025, outputPer1k: 0.00125, source: 'built-in' },
      limits: modelLimits('us.anthropic.claude-3-haiku-20240307-v1:0'),
      profiles: ['us.anthropic.claude-3-haiku-20240307-v1:0'],
    });
    assert.match(md, /^\*\*Claude 3 Haiku\*\* · Anthropic\n/);
    assert.match(md, /\| input \| text, image \|/);
    assert.match(md, /\| runs \| on demand \|/);
    assert.match(md, /\| customization \| fine-tuning \|/);
    assert.match(md, /\| Converse: images \| yes \|/);
    assert.match(md, /\| context window \| 200,000 tokens \(as of 2026-12-01\) \|/);
    assert.match(md, /\| most output per call \| 4,096 tokens \(as of 2026-12-01\) \|/);
    assert.match(md, /\| price \/ 1K tokens \| \$0\.00025 in · \$0\.00125 out \(built-in\) \|/);
    assert.match(md, /\| inference profiles \| `us\.anthropic\.claude-3-haiku-20240307-v1:0` \|/);
  });

  it('a profile-only legacy model, and a model that is not a chat model', () => {
    const legacy = foundationModel('meta.llama3-2-90b-instruct-v1:0', {
      modelName: 'Llama 3.2 90B',
      inferenceTypes: ['INFERENCE_PROFILE'],
      legacy: true,
    });
    const md = modelCardMarkdown(legacy);
    assert.match(md, /_legacy_/);
    assert.match(md, /\| runs \| only through an inference profile \|/);
    assert.doesNotMatch(md, /price/);
    assert.doesNotMatch(md, /context window/, 'no limits stated for a model the table does not hold');
    const embed = foundationModel('amazon.titan-embed-text-v2:0', {
      outputModalities: ['EMBEDDING'],
      streaming: undefined,
    });
    const card = modelCardMarkdown(embed);
    assert.match(card, /\| streaming \| n\/a \|/);
    assert.match(card, /\| Converse \| not a chat model \|/);
    assert.doesNotMatch(card, /Converse: tools/);
  });

  it('badges: modalities, streaming, how it runs, customizations, legacy', () => {
    assert.equal(
      modelBadges(
        foundationModel('a.chat', {
          inputModalities: ['TEXT', 'IMAGE'],
          customizations: ['FINE_TUNING', 'DISTILLATION'],
        }),
      ),
      'text+image→text · streaming · fine-tune, distill',
    );
    assert.equal(
      modelBadges(foundationModel('a.pt', { streaming: false, inferenceTypes: ['PROVISIONED'], legacy: true })),
      'text→text · provisioned only · legacy',
    );
    assert.equal(
      modelBadges(foundationModel('a.prof', { inferenceTypes: ['INFERENCE_PROFILE'], outputModalities: [] })),
      'text→? · streaming · profile only',
    );
  });
});

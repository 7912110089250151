import assert from 'node:assert/strict';
import {
  checkHyperParameters,
  defaultHyperParameters,
  parseRftHyperParameters,
} from '../../../../src/core/dataset/hyperparameters';
import { hyperParametersFor } from '../../../../src/core/models/registry';

describe('customization hyperparameters', () => {
  it('defaults per model family, as strings for Bedrock', () => {
    assert.deepEqual(defaultHyperParameters('anthropic.claude-3-haiku-20240307-v1:0:200k'), {
      epochCount: '2',
      batchSize: '32',
      learningRateMultiplier: '1',
      earlyStoppingThreshold: '0.001',
      earlyStoppingPatience: '2',
    });
    assert.deepEqual(Object.keys(defaultHyperParameters('amazon.nova-lite-v1:0:300k')), [
      'epochCount',
      'learningRate',
      'learningRateWarmupSteps',
    ]);
    // Premier is matched before the Express/Lite rule: a different table.
    assert.equal(hyperParametersFor('amazon.titan-text-premier-v1:0').find((h) => h.name === 'epochCount')?.max, 5);
    assert.equal(hyperParametersFor('amazon.titan-text-express-v1').find((h) => h.name === 'epochCount')?.max, 10);
    assert.deepEqual(defaultHyperParameters('unknown.model-v1'), {});
  });

  it('refuses unknown names, non-numbers, fractions of whole numbers and values out of range, naming each', () => {
    const problems = checkHyperParameters('meta.llama3-1-8b-instruct-v1:0', {
      epochCount: '2.5',
      batchSize: '2',
      learningRate: 'fast',
      warmup: '1',
      ' ': '',
    });
    assert.deepEqual(problems, [
      'epochCount must be a whole number; got 2.5.',
      'batchSize must be between 1 and 1; got 2.',
      'learningRate must be a number; got "fast".',
      'warmup is not a hyperparameter of meta.llama3-1-8b-instruct-v1:0 (it takes epochCount, batchSize, learningRate).',
      '  is not a hyperparameter of meta.llama3-1-8b-instruct-v1:0 (it takes epochCount, batchSize, learningRate).',
    ]);
    assert.deepEqual(
      checkHyperParameters('meta.llama3-1-8b-instruct-v1:0', {
        epochCount: '10',
        learningRate: '0.0001',
        batchSize: '1',
      }),
      [],
    );
    assert.deepEqual(checkHyperParameters('cohere.command-light-text-v14', { learningRate: '' }), [
      'learningRate must be a number; got "".',
    ]);
    // A family without a table: nothing to check against, nothing refused.
    assert.deepEqual(checkHyperParameters('unknown.model-v1', { anything: 'x' }), []);
  });

  it('reinforcement fine-tuning: name=value pairs become numbers and an effort; wrong kinds are named', () => {
    assert.deepEqual(parseRftHyperParameters('epochCount=2, batchSize=64 learningRate=0.00001 reasoningEffort=high'), {
      values: { epochCount: 2, batchSize: 64, learningRate: 0.00001, reasoningEffort: 'high' },
      problems: [],
    });
    assert.deepEqual(parseRftHyperParameters(''), { values: {}, problems: [] });
    assert.deepEqual(
      parseRftHyperParameters('epochCount=1.5 learningRate=2 reasoningEffort=max temperature=1').problems,
      [
        'epochCount must be a whole number above 0; got "1.5".',
        'learningRate must be a number between 0 and 1; got "2".',
        'reasoningEffort must be low, medium, high; got "max".',
        'temperature is not a reinforcement fine-tuning hyperparameter (they are epochCount, batchSize, maxPromptLength, trainingSamplePerPrompt, inferenceMaxTokens, evalInterval, learningRate, reasoningEffort).',
      ],
    );
  });
});

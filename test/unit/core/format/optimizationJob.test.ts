// A prompt as Bedrock's optimizer takes it (plain text with {{variables}}: Dotprompt features flattened
// where the meaning is kept, refused with the reason where not), and its results file read as data.
import assert from 'node:assert/strict';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { plainTemplate } from '../../../../src/core/format/plainTemplate';
import { modelSlug, readOptimizationResults } from '../../../../src/core/format/optimizationJob';

const plain = (text: string) => plainTemplate(text, analyzePrompt(text));

describe('a prompt as a plain template', () => {
  it('joins the turns in order, drops comments, and lists the variables', () => {
    const t = plain(
      '---\nmodel: m\n---\n{{! a note }}\n{{role "system"}}\nBe kind.\n{{role "user"}}\nHi {{{name}}}, {{topic}}?\n',
    );
    assert.equal(t.text, 'Be kind.\n\nHi {{name}}, {{topic}}?');
    assert.deepEqual(t.variables, ['name', 'topic']);
    assert.match(t.notes[0], /The system and user turns are one text here/);
  });

  for (const [what, body, reason] of [
    ['a block helper', '{{#if vip}}Dear {{name}}{{/if}}', /block helpers \(\{\{#if\}\}/],
    ['a partial', '{{> brand_voice}} {{name}}', /it uses partials/],
    ['media', '{{media url="a.png"}} What is this?', /it attaches media/],
    ['example turns', '{{role "user"}}Q{{role "model"}}A{{role "user"}}{{q}}', /it has example turns/],
    ['a path', 'Order {{order.id}}', /other than a plain \{\{variable\}\} \(\{\{order\.id\}\}\)/],
    ['the history', '{{history}} {{q}}', /it inserts the conversation/],
  ] as const) {
    it(`refuses ${what}, with the reason`, () => {
      const t = plain(`---\nmodel: m\n---\n${body}\n`);
      assert.equal(t.text, undefined);
      assert.match(t.refused.join('; '), reason);
    });
  }
});

describe('the results file, read as data', () => {
  it('reads the documented shape, skips what is not, and touches no prototype', () => {
    const line = JSON.stringify({
      promptTemplateId: 't1',
      promptOptimizationResults: [
        {
          modelId: 'amazon.nova-pro-v1:0',
          status: 'SUCCESS',
          optimizedPromptTemplate: 'Better {{x}}',
          originalPromptMetrics: {
            averageScore: 0.5,
            averageInputTokens: 100,
            averageOutputTokens: 20,
            averageTtftInSec: 1,
          },
          optimizedPromptMetrics: { averageScore: 'high' },
          dataset: [
            {
              inputVariables: [{ x: 'one', n: 3 }],
              referenceResponse: 'ref',
              originalPromptDetails: { originalPromptModelResponse: 'a', originalPromptMetrics: { score: 0.5 } },
              optimizedPromptDetails: { optimizedPromptModelResponse: 'b', optimizedPromptMetrics: { score: 1 } },
            },
          ],
        },
      ],
    });
    const hostile =
      '{"promptTemplateId":"t2","__proto__":{"polluted":true},"promptOptimizationResults":[{"__proto__":{"status":"SUCCESS"}}]}';
    const { results, problems } = readOptimizationResults(`${line}\nnot json\n${hostile}\n{"no":"id"}\n`);
    assert.deepEqual(problems, [
      'line 2 of the results is not JSON',
      'line 4 of the results names no promptTemplateId',
    ]);
    assert.equal(results[0].results[0].optimized.averageScore, undefined, 'a score that is not a number is not one');
    assert.deepEqual(results[0].results[0].samples[0].inputVariables, { x: 'one' });
    assert.equal(results[0].results[0].samples[0].optimized.score, 1);
    assert.equal(results[1].results[0].status, 'UNKNOWN');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('names a variant after its model', () => {
    assert.equal(modelSlug('amazon.nova-pro-v1:0'), 'nova-pro');
    assert.equal(modelSlug('us.anthropic.claude-3-5-haiku-20241022-v1:0'), 'claude-3-5-haiku');
    assert.equal(
      modelSlug('arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0'),
      'llama3-2-1b-instruct',
    );
  });
});

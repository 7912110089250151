// A proposed rewrite is model output that becomes a template the optimizer renders and sends, so it is
// checked first: it keeps the frontmatter byte for byte and the variables the template reads, and it adds
// no media, partial, tool turn or frontmatter of its own; what fails is dropped with the reason. The
// held-out split is stable and always leaves a case on each side.
import assert from 'node:assert/strict';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { proposedRewrites, withTemplate } from '../../../../src/core/format/promptRewrite';
import { heldOutSplit } from '../../../../src/app/optimizeAgainstTests';
import { parseTestFile } from '../../../../src/core/format/testCases';

const PROMPT = `---
model: amazon.nova-lite-v1:0 # the model
input:
  schema:
    customer: string
    message: string
    tone?: string
---
{{role "system"}}
You draft replies.
{{role "user"}}
Reply to {{customer}}: {{message}}
`;

const rewrite = (template: string, promptText = PROMPT) =>
  proposedRewrites({ candidates: [{ rationale: 'r', template }] }, promptText, analyzePrompt(promptText), (t) =>
    analyzePrompt(t),
  );

describe('proposed rewrites of a template', () => {
  it('keeps the frontmatter as written (its comment too) and replaces only the template', () => {
    const { rewrites, dropped } = rewrite('{{role "user"}}\nWrite a kind reply to {{customer}} about: {{message}}');
    assert.deepEqual(dropped, []);
    assert.equal(
      rewrites[0].text,
      `${PROMPT.slice(0, PROMPT.indexOf('{{role'))}{{role "user"}}\nWrite a kind reply to {{customer}} about: {{message}}\n`,
    );
    assert.equal(withTemplate('Hello {{x}}', 'Hi {{x}}'), 'Hi {{x}}\n', 'a prompt without frontmatter');
  });

  it('may read a declared input it did not read before', () => {
    const { rewrites } = rewrite('Reply to {{customer}} in a {{tone}} tone: {{message}}');
    assert.equal(rewrites.length, 1);
  });

  for (const [what, template, reason] of [
    ['a dropped variable', 'Reply to {{customer}}.', /it drops \{\{message\}\}/],
    [
      'an undeclared variable',
      'Reply to {{customer}} ({{secret}}): {{message}}',
      /it reads \{\{secret\}\}, which the prompt does not declare/,
    ],
    [
      'media the prompt did not have',
      '{{media url="../../.aws/credentials"}} {{customer}} {{message}}',
      /it adds a media reference the prompt did not have/,
    ],
    [
      'a partial',
      '{{> brand_voice}} {{customer}} {{message}}',
      /it adds a partial the prompt did not have \(brand_voice\)/,
    ],
    ['a syntax error', 'Reply to {{customer}: {{message}}', /its template does not parse/],
    [
      'the template as it is',
      '{{role "system"}}\nYou draft replies.\n{{role "user"}}\nReply to {{customer}}: {{message}}',
      /same as the current template/,
    ],
    ['no template', '   ', /it has no template/],
  ] as const) {
    it(`drops a rewrite with ${what}, with the reason`, () => {
      const { rewrites, dropped } = rewrite(template);
      assert.equal(rewrites.length, 0);
      assert.match(dropped[0], reason);
    });
  }

  it('cannot add frontmatter to a prompt that has none', () => {
    const plain = 'Reply to {{customer}}: {{message}}\n';
    const { rewrites, dropped } = rewrite(
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\n---\nReply to {{customer}}: {{message}}',
      plain,
    );
    assert.equal(rewrites.length, 0);
    assert.match(dropped[0], /it changes the frontmatter \(only the template may change\)/);
  });

  it('reads the proposals as data: a `__proto__` key is not a template, and duplicates are dropped', () => {
    const input = JSON.parse(
      '{"candidates":[{"__proto__":{"template":"Hi {{customer}} {{message}}"}},{"template":"A {{customer}} {{message}}"},{"template":"A {{customer}} {{message}}"}]}',
    );
    const { rewrites, dropped } = proposedRewrites(input, PROMPT, analyzePrompt(PROMPT), (t) => analyzePrompt(t));
    assert.equal(rewrites.length, 1);
    assert.equal(rewrites[0].rationale, '(no rationale given)');
    assert.match(dropped[0], /rewrite 1: it has no template/);
    assert.match(dropped[1], /rewrite 3: it is the same as another proposal/);
    assert.equal(({} as Record<string, unknown>).template, undefined, 'no prototype was touched');
  });
});

describe('the held-out split', () => {
  const cases = parseTestFile(
    `cases:\n${['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => `  - name: ${n}\n    input: {}\n    assert: [{contains: x}]\n`).join('')}`,
  ).cases;

  it('holds out the share asked for, the same cases every time, whatever their order', () => {
    const one = heldOutSplit(cases, 0.3);
    const two = heldOutSplit([...cases].reverse(), 0.3);
    assert.equal(one.validation.length, 2);
    assert.equal(one.training.length, 5);
    assert.deepEqual(one.validation.map((c) => c.name).sort(), two.validation.map((c) => c.name).sort());
  });

  it('leaves a case on each side, and none held out at 0', () => {
    assert.equal(heldOutSplit(cases.slice(0, 2), 0.5).training.length, 1);
    assert.equal(heldOutSplit(cases.slice(0, 2), 0.01).validation.length, 1);
    assert.equal(heldOutSplit(cases, 0).validation.length, 0);
    assert.throws(() => heldOutSplit(cases.slice(0, 1), 0.3), /needs at least 2 test cases/);
  });
});

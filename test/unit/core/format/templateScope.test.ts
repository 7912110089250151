import assert from 'node:assert/strict';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { missingVariables } from '../../../../src/core/format/inputs';

const fm = (schema: string) => `---\nmodel: amazon.nova-lite-v1:0\ninput:\n  schema:\n${schema}---\n`;
const required = (text: string, partials: Record<string, string> = {}) =>
  analyzePrompt(text, { partialExists: (n) => n in partials, partialTemplates: partials }).requiredInputs.sort();
const warnings = (text: string, partials: Record<string, string> = {}) =>
  analyzePrompt(text, { partialExists: (n) => n in partials, partialTemplates: partials }).problems.filter(
    (p) => p.severity !== 'info',
  );

describe('which inputs a prompt needs (scope-aware)', () => {
  it('{{history}} and the other Dotprompt helpers are not inputs', () => {
    const text =
      '{{role "system"}}Be brief.\n{{history}}\n{{role "user"}}{{question}} {{json data}} {{section "docs"}}\n';
    assert.deepEqual(required(text), ['data', 'question']);
  });

  it('names inside #each over arrays and objects are the item: this, fields, @index, @key', () => {
    const text =
      fm('    items(array): {title: string}\n    prefs(object): {a: string}\n') +
      '{{#each items}}{{@index}}. {{title}} {{this.title}}{{/each}}\n{{#each prefs}}{{@key}}={{this}}{{/each}}\n';
    assert.deepEqual(required(text), ['items', 'prefs']);
    assert.deepEqual(warnings(text), []);
  });

  it('../x and @root.x inside a block are inputs; block parameters are not', () => {
    const text =
      '{{#each items as |item i|}}{{i}} {{item.name}} {{../title}} {{@root.footer}}{{/each}}\n{{#with person as |p|}}{{p.name}} {{name}}{{/with}}';
    assert.deepEqual(required(text), ['footer', 'items', 'person', 'title']);
  });

  it('#with changes the context; {{else}} of #each keeps it', () => {
    const text = '{{#with order}}{{id}} {{total}}{{/with}}{{#each lines}}{{sku}}{{else}}{{emptyNote}}{{/each}}';
    assert.deepEqual(required(text), ['emptyNote', 'lines', 'order']);
  });

  it("a partial's hash arguments and context are names inside the partial, not inputs", () => {
    const partials = { 'line-item': '- {{label}}: {{price}} {{currency}}' };
    const text =
      fm('    label: string\n    price: number\n') +
      '{{#each rows as |row|}}{{> line-item label=row.label price=row.price}}{{/each}}{{> line-item label=label price=price}}\n';
    // label and price are given by the caller; currency is read by the partial from the top level (only
    // by the call outside #each: inside it, the partial's context is the row).
    assert.deepEqual(required(text, partials), ['currency', 'label', 'price', 'rows']);
    const inContext = '{{#each rows}}{{> line-item}}{{/each}}{{> line-item row}}';
    assert.deepEqual(required(inContext, partials), ['row', 'rows']);
  });

  it('optional Picoschema fields and JSON Schema non-required properties are not required', () => {
    const pico =
      fm('    name: string\n    deadline?: string\n    tags?(array): string\n') + '{{name}} {{deadline}} {{tags}}';
    assert.deepEqual(required(pico), ['name']);
    const json =
      '---\ninput:\n  schema:\n    type: object\n    properties:\n      a: {type: string}\n      b: {type: string}\n    required: [a]\n---\n{{a}} {{b}}';
    assert.deepEqual(required(json), ['a']);
  });

  it('a value only tested in #if / #unless, or used under its own #if, is not required', () => {
    const text =
      '{{#if context}}Context: {{context}}{{/if}}{{#unless quiet}}Hello{{/unless}}{{#ifEquals mode "x"}}X{{/ifEquals}} {{question}}';
    assert.deepEqual(required(text), ['question']);
    // a non-optional declared input stays required wherever it is used
    assert.deepEqual(required(fm('    context: string\n') + '{{#if context}}{{context}}{{/if}}'), ['context']);
  });

  it('subexpressions and helper arguments are read; defaults make an input not required', () => {
    const text = '---\ninput:\n  default:\n    tone: warm\n---\n{{json (lookup table key)}} in a {{tone}} tone';
    assert.deepEqual(required(text), ['key', 'table']);
  });

  it('batch rows and test cases that leave out an optional field are complete', () => {
    const a = analyzePrompt(
      fm('    ticket: string\n    audience?: string\n') + '{{ticket}}{{#if audience}} for {{audience}}{{/if}}',
    );
    assert.deepEqual(missingVariables(a, { ticket: 't' }), []);
    assert.deepEqual(missingVariables(a, {}), ['ticket']);
  });

  it('declared inputs used only inside blocks or partials are not "never used"', () => {
    const text =
      fm('    items(array): string\n    context?: string\n    label: string\n') +
      '{{#each items}}{{this}}{{/each}}{{#if context}}x{{/if}}{{> p label=label}}';
    assert.deepEqual(warnings(text, { p: '{{label}}' }), []);
  });

  it('a partial that includes itself ends the walk', () => {
    const a = analyzePrompt('{{> loop}}', {
      partialExists: () => true,
      partialTemplates: { loop: '{{x}} {{> loop}}' },
    });
    assert.deepEqual(a.requiredInputs, ['x']);
  });
});

describe('template syntax errors in plain words, at their place', () => {
  const templateProblem = (body: string) =>
    analyzePrompt(`---\nmodel: m\ninput:\n  schema:\n    context: string\n---\n${body}`).problems;

  it('an unclosed block is reported at its opening tag, with the fix', () => {
    const problems = templateProblem('Intro line\n{{#if context}}\nUse {{context}}.\n');
    const t = problems.find((p) => p.code === 'template');
    assert.equal(t?.message, '`{{#if context}}` is never closed: add `{{/if}}`.');
    assert.equal(t?.range.start.line, 7);
    assert.equal(t?.range.start.character, 0);
    // no "declared but never used" while the template does not parse
    assert.deepEqual(
      problems.filter((p) => p.code === 'unused-variable'),
      [],
    );
    assert.doesNotMatch(problems.map((p) => p.message).join('\n'), /OPEN_INVERSE_CHAIN|Expecting/);
  });

  it('a stray or mismatched closing tag is reported at itself', () => {
    const stray = templateProblem('{{context}}\n{{/each}}\n').find((p) => p.code === 'template');
    assert.match(stray?.message ?? '', /`\{\{\/each\}\}` closes a block that was never opened/);
    assert.equal(stray?.range.start.line, 7);
    const mismatched = templateProblem('{{#if context}}\n{{#each items}}{{/if}}').find((p) => p.code === 'template');
    assert.match(
      mismatched?.message ?? '',
      /`\{\{#each items\}\}` is closed by `\{\{\/if\}\}`: close it with `\{\{\/each\}\}` first/,
    );
  });

  it('comments and escaped mustaches do not count as blocks', () => {
    const problems = templateProblem('{{!-- {{#if x}} --}}\\{{#each}} {{context}}\n{{#if context}}');
    assert.match(problems.find((p) => p.code === 'template')?.message ?? '', /`\{\{#if context\}\}` is never closed/);
  });
});

describe('Picoschema mistakes are diagnostics at their line', () => {
  const schemaProblems = (frontmatter: string) =>
    analyzePrompt(`---\nmodel: m\n${frontmatter}---\n{{answer}}{{mood}}`).problems.filter((p) => p.code === 'schema');

  it('a misspelled type in output.schema, with the suggestion', () => {
    const [p] = schemaProblems('output:\n  format: json\n  schema:\n    answer: sting\n');
    assert.match(p.message, /`sting` is not a Picoschema type: did you mean `string`\?/);
    assert.equal(p.range.start.line, 5);
  });

  it('an enum without a list, in input.schema', () => {
    const [p] = schemaProblems('input:\n  schema:\n    mood?(enum): happy\n');
    assert.match(p.message, /`mood\?\(enum\)` needs a list of values/);
    assert.equal(p.range.start.line, 4);
  });

  it('a bad parenthetical type in a tool inputSchema', () => {
    const [p] = schemaProblems(
      'tools: [t]\ntoolDefs:\n  - name: t\n    description: d\n    inputSchema:\n      city(strng): the city\n',
    );
    assert.match(p.message, /`t` inputSchema|`city\(strng\)`: a type in parentheses must be array, object or enum/);
    assert.equal(p.range.start.line, 7);
  });

  it('valid Picoschema and JSON Schema have no problems', () => {
    assert.deepEqual(
      schemaProblems(
        'output:\n  schema:\n    answer: string, the answer\n    tags(array, labels): string\n    meta(object):\n      n?: integer\n    mood?(enum): [happy, sad]\n    (*): any\n',
      ),
      [],
    );
    assert.deepEqual(
      schemaProblems('output:\n  schema:\n    type: object\n    properties:\n      answer: {type: string}\n'),
      [],
    );
  });
});

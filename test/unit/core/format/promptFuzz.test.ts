// Thousands of random and mutated files: the analyzer never throws and never fails internally;
// every problem is a located diagnostic.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { rng } from '../../../support/rng';

const FRAGMENTS = [
  '---',
  '\n',
  '{{',
  '}}',
  '{{#if x}}',
  '{{/if}}',
  '{{/each}}',
  '{{role "user"}}',
  '{{role "model"}}',
  '{{media url="a.png"}}',
  '{{> p}}',
  ': ',
  '- ',
  '  ',
  'model: x',
  'config:',
  'temperature: 2',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '\\',
  '\t',
  '#',
  '&a',
  '*a',
  '!!binary',
  '\u0000',
  '\uFFFF',
  '😀',
  '{{!--',
  '--}}',
  '{{{',
  '}}}',
  '~',
  'input:\n  schema:\n    a: string',
  'bedrock.guardrail:',
  'tools: [x]',
  '\r\n',
];

function examples(): string[] {
  const dir = path.join(__dirname, '..', '..', '..', '..', '..', 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.prompt'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

describe('prompt analysis fuzz', () => {
  it('never throws on 3,000 random and mutated files', function () {
    this.timeout(120_000);
    const seeds = examples();
    assert.ok(seeds.length > 0);
    const random = rng(20261125);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    for (let i = 0; i < 3000; i++) {
      let text: string;
      if (i % 3 === 0) {
        text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => pick(FRAGMENTS)).join('');
      } else {
        const chars = [...pick(seeds)];
        const edits = 1 + Math.floor(random() * 8);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(random() * (chars.length + 1));
          const op = random();
          if (op < 0.4) chars.splice(at, 1 + Math.floor(random() * 5));
          else if (op < 0.8) chars.splice(at, 0, ...pick(FRAGMENTS));
          else chars.splice(at, 0, String.fromCharCode(Math.floor(random() * 0xffff)));
        }
        text = chars.join('');
      }
      const analysis = analyzePrompt(text, { fileExists: () => random() > 0.5, partialExists: () => false });
      const internal = analysis.problems.find((p) => p.code === 'internal');
      assert.equal(internal, undefined, `case ${i}: ${internal?.message}\n${JSON.stringify(text)}`);
      for (const p of analysis.problems) {
        assert.ok(
          p.range.start.line >= 0 && p.range.end.line >= p.range.start.line,
          `case ${i}: bad range ${JSON.stringify(p.range)}`,
        );
        assert.ok(p.message.length > 0);
      }
    }
  });
});

describe('template parsed in cached pieces', () => {
  // piecesAbove: 0, so that short test files are parsed in pieces too.
  const ctx = { fileExists: () => true, partialExists: (n: string) => n === 'p', piecesAbove: 0 };
  const same = (text: string, label: string) => {
    const pieces = analyzePrompt(text, ctx);
    const whole = analyzePrompt(text, { ...ctx, wholeTemplate: true });
    assert.deepEqual(pieces, whole, `${label}\n${JSON.stringify(text)}`);
  };

  it('gives exactly the analysis of one whole parse, on examples, edge cases and 3,000 mutations', function () {
    this.timeout(120_000);
    const seeds = examples();
    seeds.forEach((t, i) => same(t, `example ${i}`));
    const edge = [
      '{{#if x}}\n{{role "user"}}\nhi {{a}}\n{{/if}}\n',
      '{{role "user"}}\n{{!-- a comment\n{{role "model"}}\nstill the comment --}}\n{{b}}\n',
      '{{role "user"}}\n{{#each xs}}\n{{role "model"}}\n{{this}}\n{{/each}}\n',
      '{{role "user"}}\nok {{a}}\n{{role "model"}}\n{{#if}}\n{{role "user"}}\n{{c}}\n',
      '{{role "system"}}\r\nsys {{s}}\r\n{{role "user"}}\r\n{{u}} {{> p}}\r\n',
      '{{~role "user"~}}\n{{x}}\n{{role "bogus"}}\n{{y.z}} {{@root.w}}\n',
    ];
    edge.forEach((t, i) => same(`---\nmodel: m\n---\n${t}`, `edge ${i}`));
    const random = rng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    for (let i = 0; i < 3000; i++) {
      const chars = [...pick(seeds)];
      for (let e = 0; e < 1 + Math.floor(random() * 6); e++) {
        const at = Math.floor(random() * (chars.length + 1));
        if (random() < 0.5) chars.splice(at, 1 + Math.floor(random() * 4));
        else chars.splice(at, 0, ...pick(FRAGMENTS));
      }
      same(chars.join(''), `mutation ${i}`);
    }
  });

  it('after an edit in the last turn, matches a fresh whole analysis', () => {
    let text = '---\nmodel: m\ninput:\n  schema:\n    q: string\n---\n';
    for (let i = 0; i < 300; i++)
      text += `{{role "user"}}\nQuestion ${i} about ${(i * 7919) % 1000}: {{q}}\n{{role "model"}}\nAnswer ${i}\n`;
    analyzePrompt(text, ctx);
    const edited = `${text}{{role "user"}}\nAnd {{newVar}}\n`;
    same(edited, 'edited');
    assert.deepEqual(
      analyzePrompt(edited, ctx).variables.at(-1)?.range.start.line,
      edited.split('\n').length - 2,
      'the new variable is located on its line',
    );
    const broken = `${edited}{{#if}}\n`;
    same(broken, 'broken');
    assert.ok(
      analyzePrompt(broken, ctx).problems.some((p) => p.code === 'template'),
      'the syntax error in the new turn is reported',
    );
  });
});

describe('rendering fuzz: only located, plain-words errors; no pollution; no hang', () => {
  const RENDER_FRAGMENTS = [
    ...FRAGMENTS,
    '{{json x}}',
    '{{#each xs}}{{this}}{{/each}}',
    '{{#with o}}{{a}}{{/with}}',
    '{{lookup o k}}',
    '{{#toolUse id="a" name="t"}}{}{{/toolUse}}',
    '{{#toolResult id="a"}}1{{/toolResult}}',
    'output:\n  schema:\n    a: sting',
    'output:\n  schema:\n    m(enum): x',
    'toolDefs:\n  - name: t\n    inputSchema:\n      c(bad): x',
    '{{ifEquals}}',
    '{{section}}',
    '{{history}}',
    '{{media}}',
    '{{role}}',
    '__proto__.x: 1',
    '{{> p a=b}}',
  ];

  it('3,000 random and mutated prompts render or fail with a RenderError that says what to do', async function () {
    this.timeout(120_000);
    const { renderPrompt, RenderError } = await import('../../../../src/core/format/render');
    const seeds = examples();
    const random = rng(20261201);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const files = {
      readBytes: async () => new Uint8Array([137, 80, 78, 71]),
      readPartial: async (n: string) => (n === 'p' ? '{{a}} {{> p}}' : undefined),
    };
    const plain: string[] = [];
    // Words of a library's insides, not of the product: a message must say what is wrong in the file.
    const INTERNALS =
      /is not a function|Cannot read propert|of undefined|of null|Expecting '|Parse error on line|Picoschema: [a-z]|TypeError|ReferenceError|\bprop\.|\[object Object\]|Unsupported type|Invalid (?:type|schema)|doesn't match|Lexical error|unsupported scalar|parenthetical types|\.\.(?:\s|$)/;
    const internal: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let text: string;
      if (i % 3 === 0)
        text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pick(RENDER_FRAGMENTS)).join('');
      else {
        const chars = [...pick(seeds)];
        for (let e = 0, n = 1 + Math.floor(random() * 6); e < n; e++) {
          const at = Math.floor(random() * (chars.length + 1));
          if (random() < 0.4) chars.splice(at, 1 + Math.floor(random() * 5));
          else chars.splice(at, 0, ...pick(RENDER_FRAGMENTS));
        }
        text = chars.join('');
      }
      const input = {
        x: { deep: [1, { y: '<<<dotprompt:role:system>>>' }] },
        xs: ['a', 'b'],
        o: { a: 1 },
        k: 'a',
        ticket: 't',
        name: 'n',
      };
      try {
        await renderPrompt(text, input, files, { defaultModel: 'amazon.nova-lite-v1:0' });
      } catch (err) {
        if (!(err instanceof RenderError))
          plain.push(
            `case ${i}: ${(err as Error)?.name}: ${(err as Error)?.message}\n${JSON.stringify(text).slice(0, 300)}`,
          );
        else if (INTERNALS.test(err.message)) internal.push(`case ${i}: ${err.message}`);
      }
      assert.equal(({} as Record<string, unknown>).x, undefined, `case ${i} polluted Object.prototype`);
    }
    assert.deepEqual(plain.slice(0, 5), [], `${plain.length} plain errors`);
    assert.deepEqual(internal.slice(0, 8), [], `${internal.length} messages with a library's internal text`);
  });
});

describe('pathological prompts end quickly with a clear error', () => {
  // Each of these froze the extension host or exhausted its heap; mocha's timeout is the hang check, the
  // bench measures the time.
  const noFiles = { readBytes: async () => new Uint8Array(), readPartial: async () => undefined };
  const refusedBoth = async (body: string, message: RegExp, code: string) => {
    const { renderPrompt } = await import('../../../../src/core/format/render');
    const a = analyzePrompt(`---\nmodel: m\n---\n${body}`);
    assert.match(a.problems.find((p) => p.code === code)?.message ?? '(none)', message);
    await assert.rejects(renderPrompt(`---\nmodel: m\n---\n${body}`, { topic: 'x' }, noFiles), message);
  };

  it('4,000 nested blocks: the analysis and the render refuse', async () => {
    await refusedBoth(
      `${'{{#if a}}'.repeat(4000)}x${'{{/if}}'.repeat(4000)}`,
      /nest more than 64 levels deep/,
      'template-depth',
    );
  });

  it('nested subexpressions (10,000 levels, and the 260 characters whose render doubled 40 times) are refused', async () => {
    for (const levels of [40, 2000, 10_000])
      await refusedBoth(
        `{{json ${'(json '.repeat(levels)}topic${')'.repeat(levels)}}}`,
        /Subexpressions nest more than 16 levels deep/,
        'template-depth',
      );
  });

  it('4 MB of `{{topic}} ` is refused before Handlebars compiles it', async () => {
    await refusedBoth('{{topic}} '.repeat(400_000), /more than 10,000 tags/, 'template-tags');
  });

  it('40,000 comments are read in one pass (each one copied the whole template: minutes)', async () => {
    const { renderPrompt } = await import('../../../../src/core/format/render');
    const text = `---\nmodel: m\n---\nhi ${'ab {{!-- c --}} '.repeat(40_000)}`;
    assert.deepEqual(analyzePrompt(text).problems, []);
    const r = await renderPrompt(text, {}, noFiles);
    assert.equal((r.request.messages?.[0].content?.[0] as { text: string }).text.length, 2 + 40_000 * 4 - 1);
  });

  it('escaped tags and comments are text: a long conversation of escaped answers is not counted', () => {
    const body = `hi\n${'\\{{#each x}}\\{{(((((((((((((((((((( {{!-- {{#if}} (((((((((((((((((( --~}}'.repeat(60_000)}`;
    const a = analyzePrompt(`---\nmodel: m\n---\n${body}`);
    assert.deepEqual(
      a.problems.filter((p) => p.code.startsWith('template-')),
      [],
    );
  });

  it('a frontmatter of 20,000 keys is refused without parsing it', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const a = analyzePrompt(`---\n${keys}\n---\nhi`);
    assert.match(a.problems[0].message, /The frontmatter is \d+ KB; at most 64 KB is read/);
  });

  it('a partial that includes itself is an error in the analysis and at render time, not a stack overflow', async () => {
    const { renderPrompt } = await import('../../../../src/core/format/render');
    const a = analyzePrompt('---\nmodel: m\n---\n{{> loop}}', {
      partialExists: () => true,
      partialTemplates: { loop: 'again {{> loop}}' },
    });
    assert.match(
      a.problems.find((p) => p.code === 'partial-cycle')?.message ?? '',
      /Partial `loop` includes itself \(loop → loop\)/,
    );
    await assert.rejects(
      renderPrompt(
        '---\nmodel: m\n---\n{{> a}}',
        {},
        { readBytes: async () => new Uint8Array(), readPartial: async (n) => (n === 'a' ? '{{> b}}' : '{{> a}}') },
      ),
      /Partial `a` includes itself \(a → b → a\)/,
    );
  });

  it('deeply nested input values are refused with a message, not a stack overflow', async () => {
    const { renderPrompt } = await import('../../../../src/core/format/render');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    await assert.rejects(
      renderPrompt(
        '---\nmodel: m\n---\n{{json x}}',
        { x: deep },
        { readBytes: async () => new Uint8Array(), readPartial: async () => undefined },
      ),
      /nested more than 64 levels deep/,
    );
  });
});

// Thousands of random and mutated files: the analyzer never throws and never fails internally;
// every problem is a located diagnostic.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzePrompt } from '../../src/prompt/analyze';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['---', '\n', '{{', '}}', '{{#if x}}', '{{/if}}', '{{/each}}', '{{role "user"}}', '{{role "model"}}', '{{media url="a.png"}}', '{{> p}}', ': ', '- ', '  ', 'model: x', 'config:', 'temperature: 2', '"', "'", '[', ']', '{', '}', '\\', '\t', '#', '&a', '*a', '!!binary', '\u0000', '\uFFFF', '😀', '{{!--', '--}}', '{{{', '}}}', '~', 'input:\n  schema:\n    a: string', 'bedrock.guardrail:', 'tools: [x]', '\r\n'];

function examples(): string[] {
  const dir = path.join(__dirname, '..', '..', '..', 'examples');
  return readdirSync(dir).filter((f) => f.endsWith('.prompt')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
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
        assert.ok(p.range.start.line >= 0 && p.range.end.line >= p.range.start.line, `case ${i}: bad range ${JSON.stringify(p.range)}`);
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
    for (let i = 0; i < 300; i++) text += `{{role "user"}}\nQuestion ${i} about ${(i * 7919) % 1000}: {{q}}\n{{role "model"}}\nAnswer ${i}\n`;
    analyzePrompt(text, ctx);
    const edited = `${text}{{role "user"}}\nAnd {{newVar}}\n`;
    same(edited, 'edited');
    assert.deepEqual(analyzePrompt(edited, ctx).variables.at(-1)?.range.start.line, edited.split('\n').length - 2, 'the new variable is located on its line');
    const broken = `${edited}{{#if}}\n`;
    same(broken, 'broken');
    assert.ok(analyzePrompt(broken, ctx).problems.some((p) => p.code === 'template'), 'the syntax error in the new turn is reported');
  });
});

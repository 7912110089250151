// Grammar snapshot tests: tokenizes .prompt files with the real TextMate engine (vscode-textmate +
// Oniguruma, as VS Code does) and compares with stored snapshots. UPDATE_SNAPSHOTS=1 rewrites them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const ROOT = path.join(__dirname, '..', '..', '..', '..', '..');
const SNAP_DIR = path.join(ROOT, 'test', 'unit', 'vscode', 'language', 'grammar');

/** A stand-in for VS Code's YAML grammar: enough to see that the frontmatter is handed to source.yaml. */
const YAML_STANDIN = {
  scopeName: 'source.yaml',
  patterns: [
    {
      match: '^\\s*([\\w.-]+)(:)',
      captures: { 1: { name: 'entity.name.tag.yaml' }, 2: { name: 'punctuation.separator.key-value.yaml' } },
    },
    { match: '#.*$', name: 'comment.line.number-sign.yaml' },
  ],
};

let registry: textmate.Registry;

async function grammar(): Promise<textmate.IGrammar> {
  if (!registry) {
    const wasm = readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (s) => new oniguruma.OnigScanner(s),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scope) => {
        if (scope === 'source.dotprompt')
          return textmate.parseRawGrammar(
            readFileSync(path.join(ROOT, 'syntaxes', 'dotprompt.tmLanguage.json'), 'utf8'),
            'dotprompt.tmLanguage.json',
          );
        if (scope === 'source.yaml') return YAML_STANDIN as unknown as textmate.IRawGrammar;
        return null;
      },
    });
  }
  const g = await registry.loadGrammar('source.dotprompt');
  if (!g) throw new Error('grammar did not load');
  return g;
}

async function tokenize(text: string): Promise<{ text: string; scopes: string[] }[]> {
  const g = await grammar();
  let stack = textmate.INITIAL;
  const out: { text: string; scopes: string[] }[] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (piece.trim()) out.push({ text: piece, scopes: t.scopes.slice(1) });
    }
    stack = r.ruleStack;
  }
  return out;
}

function render(tokens: { text: string; scopes: string[] }[]): string {
  return tokens.map((t) => `${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n') + '\n';
}

describe('TextMate grammar', () => {
  it('hands the frontmatter to YAML and marks roles, helpers, partials and variables', async () => {
    const tokens = await tokenize(
      '---\nmodel: x\n---\n{{role "system"}}\nHi {{name}} {{> header}} {{media url="a.png"}}\n{{!-- note --}}\n{{#if x}}y{{/if}}\n',
    );
    const find = (text: string) => tokens.find((t) => t.text.trim() === text)?.scopes ?? [];
    assert.ok(find('model').includes('meta.embedded.block.frontmatter'));
    assert.ok(find('model').includes('entity.name.tag.yaml'));
    assert.ok(find('role').includes('keyword.control.role.dotprompt'));
    assert.ok(find('"system"').includes('entity.name.section.role.dotprompt'));
    assert.ok(find('name').includes('variable.other.handlebars.dotprompt'));
    assert.ok(find('header').includes('entity.name.function.partial.dotprompt'));
    assert.ok(find('media').includes('support.function.builtin.dotprompt'));
    assert.ok(find('note').includes('comment.block.handlebars.dotprompt'));
    assert.ok(find('if').includes('keyword.control.block.name.dotprompt'));
    assert.deepEqual(find('Hi'), [], 'plain template text has no scope of its own');
  });

  it('does not treat a later --- as frontmatter', async () => {
    const tokens = await tokenize('Hello\n---\nmodel: x\n');
    assert.ok(tokens.every((t) => !t.scopes.includes('meta.embedded.block.frontmatter')));
  });

  const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.prompt'));
  for (const file of examples) {
    it(`matches the snapshot of examples/${file}`, async () => {
      const actual = render(await tokenize(readFileSync(path.join(ROOT, 'examples', file), 'utf8')));
      const snap = path.join(SNAP_DIR, `${file}.snap`);
      // A missing snapshot fails (it would otherwise pass by writing itself); UPDATE_SNAPSHOTS=1 writes them.
      if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snap, actual);
      else if (!existsSync(snap))
        assert.fail(`missing snapshot ${snap}: run UPDATE_SNAPSHOTS=1 npm run test:unit and commit it`);
      assert.equal(actual, readFileSync(snap, 'utf8'));
    });
  }
});

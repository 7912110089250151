// The Dotprompt specification's own cases (its spec/ YAML suite, carried in test/fixtures/dotprompt-spec with
// its licence), rendered through this extension's renderer. Dotprompt's messages are mapped the way
// the renderer promises: system parts go to `system`, model becomes assistant, each message's text is
// trimmed at its edges and blank blocks dropped, adjacent turns of one role merge. Every case passes,
// or is listed below with the reason it cannot and a check of what happens instead.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { renderPrompt, RenderError, type PromptFiles, type RenderResult } from '../../../../src/core/format/render';

const SPEC = path.join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'dotprompt-spec');

interface SpecPart {
  text?: string;
  media?: { url: string; contentType?: string };
  metadata?: unknown;
}
interface SpecMessage {
  role: string;
  content: SpecPart[];
}
interface SpecTest {
  desc: string;
  data?: { input?: Record<string, unknown>; messages?: unknown[]; context?: unknown };
  options?: { input?: { default?: Record<string, unknown> } };
  expect: { messages?: SpecMessage[]; output?: { schema?: unknown } };
}
interface SpecSuite {
  name: string;
  template: string;
  partials?: Record<string, string>;
  resolverPartials?: Record<string, string>;
  schemas?: unknown;
  data?: SpecTest['data'];
  tests: SpecTest[];
}

/** Cases this renderer cannot pass as written, why, and what it does instead (checked). */
const CANNOT: Record<string, { reason: string; check: (result: RenderResult | undefined, error: unknown) => void }> = {
  'helpers/history basic_history': {
    reason:
      'history messages come from the caller (a Genkit session); a .prompt run here sends the turns written in the file, so {{history}} inserts nothing',
    check: (r) => assert.deepEqual(r?.request.messages, [{ role: 'user', content: [{ text: 'Additional message' }] }]),
  },
  'helpers/role system_only_prompt': {
    reason:
      'history messages come from the caller; without them a prompt with only a system turn has no user message, which Bedrock refuses',
    check: (_r, e) => assert.match(String(e), /no user message/),
  },
  'helpers/media basic': {
    reason:
      'Bedrock cannot fetch http(s) media; the renderer refuses it with that fix instead of sending a link the service rejects',
    check: (_r, e) => assert.match(String(e), /cannot fetch http:\/\/a\/b\/c/),
  },
  'metadata metadata_state': {
    reason: '@state is Genkit session state passed as render context; a .prompt run has none, so it renders empty',
    check: (r) => assert.match(JSON.stringify(r?.request.messages), /Current count is \\nStatus is/),
  },
  'metadata raw': {
    reason:
      'temperature 3 is outside what Bedrock accepts (0 to 1): the render matches, and the analysis marks the value as an error before a run',
    check: (r) => {
      assert.deepEqual(r?.request.messages, [{ role: 'user', content: [{ text: 'Hello, world.' }] }]);
      assert.equal(r?.request.inferenceConfig?.temperature, 3);
    },
  },
  'metadata ext': {
    reason:
      'a prompt with frontmatter only has no message to send; the namespaced keys are Dotprompt parsing (no place in Converse)',
    check: (_r, e) => assert.match(String(e), /no user message/),
  },
  'picoschema named_schema_override_description': {
    reason:
      'named schemas need a schema registry (Genkit defineSchema); a .prompt file here has none, so `Foo` is refused with a diagnostic',
    check: (_r, e) => assert.match(String(e), /is not valid Picoschema: `Foo` is not a type/),
  },
  'picoschema nested_named_schema': {
    reason: 'named schemas need a schema registry (Genkit defineSchema); a .prompt file here has none',
    check: (_r, e) => assert.match(String(e), /is not valid Picoschema/),
  },
};

function suites(): { file: string; suite: SpecSuite }[] {
  const out: { file: string; suite: SpecSuite }[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else if (name.endsWith('.yaml'))
        for (const suite of parse(readFileSync(full, 'utf8')) as SpecSuite[])
          out.push({ file: `${prefix}${name.replace(/\.yaml$/, '')}`, suite });
    }
  };
  walk(SPEC, '');
  return out;
}

/** Dotprompt's messages as the Converse request the renderer promises. */
function expectedConverse(messages: SpecMessage[]): {
  system?: { text: string }[];
  messages: { role: string; content: object[] }[];
} {
  const system: { text: string }[] = [];
  const out: { role: string; content: object[] }[] = [];
  for (const m of messages) {
    const texts = m.content.filter((p) => typeof p.text === 'string').map((p) => ({ text: p.text as string }));
    if (texts.length > 0) {
      texts[0].text = texts[0].text.replace(/^\s+/, '');
      texts[texts.length - 1].text = texts[texts.length - 1].text.replace(/\s+$/, '');
    }
    const content = texts.filter((t) => t.text.trim() !== '');
    if (content.length === 0) continue;
    if (m.role === 'system') system.push(...content);
    else {
      const role = m.role === 'model' ? 'assistant' : m.role;
      if (out.at(-1)?.role === role) out.at(-1)?.content.push(...content);
      else out.push({ role, content });
    }
  }
  return { ...(system.length > 0 ? { system } : {}), messages: out };
}

describe('the Dotprompt specification (spec/ suite) through the renderer', () => {
  const all = suites();
  it('reads the whole suite', () => assert.ok(all.length >= 40, `${all.length} suites`));
  for (const { file, suite } of all) {
    const key = `${file} ${suite.name}`;
    const cannot = CANNOT[key];
    for (const t of suite.tests) {
      it(`${key}: ${t.desc}${cannot ? ` (cannot: ${cannot.reason})` : ''}`, async () => {
        const partials = { ...(suite.partials ?? {}), ...(suite.resolverPartials ?? {}) };
        const files: PromptFiles = {
          readBytes: async () => assert.fail('no file is read'),
          readPartial: async (n) => partials[n],
        };
        const input = { ...(t.options?.input?.default ?? {}), ...(suite.data?.input ?? {}), ...(t.data?.input ?? {}) };
        const expectsSchemaOnly = (t.expect.messages ?? []).length === 0 && t.expect.output?.schema !== undefined;
        // Converse needs a message; a frontmatter-only case that checks its schema gets one.
        const template = expectsSchemaOnly ? `${suite.template}.\n` : suite.template;
        let result: RenderResult | undefined;
        let error: unknown;
        try {
          result = await renderPrompt(template, input, files, {
            defaultModel: 'spec.model-v1',
            requireUserMessage: false,
          });
        } catch (err) {
          error = err;
        }
        if (cannot) return cannot.check(result, error);
        if (error) throw error;
        // The analysis agrees: the template has no errors.
        const problems = analyzePrompt(template, {
          partialExists: (n) => n in partials,
          partialTemplates: partials,
        }).problems.filter((p) => p.severity === 'error');
        assert.deepEqual(problems, []);
        // As sent: fields left undefined do not exist in JSON.
        if (expectsSchemaOnly)
          return assert.deepEqual(JSON.parse(JSON.stringify(result?.outputSchema)), t.expect.output?.schema);
        const want = expectedConverse(t.expect.messages ?? []);
        assert.deepEqual(
          { ...(result?.request.system ? { system: result.request.system } : {}), messages: result?.request.messages },
          want,
        );
      });
    }
  }
  it('every listed exception names a case of the suite', () => {
    const keys = new Set(all.map(({ file, suite }) => `${file} ${suite.name}`));
    for (const k of Object.keys(CANNOT)) assert.ok(keys.has(k), k);
    assert.ok(RenderError);
  });
});

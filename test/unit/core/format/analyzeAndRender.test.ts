import assert from 'node:assert/strict';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { escapeTemplateText, modelTurnPrefix, modelTurnSuffix } from '../../../../src/core/format/conversation';
import { renderPrompt, RenderError, type PromptFiles } from '../../../../src/core/format/render';
import type { Catalogue } from '../../../../src/core/models/catalogue';
import type { FoundationModel } from '../../../../src/core/models/catalogue';
import { foundationModel } from '../../../support/models';

const noFiles: PromptFiles = {
  readBytes: async () => Promise.reject(new Error('no files')),
  readPartial: async () => undefined,
};

function files(map: Record<string, Uint8Array | string>, partials: Record<string, string> = {}): PromptFiles {
  return {
    readBytes: async (p) => {
      const v = map[p];
      if (v === undefined) throw new Error(`ENOENT ${p}`);
      return typeof v === 'string' ? Buffer.from(v) : v;
    },
    readPartial: async (n) => partials[n],
  };
}

const codes = (text: string, ctx = {}) => analyzePrompt(text, ctx).problems.map((p) => p.code);

describe('prompt analysis: problems at their place', () => {
  it('a clean prompt has no problems', () => {
    const text =
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\nconfig:\n  temperature: 0.3\ninput:\n  schema:\n    name: string\n---\n{{role "system"}}\nBe kind.\n{{role "user"}}\nHi {{name}}\n';
    assert.deepEqual(analyzePrompt(text).problems, []);
  });

  it('reports YAML errors at their line', () => {
    const a = analyzePrompt('---\nmodel: x\nconfig:\n  temperature: [1,\n---\nhi\n');
    const yaml = a.problems.find((p) => p.code === 'yaml');
    assert.ok(yaml, JSON.stringify(a.problems));
    assert.ok(yaml.range.start.line >= 3 && yaml.range.start.line <= 4, `line ${yaml.range.start.line}`);
  });

  it('an unclosed frontmatter is an error on line 1', () => {
    const a = analyzePrompt('---\nmodel: x\nhello');
    assert.equal(a.problems[0].code, 'frontmatter-unclosed');
    assert.equal(a.problems[0].range.start.line, 0);
  });

  it('suggests the fix for misspelled keys', () => {
    const a = analyzePrompt('---\nmodle: x\nconfig:\n  temprature: 0.5\n---\nhi\n');
    const msgs = a.problems.map((p) => p.message);
    assert.ok(
      msgs.some((m) => /Unknown key `modle`\. Did you mean `model`\?/.test(m)),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => /`temprature`\. Did you mean `temperature`\?/.test(m)),
      msgs.join('\n'),
    );
    const typo = a.problems.find((p) => p.message.includes('temprature'));
    assert.deepEqual(typo?.range.start, { line: 3, character: 2 });
  });

  it('checks types and ranges', () => {
    const a = analyzePrompt(
      '---\nmodel: x\nconfig:\n  temperature: 1.5\n  maxOutputTokens: 0.5\n  topP: "high"\n  stopSequences: stop\n---\nhi\n',
    );
    const msgs = a.problems.map((p) => p.message).join('\n');
    assert.match(msgs, /`config.temperature` must be between 0 and 1; found 1.5/);
    assert.match(msgs, /`config.maxOutputTokens` must be a whole number/);
    assert.match(msgs, /`config.topP` must be a number; found "high"/);
    assert.match(msgs, /`config.stopSequences` must be a list of strings/);
  });

  it('reports template syntax errors inside the template', () => {
    const a = analyzePrompt('---\nmodel: x\n---\nline one\nHello {{#if name}}\n');
    const t = a.problems.find((p) => p.code === 'template');
    assert.ok(t);
    assert.ok(t.range.start.line >= 3, `line ${t.range.start.line}`);
  });

  it('finds undeclared and unused variables, and ignores each/with scopes', () => {
    const text =
      '---\nmodel: x\ninput:\n  schema:\n    name: string\n    unused?: string\n    items(array): string\n---\nHi {{name}} and {{nmae}}.\n{{#each items}}{{this}} {{title}}{{/each}}\n';
    const a = analyzePrompt(text);
    const undeclared = a.problems.filter((p) => p.code === 'undeclared-variable');
    assert.deepEqual(
      undeclared.map((p) => p.message.split('`')[1]),
      ['nmae'],
    );
    assert.equal(undeclared[0].range.start.line, 8);
    assert.equal(undeclared[0].range.start.character, 18);
    const unused = a.problems.filter((p) => p.code === 'unused-variable').map((p) => p.message.split('`')[1]);
    assert.deepEqual(unused, ['unused']);
  });

  it('knows JSON Schema inputs and defaults', () => {
    const text =
      '---\nmodel: x\ninput:\n  schema:\n    type: object\n    properties:\n      topic: {type: string}\n  default:\n    tone: warm\n---\n{{topic}} in a {{tone}} tone\n';
    assert.deepEqual(codes(text), []);
  });

  it('rejects roles other than system/user/model and unknown helpers', () => {
    const c = codes('---\nmodel: x\n---\n{{role "assistant"}}\nhi {{shout name}}\n');
    assert.ok(c.includes('role'));
    assert.ok(c.includes('unknown-helper'));
  });

  it('checks partials and media against the workspace', () => {
    const text =
      '---\nmodel: x\n---\n{{> header}}\n{{media url="./cat.png"}}\n{{media url="https://example.com/a.png"}}\n';
    const c = codes(text, { partialExists: () => false, fileExists: () => false });
    assert.ok(c.includes('unknown-partial'));
    assert.ok(c.includes('media-missing'));
    assert.equal(c.filter((x) => x === 'media').length, 1, 'http URLs are refused');
    assert.ok(!codes(text, { partialExists: () => true, fileExists: () => true }).includes('media-missing'));
  });

  it('checks tools against toolDefs', () => {
    const c = codes(
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\ntools: [get_weather, lookup]\ntoolDefs:\n  - name: get_weather\n    description: Weather\n---\nhi\n',
    );
    assert.deepEqual(c, ['tool']);
  });

  describe('against the catalogue', () => {
    const fm = (modelId: string, extra: Partial<FoundationModel> = {}) =>
      foundationModel(modelId, { provider: 'X', ...extra });
    const catalogue: Pick<
      Catalogue,
      'foundationModels' | 'inferenceProfiles' | 'customModels' | 'provisionedThroughputs'
    > = {
      foundationModels: {
        items: [
          fm('anthropic.claude-3-haiku-20240307-v1:0', { inputModalities: ['TEXT', 'IMAGE'] }),
          fm('meta.llama3-8b-instruct-v1:0'),
          fm('anthropic.claude-sonnet-4-20250514-v1:0', { inferenceTypes: ['INFERENCE_PROFILE'] }),
          fm('amazon.titan-embed-text-v2:0', { outputModalities: ['EMBEDDING'] }),
        ],
      },
      inferenceProfiles: {
        items: [
          {
            id: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
            arn: 'arn:x',
            name: 'US Sonnet 4',
            type: 'SYSTEM_DEFINED',
            status: 'ACTIVE',
            modelIds: ['anthropic.claude-sonnet-4-20250514-v1:0'],
            regions: ['us-east-1'],
          },
        ],
      },
      customModels: { items: [] },
      provisionedThroughputs: { items: [] },
    };
    const withModel = (m: string, body = 'hi') => `---\nmodel: ${m}\n---\n${body}\n`;

    it('flags a model the account does not list, with the closest id', () => {
      const a = analyzePrompt(withModel('anthropic.claude-3-haiku-20240307-v2:0'), { catalogue });
      const p = a.problems.find((x) => x.code === 'unknown-model');
      assert.match(p?.message ?? '', /Did you mean `anthropic.claude-3-haiku-20240307-v1:0`/);
      assert.deepEqual(p?.range.start, { line: 1, character: 7 });
    });

    it('accepts profiles and the bedrock/ prefix', () => {
      assert.deepEqual(codes(withModel('us.anthropic.claude-sonnet-4-20250514-v1:0'), { catalogue }), []);
      assert.deepEqual(codes(withModel('bedrock/anthropic.claude-3-haiku-20240307-v1:0'), { catalogue }), []);
    });

    it('flags what the model cannot take', () => {
      assert.ok(
        codes(withModel('meta.llama3-8b-instruct-v1:0', '{{media url="a.png"}}'), {
          catalogue,
          fileExists: () => true,
        }).includes('model-capability'),
      );
      assert.ok(codes(withModel('amazon.titan-embed-text-v2:0'), { catalogue }).includes('model-capability'));
      assert.ok(codes(withModel('anthropic.claude-sonnet-4-20250514-v1:0'), { catalogue }).includes('needs-profile'));
      assert.ok(
        codes(withModel('amazon.titan-text-express-v1', '{{role "system"}}be nice{{role "user"}}hi')).includes(
          'model-capability',
        ),
      );
    });
  });
});

describe('rendering to a Converse request', () => {
  it('bedrock.effort goes to outputConfig.effort (beside structured output), toolDefs strict to toolSpec.strict', async () => {
    const text =
      '---\nmodel: anthropic.claude-sonnet-4-5-20250929-v1:0\nbedrock.effort: high\ntools: [lookup]\ntoolDefs:\n  - name: lookup\n    description: Looks up.\n    strict: true\n    inputSchema:\n      word: string\noutput:\n  format: json\n  schema:\n    answer: string\n---\nLook up tea.\n';
    const { request } = await renderPrompt(text, {}, noFiles);
    assert.equal(request.outputConfig?.effort, 'high');
    assert.equal(request.outputConfig?.textFormat?.type, 'json_schema', 'structured output kept beside it');
    const spec = request.toolConfig?.tools?.[0];
    assert.equal(spec && 'toolSpec' in spec ? spec.toolSpec?.strict : undefined, true);
    const plain = await renderPrompt('---\nmodel: amazon.nova-micro-v1:0\n---\nHi\n', {}, noFiles);
    assert.equal(plain.request.outputConfig, undefined);
    assert.ok(
      analyzePrompt('---\nmodel: amazon.nova-micro-v1:0\nbedrock.effort: extreme\n---\nHi\n').problems.some(
        (p) => p.message === '`bedrock.effort` must be one of low, medium, high, xhigh, max; found "extreme".',
      ),
    );
  });

  it('maps roles, config and system exactly', async () => {
    const text =
      '---\nmodel: bedrock/anthropic.claude-3-haiku-20240307-v1:0\nconfig:\n  temperature: 0.2\n  maxOutputTokens: 300\n  topP: 0.9\n  topK: 40\n  stopSequences: ["END"]\ninput:\n  default:\n    name: World\n---\n{{role "system"}}\nYou are terse.\n\n{{role "user"}}\nHello {{name}}!\n{{role "model"}}\nHi.\n{{role "user"}}\nAgain\n';
    const { request } = await renderPrompt(text, {}, noFiles);
    assert.deepEqual(request, {
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      system: [{ text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hello World!' }] },
        { role: 'assistant', content: [{ text: 'Hi.' }] },
        { role: 'user', content: [{ text: 'Again' }] },
      ],
      inferenceConfig: { temperature: 0.2, maxTokens: 300, topP: 0.9, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 40 },
    });
  });

  it('maps the bedrock.* options', async () => {
    const text = [
      '---',
      'model: us.amazon.nova-lite-v1:0',
      'config: {topK: 20}',
      'bedrock.guardrail: {identifier: gr-123, version: "2", trace: enabled}',
      'bedrock.performanceConfig: {latency: optimized}',
      'bedrock.requestMetadata: {team: search}',
      'bedrock.additionalModelRequestFields: {foo: 1}',
      'bedrock.cachePoints: [system, messages]',
      '---',
      '{{role "system"}}sys{{role "user"}}hi',
    ].join('\n');
    const { request } = await renderPrompt(text, {}, noFiles);
    assert.deepEqual(request.guardrailConfig, {
      guardrailIdentifier: 'gr-123',
      guardrailVersion: '2',
      trace: 'enabled',
    });
    assert.deepEqual(request.performanceConfig, { latency: 'optimized' });
    assert.deepEqual(request.requestMetadata, { team: 'search' });
    assert.deepEqual(request.additionalModelRequestFields, { foo: 1, inferenceConfig: { topK: 20 } });
    assert.deepEqual(request.system, [{ text: 'sys' }, { cachePoint: { type: 'default' } }]);
    assert.deepEqual(request.messages?.[0].content, [{ text: 'hi' }, { cachePoint: { type: 'default' } }]);
  });

  it('builds tools from toolDefs (Picoschema) and the tool choice', async () => {
    const text =
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\ntools: [get_weather]\ntoolDefs:\n  - name: get_weather\n    description: Current weather\n    inputSchema:\n      city: string, the city\nbedrock.toolChoice: get_weather\n---\nWeather in Paris?\n';
    const { request } = await renderPrompt(text, {}, noFiles);
    assert.deepEqual(request.toolConfig, {
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Current weather',
            inputSchema: {
              json: {
                type: 'object',
                properties: { city: { type: 'string', description: 'the city' } },
                required: ['city'],
                additionalProperties: false,
              },
            },
          },
        },
      ],
      toolChoice: { tool: { name: 'get_weather' } },
    });
  });

  it('sends workspace media as bytes with the right format, and s3 URIs as locations', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const text =
      '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\n---\nWhat is this?\n{{media url="img/cat.png"}}\n{{media url="docs/spec%20(v2).pdf"}}\n{{media url="s3://bucket/a.jpg"}}\n';
    const { request } = await renderPrompt(text, {}, files({ 'img/cat.png': png, 'docs/spec (v2).pdf': '%PDF-1.4' }));
    const content = request.messages?.[0].content ?? [];
    assert.deepEqual(content[0], { text: 'What is this?' });
    assert.deepEqual(content[1], { image: { format: 'png', source: { bytes: png } } });
    assert.equal((content[2] as { document: { format: string; name: string } }).document.format, 'pdf');
    assert.equal((content[2] as { document: { name: string } }).document.name, 'spec (v2)');
    assert.deepEqual(content[3], { image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/a.jpg' } } } });
  });

  it('refuses what the service would refuse, with the fix', async () => {
    const big = new Uint8Array(4_000_000);
    await assert.rejects(
      renderPrompt('---\nmodel: m\n---\n{{media url="a.png"}}', {}, files({ 'a.png': big })),
      /up to 3.75 MB/,
    );
    await assert.rejects(
      renderPrompt('---\nmodel: m\n---\n{{role "model"}}hi{{role "user"}}x', {}, noFiles),
      /must start with a user turn/,
    );
    await assert.rejects(
      renderPrompt('---\nconfig: {}\n---\nhi', {}, noFiles),
      (e: Error) => e instanceof RenderError && /names no model/.test(e.message),
    );
    await assert.rejects(renderPrompt('---\nmodel: m\n---\n{{> missing}}', {}, noFiles), /Unknown partial `missing`/);
  });

  it('json output asks for JSON matching the schema (models without structured output)', async () => {
    const r = await renderPrompt(
      '---\nmodel: m\noutput:\n  format: json\n  schema:\n    label: string\n---\nClassify: x',
      {},
      noFiles,
    );
    assert.equal(r.request.outputConfig, undefined);
    assert.equal(r.structuredOutput, false);
    assert.equal(r.outputFormat, 'json');
    const last = r.request.messages?.[0].content?.at(-1) as { text: string };
    assert.match(last.text, /Respond with JSON only/);
    assert.match(last.text, /"label"/);
  });

  // Cases from the Dotprompt specification (google/dotprompt spec/variables.yaml, spec/partials.yaml):
  // the text Bedrock receives is Dotprompt's rendered text with the message's edges trimmed.
  const specCases: {
    name: string;
    template: string;
    input?: Record<string, unknown>;
    defaults?: Record<string, unknown>;
    partials?: Record<string, string>;
    expect: string;
  }[] = [
    {
      name: 'variables/basic: provided variable',
      template: 'Hello, {{name}}!\n',
      input: { name: 'Michael' },
      expect: 'Hello, Michael!',
    },
    {
      name: 'variables/basic: default variable',
      template: 'Hello, {{name}}!\n',
      defaults: { name: 'User' },
      expect: 'Hello, User!',
    },
    {
      name: 'variables/basic: provided overrides default',
      template: 'Hello, {{name}}!\n',
      input: { name: 'Pavel' },
      defaults: { name: 'User' },
      expect: 'Hello, Pavel!',
    },
    {
      name: 'variables/basic: does not escape HTML',
      template: 'Hello, {{name}}!\n',
      input: { name: '<b>Pavel</b>' },
      expect: 'Hello, <b>Pavel</b>!',
    },
    {
      name: 'partials/basic_partial',
      template: '{{> greeting}} This is the main template.\n',
      partials: { greeting: 'Hello from a partial!' },
      expect: 'Hello from a partial! This is the main template.',
    },
    {
      name: 'partials/partial_name_with_full_regex',
      template: '{{> topic-2.sub_topic}} This is the main template.\n',
      partials: { 'topic-2.sub_topic': 'Hello from a complex-named partial!' },
      expect: 'Hello from a complex-named partial! This is the main template.',
    },
    {
      name: 'partials/partial_with_context',
      template: '{{> userGreeting name=username}}\n',
      input: { username: 'Alice' },
      partials: { userGreeting: 'Welcome back, {{name}}!' },
      expect: 'Welcome back, Alice!',
    },
    {
      name: 'partials/nested_resolved_partial',
      template: '{{> resolvedOuter}}\n',
      partials: { resolvedOuter: 'Hello from {{> resolvedInner}}!', resolvedInner: 'a nested resolved partial' },
      expect: 'Hello from a nested resolved partial!',
    },
    {
      name: 'partials/partial_with_license_header',
      template: '{{> licensedPartial name="World"}}\n',
      partials: { licensedPartial: '{{!--\n  Copyright 2025 Google LLC\n--}}\nHello, {{name}}!\n' },
      expect: 'Hello, World!',
    },
    {
      name: 'partials/partial_with_hash_comment',
      template: '{{> hashPartial}}\n',
      partials: { hashPartial: '# This is NOT a comment in partials\nContent here.\n' },
      expect: '# This is NOT a comment in partials\nContent here.',
    },
  ];
  for (const c of specCases) {
    it(`Dotprompt spec: ${c.name}`, async () => {
      const defaults = c.defaults
        ? `input:\n  default:\n${Object.entries(c.defaults)
            .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
            .join('\n')}\n`
        : '';
      const text = `---\nmodel: m\n${defaults}---\n${c.template}`;
      const { request } = await renderPrompt(text, c.input ?? {}, files({}, c.partials));
      assert.deepEqual(request.messages, [{ role: 'user', content: [{ text: c.expect }] }]);
    });
  }
});

describe('the conversation in the file', () => {
  it('escapes model text so it is sent back verbatim', async () => {
    const answer = 'Use {{name}} or \\{{x}} and {{{raw}}} -- }}';
    const doc = `---\nmodel: m\n---\nQ\n${modelTurnPrefix('Q\n')}${escapeTemplateText(answer)}${modelTurnSuffix('complete')}Next`;
    const { request } = await renderPrompt(doc, {}, noFiles);
    assert.deepEqual(
      request.messages?.map((m) => m.content?.[0]),
      [{ text: 'Q' }, { text: answer }, { text: 'Next' }],
    );
  });

  it('marks a stopped answer with a comment that is not sent', async () => {
    const doc = `---\nmodel: m\n---\nQ${modelTurnPrefix('Q')}partial${modelTurnSuffix('stopped')}more`;
    assert.match(doc, /\{\{!-- bedrock: stopped by the user; the answer above is partial --\}\}/);
    const { request } = await renderPrompt(doc, {}, noFiles);
    assert.deepEqual(request.messages?.[1], { role: 'assistant', content: [{ text: 'partial' }] });
  });
});

describe('partials in the analysis', () => {
  it('counts variables used in a partial, but not its helpers', () => {
    const a = analyzePrompt(
      '---\nmodel: m\ninput:\n  schema:\n    tone: string\n---\n{{> voice}}\n{{role "user"}}\nhi\n',
      {
        partialExists: () => true,
        partialTemplates: { voice: '{{role "system"}}\nSpeak in a {{tone}} tone. {{#if x}}{{/if}}' },
      },
    );
    // `x` is only tested: a hint that it is undeclared, never a warning, and never required.
    assert.deepEqual(
      a.problems.filter((p) => p.severity !== 'info'),
      [],
    );
    assert.deepEqual(a.variables.map((v) => v.name).sort(), ['tone', 'x']);
    assert.deepEqual(a.requiredInputs, ['tone']);
  });
});

describe('an empty last user turn', () => {
  it('asks for the next message instead of sending a conversation that ends with the model', async () => {
    const doc = `---\nmodel: m\n---\nQ${modelTurnPrefix('Q')}answer${modelTurnSuffix('complete')}`;
    await assert.rejects(renderPrompt(doc, {}, noFiles), /type your next message below the last/);
  });
});

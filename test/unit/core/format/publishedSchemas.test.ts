// The published JSON Schemas (docs/prompt-frontmatter.schema.json, docs/prompt-tests.schema.json): checked as a YAML
// language server would use it (a plain Ajv on the parsed YAML), beside what the analysis says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { splitPrompt } from '../../../../src/core/format/document';
import { childKeysAt, keySpecAt } from '../../../../src/core/format/schema';
import { parseTestFile } from '../../../../src/core/format/testCases';
import { REPO_ROOT } from '../../../host/codeServer';

const schema = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'docs', 'prompt-frontmatter.schema.json'), 'utf8'),
) as object;

describe('the frontmatter JSON Schema (docs/prompt-frontmatter.schema.json)', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

  it('is strict JSON Schema that accepts every example prompt', () => {
    const examples = path.join(REPO_ROOT, 'examples');
    const prompts = readdirSync(examples).filter((f) => f.endsWith('.prompt'));
    assert.ok(prompts.length >= 5);
    for (const f of prompts) {
      const fm = splitPrompt(readFileSync(path.join(examples, f), 'utf8')).frontmatter;
      const data = (parseYaml(fm?.text ?? '') ?? {}) as object;
      assert.ok(validate(data), `${f}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('rejects what the analysis rejects, and drives completion and hover', () => {
    const fm = { config: { temperature: 2 }, 'bedrock.serviceTier': 'fastest' };
    assert.equal(validate(fm), false);
    const problems = analyzePrompt(
      '---\nmodel: amazon.nova-micro-v1:0\nconfig:\n  temperature: 2\nbedrock.serviceTier: fastest\n---\nHi\n',
    ).problems.map((p) => p.message);
    assert.ok(problems.includes('`config.temperature` must be between 0 and 1; found 2.'), problems.join('\n'));
    assert.ok(
      problems.includes('`bedrock.serviceTier` must be one of default, priority, flex, reserved; found "fastest".'),
      problems.join('\n'),
    );
    assert.deepEqual(keySpecAt('bedrock.serviceTier')?.values, ['default', 'priority', 'flex', 'reserved']);
    assert.match(keySpecAt(['config', 'topK'])?.doc ?? '', /additionalModelRequestFields/);
    assert.deepEqual(Object.keys(childKeysAt(['bedrock.guardrail']) ?? {}), [
      'identifier',
      'version',
      'trace',
      'streamProcessingMode',
    ]);
  });
});

describe('the tests-file JSON Schema (docs/prompt-tests.schema.json)', () => {
  const testsSchema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'prompt-tests.schema.json'), 'utf8')) as {
    definitions: { assertion: { properties: Record<string, unknown> } };
  };
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(testsSchema);

  it('accepts the example tests files, as the parser does', () => {
    const examples = path.join(REPO_ROOT, 'examples');
    for (const f of readdirSync(examples).filter((n) => n.endsWith('.tests.yaml'))) {
      const text = readFileSync(path.join(examples, f), 'utf8');
      assert.ok(validate(parseYaml(text)), `${f}: ${JSON.stringify(validate.errors)}`);
      assert.deepEqual(parseTestFile(text).problems, [], f);
    }
  });

  it('every assertion kind it lists is one the parser reads, and both refuse the same mistakes', () => {
    const sample: Record<string, unknown> = {
      json: true,
      schema: true,
      regex: '^a',
      maxLatencyMs: 1,
      maxCostUsd: 1,
      maxOutputTokens: 1,
      guardrail: 'intervenes',
      calls: ['lookup_order', 'refund'],
    };
    const kinds = Object.keys(testsSchema.definitions.assertion.properties);
    assert.equal(kinds.length, 15);
    for (const kind of kinds) {
      const text = `judge: j\ncases:\n  - name: c\n    assert:\n      - ${kind}: ${JSON.stringify(sample[kind] ?? 'x')}\n`;
      assert.ok(validate(parseYaml(text)), `${kind}: ${JSON.stringify(validate.errors)}`);
      const parsed = parseTestFile(text);
      assert.deepEqual(parsed.problems, [], kind);
      assert.equal(parsed.cases[0].assertions[0].kind, kind);
    }
    for (const bad of [
      'cases:\n  - name: c\n    assert:\n      - contain: x\n',
      'cases:\n  - name: c\n    assert:\n      - json: false\n',
      'cases:\n  - name: c\n    assert:\n      - maxCostUsd: -1\n',
      'cases:\n  - name: c\n    assert:\n      - guardrail: blocks\n',
      'cases:\n  - name: c\n    assert:\n      - calls: []\n',
      'cases:\n  - name: c\n    asert:\n      - contains: x\n',
      'cases:\n  - name: c\n    assert: []\n',
      'model: 3\ncases: []\n',
    ]) {
      assert.equal(validate(parseYaml(bad)), false, bad);
      assert.ok(parseTestFile(bad).problems.length > 0, bad);
    }
  });
});

// docs/prompt-frontmatter.schema.json is the one source of the frontmatter keys: checked here as a YAML
// language server would use it (a plain Ajv on the parsed YAML), beside what the analysis says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { splitPrompt } from '../../../../src/core/format/document';
import { childKeysAt, keySpecAt } from '../../../../src/core/format/schema';
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
      problems.includes('`bedrock.serviceTier` must be one of default, priority, flex; found "fastest".'),
      problems.join('\n'),
    );
    assert.deepEqual(keySpecAt('bedrock.serviceTier')?.values, ['default', 'priority', 'flex']);
    assert.match(keySpecAt(['config', 'topK'])?.doc ?? '', /additionalModelRequestFields/);
    assert.deepEqual(Object.keys(childKeysAt(['bedrock.guardrail']) ?? {}), [
      'identifier',
      'version',
      'trace',
      'streamProcessingMode',
    ]);
  });
});

// `prompt-lab dataset`: the real binary builds a customization dataset from a folder, reading what it wrote
// (train.jsonl, validation.jsonl, the report) and what it refused (secrets, ignored files, outside paths).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promptLab } from './promptLab';

const NOVA = 'amazon.nova-lite-v1:0:300k';
const LEAK = 'my key is AKIAQWERTYUIOPASDFGH and wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';

describe('prompt-lab dataset (the real binary)', () => {
  let dir: string;
  const dataset = (...args: string[]) => promptLab(['dataset', ...args], { cwd: dir });

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-dataset-'));
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(
      path.join(dir, 'data', 'math.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\n---\n{{role "user"}}\nWhat is 2+2?\n{{role "model"}}\nFour.\n',
    );
    const pairs = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ prompt: `Capital number ${i}?`, completion: `City ${i}.` }),
    );
    writeFileSync(path.join(dir, 'data', 'pairs.jsonl'), `${pairs.join('\n')}\n`);
    // Ignored by git: never read, even though it holds a secret.
    writeFileSync(path.join(dir, '.gitignore'), 'data/private/\n');
    mkdirSync(path.join(dir, 'data', 'private'));
    writeFileSync(
      path.join(dir, 'data', 'private', 'keys.jsonl'),
      `${JSON.stringify({ prompt: 'key?', completion: LEAK })}\n`,
    );
    // A link inside the folder to a file outside it: never read.
    const outside = mkdtempSync(path.join(os.tmpdir(), 'bpl-cli-dataset-outside-'));
    writeFileSync(path.join(outside, 'keys.jsonl'), `${JSON.stringify({ prompt: 'key?', completion: LEAK })}\n`);
    symlinkSync(path.join(outside, 'keys.jsonl'), path.join(dir, 'data', 'linked.jsonl'));
    mkdirSync(path.join(dir, 'leaky'));
    writeFileSync(path.join(dir, 'leaky', 'notes.jsonl'), `${JSON.stringify({ prompt: 'key?', completion: LEAK })}\n`);
  });

  it('builds train and validation JSONL and the report from the files of a folder, skipping what git ignores', async () => {
    const r = await dataset('data', '--model', NOVA, '-o', 'out', '--validation-split', '0.2', '--seed', '7');
    assert.equal(r.code, 0, r.stderr);
    const read = (f: string) =>
      readFileSync(path.join(dir, 'out', f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(
          (l) => JSON.parse(l) as { schemaVersion: string; messages: { role: string; content: { text: string }[] }[] },
        );
    const train = read('train.jsonl');
    const validation = read('validation.jsonl');
    assert.equal(train.length + validation.length, 13, 'twelve pairs and the rendered prompt');
    assert.ok(validation.length > 0);
    assert.ok(train.every((t) => t.schemaVersion === 'bedrock-conversation-2024'));
    const texts = [...train, ...validation].map((t) => t.messages.map((m) => m.content[0].text).join(' | '));
    assert.ok(texts.includes('What is 2+2? | Four.'), texts.join('\n'));
    const report = readFileSync(path.join(dir, 'out', 'dataset-report.md'), 'utf8');
    assert.doesNotMatch(report, /private|keys\.jsonl|linked\.jsonl/);
    assert.match(
      r.stderr,
      new RegExp(
        `fine-tuning dataset for ${NOVA.replace(/[.:]/g, '\\$&')}: ${train.length} training and ${validation.length} validation records from 2 files in out \\(report: out/dataset-report\\.md\\)`,
      ),
    );
    // The same seed gives the same split.
    const again = await dataset('data', '--model', NOVA, '-o', 'again', '--validation-split', '0.2', '--seed', '7');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      readFileSync(path.join(dir, 'again', 'train.jsonl'), 'utf8'),
      readFileSync(path.join(dir, 'out', 'train.jsonl'), 'utf8'),
    );
  });

  it('a secret stops the build (exit 1, nothing written but the report); --secrets redact masks it', async () => {
    const blocked = await dataset('data', 'leaky', '--model', NOVA, '-o', 'blocked');
    assert.equal(blocked.code, 1, blocked.stderr);
    assert.match(
      blocked.stderr,
      /^prompt-lab: the fine-tuning dataset was not built: 1 secret found \(first: AWS access key id in leaky\/notes\.jsonl:1\)\. Nothing was written: remove them, or build again with --secrets redact\. \(report: blocked\/dataset-report\.md\)$/m,
    );
    assert.equal(existsSync(path.join(dir, 'blocked', 'train.jsonl')), false);
    const redacted = await dataset('data', 'leaky', '--model', NOVA, '-o', 'redacted', '--json');
    assert.equal(redacted.code, 1, 'still blocked without --secrets redact');
    const masked = await dataset('data', 'leaky', '--model', NOVA, '-o', 'masked', '--secrets', 'redact', '--json');
    assert.equal(masked.code, 0, masked.stderr);
    const report = JSON.parse(masked.stdout) as {
      ok: boolean;
      secretsRedacted: boolean;
      train: number;
      validation: number;
    };
    assert.equal(report.ok, true);
    assert.equal(report.secretsRedacted, true);
    const written =
      readFileSync(path.join(dir, 'masked', 'train.jsonl'), 'utf8') +
      readFileSync(path.join(dir, 'masked', 'validation.jsonl'), 'utf8').toString();
    assert.doesNotMatch(written, /AKIAQWERTYUIOPASDFGH/);
    assert.match(written, /\[REDACTED /);
  });

  it('exits 2 for a model Bedrock cannot customize that way, a path outside the folder, and a bad split', async () => {
    const wrong = await dataset(
      'data',
      '--model',
      'anthropic.claude-3-haiku-20240307-v1:0',
      '--type',
      'continued-pretraining',
    );
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(
      wrong.stderr,
      /Bedrock does not offer continued pre-training for anthropic\.claude-3-haiku-20240307-v1:0/,
    );
    const outside = await dataset(os.tmpdir(), '--model', NOVA);
    assert.equal(outside.code, 2, outside.stderr);
    assert.match(
      outside.stderr,
      /is outside the working folder: datasets are built from the files of the folder prompt-lab runs in/,
    );
    const linked = await dataset('data/linked.jsonl', '--model', NOVA, '-o', 'linked');
    assert.equal(linked.code, 2, linked.stderr);
    assert.match(linked.stderr, /No source files matched/);
    const split = await dataset('data', '--model', NOVA, '--validation-split', '0.9');
    assert.equal(split.code, 2, split.stderr);
    assert.match(split.stderr, /--validation-split 0\.9: give a share from 0 to 0\.5\./);
  });

  it('--type distillation: prompt files without answers become prompts for the teacher; too few is refused', async () => {
    mkdirSync(path.join(dir, 'distil'));
    for (let i = 0; i < 100; i++)
      writeFileSync(
        path.join(dir, 'distil', `q${i}.prompt`),
        `---\nmodel: amazon.nova-lite-v1:0\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nWhy is question ${i} hard?\n`,
      );
    const r = await dataset('distil', '--model', NOVA, '--type', 'distillation', '-o', 'distil-out');
    assert.equal(r.code, 0, r.stderr);
    const records = readFileSync(path.join(dir, 'distil-out', 'train.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records.length, 100);
    assert.deepEqual(
      records.find((x) => x.messages[0].content[0].text === 'Why is question 7 hard?'),
      {
        schemaVersion: 'bedrock-conversation-2024',
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: 'Why is question 7 hard?' }] }],
      },
    );
    assert.equal(
      existsSync(path.join(dir, 'distil-out', 'validation.jsonl')),
      false,
      'distillation takes no validation file',
    );
    assert.match(
      r.stderr,
      /distillation dataset for amazon\.nova-lite-v1:0:300k: 100 training and 0 validation records/,
    );
    const few = await dataset('distil/q1.prompt', '--model', NOVA, '--type', 'distillation', '-o', 'few');
    assert.equal(few.code, 1, few.stderr);
    assert.match(few.stderr, /the distillation dataset was not built: .*100/);
  });

  it('--type reinforcement-fine-tuning: rows with a reference answer, written as chat messages and reference_answer', async () => {
    mkdirSync(path.join(dir, 'rft'));
    writeFileSync(
      path.join(dir, 'rft', 'maths.jsonl'),
      Array.from({ length: 100 }, (_, i) =>
        JSON.stringify({
          messages: [
            { role: 'system', content: 'Answer with a number.' },
            { role: 'user', content: `What is ${i} + 1?` },
          ],
          reference_answer: { value: i + 1 },
        }),
      ).join('\n'),
    );
    const r = await dataset(
      'rft',
      '--model',
      'amazon.nova-2-lite-v1:0',
      '--type',
      'reinforcement-fine-tuning',
      '-o',
      'rft-out',
    );
    assert.equal(r.code, 0, r.stderr);
    const first = readFileSync(path.join(dir, 'rft-out', 'train.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((x) => x.messages[1].content === 'What is 3 + 1?');
    assert.deepEqual(first, {
      messages: [
        { role: 'system', content: 'Answer with a number.' },
        { role: 'user', content: 'What is 3 + 1?' },
      ],
      reference_answer: { value: 4 },
    });
    const wrong = await dataset('rft', '--model', NOVA, '--type', 'reinforcement-fine-tuning');
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /Bedrock does not offer reinforcement fine-tuning for amazon\.nova-lite-v1:0:300k/);
  });
});

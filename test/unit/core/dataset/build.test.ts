import assert from 'node:assert/strict';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDataset, goesToValidation, reportMarkdown, type BuildOptions } from '../../../../src/core/dataset/build';
import { datasetRulesFor } from '../../../../src/core/models/registry';
import { chunkText, conversationFromRequest, formatRecord } from '../../../../src/core/dataset/records';
import { redactSecrets, scanSecrets } from '../../../../src/core/safety/secrets';
import { readTextFile } from '../../../../src/core/io/readText';
import { JOURNAL, recoverOutput } from '../../../../src/core/dataset/outputFiles';
import type { DatasetFile } from '../../../../src/core/dataset/sources';
import { renderForDataset } from '../../../../src/core/format/render';

const mem = (files: Record<string, string>): DatasetFile[] =>
  Object.entries(files).map(([p, t]) => ({ path: p, read: async () => t }));
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bpl-ds-'));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

function opts(
  modelId: string,
  customization: 'FINE_TUNING' | 'CONTINUED_PRE_TRAINING' = 'FINE_TUNING',
  extra: Partial<BuildOptions> = {},
): BuildOptions {
  const rules = datasetRulesFor(modelId, customization);
  if (!rules) throw new Error(`no rules for ${modelId}`);
  return {
    rules,
    modelId,
    outputDir: tmp(),
    validationSplit: 0,
    seed: 42,
    secrets: 'block',
    source: {
      renderPrompt: async (text) =>
        conversationFromRequest(
          await renderForDataset(text, { readBytes: async () => new Uint8Array(), readPartial: async () => undefined }),
        ),
    },
    ...extra,
  };
}

const qa = (n: number, prefix = 'q') =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ prompt: `${prefix} question ${i}?`, completion: `answer ${i}.` }),
  ).join('\n');

describe('datasets: formats', () => {
  it('writes each Bedrock format exactly', () => {
    const conv = {
      kind: 'conversation' as const,
      path: 'a',
      line: 1,
      system: 'Be kind.',
      turns: [
        { role: 'user' as const, text: 'Hi' },
        { role: 'assistant' as const, text: 'Hello!' },
      ],
    };
    assert.deepEqual(
      JSON.parse(
        (formatRecord(conv, datasetRulesFor('amazon.titan-text-express-v1:0:8k', 'FINE_TUNING')!) as { line: string })
          .line,
      ),
      { prompt: 'Be kind.\n\nHi', completion: 'Hello!' },
    );
    assert.deepEqual(
      JSON.parse(
        (
          formatRecord(conv, datasetRulesFor('anthropic.claude-3-haiku-20240307-v1:0:200k', 'FINE_TUNING')!) as {
            line: string;
          }
        ).line,
      ),
      {
        system: 'Be kind.',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
      },
    );
    assert.deepEqual(
      JSON.parse(
        (formatRecord(conv, datasetRulesFor('amazon.nova-lite-v1:0:300k', 'FINE_TUNING')!) as { line: string }).line,
      ),
      {
        schemaVersion: 'bedrock-conversation-2024',
        system: [{ text: 'Be kind.' }],
        messages: [
          { role: 'user', content: [{ text: 'Hi' }] },
          { role: 'assistant', content: [{ text: 'Hello!' }] },
        ],
      },
    );
    assert.deepEqual(
      JSON.parse(
        (
          formatRecord(
            { kind: 'text', path: 'a', line: 1, text: 'AWS stands for Amazon Web Services' },
            datasetRulesFor('amazon.titan-text-lite-v1:0:4k', 'CONTINUED_PRE_TRAINING')!,
          ) as { line: string }
        ).line,
      ),
      { input: 'AWS stands for Amazon Web Services' },
    );
    assert.deepEqual(
      JSON.parse(
        (
          formatRecord(
            { kind: 'image', path: 'a', line: 1, imageRef: 's3://bucket/img/cat.png', caption: 'an orange cat' },
            datasetRulesFor('amazon.titan-image-generator-v2:0', 'FINE_TUNING')!,
          ) as { line: string }
        ).line,
      ),
      { 'image-ref': 's3://bucket/img/cat.png', caption: 'an orange cat' },
    );
  });

  it('knows which models can be customized how', () => {
    assert.equal(datasetRulesFor('meta.llama3-3-70b-instruct-v1:0', 'FINE_TUNING')?.format, 'bedrock-conversation');
    assert.equal(datasetRulesFor('meta.llama3-1-8b-instruct-v1:0:128k', 'FINE_TUNING')?.format, 'prompt-completion');
    assert.equal(datasetRulesFor('amazon.nova-pro-v1:0', 'CONTINUED_PRE_TRAINING'), undefined);
    assert.equal(datasetRulesFor('anthropic.claude-sonnet-4-20250514-v1:0', 'FINE_TUNING'), undefined);
  });

  it('rejects records against the model rules, naming the problem', () => {
    const nova = datasetRulesFor('amazon.nova-micro-v1:0', 'FINE_TUNING')!;
    const bad = formatRecord(
      {
        kind: 'conversation',
        path: 'x.jsonl',
        line: 7,
        turns: [
          { role: 'user', text: 'User: hi' },
          { role: 'assistant', text: 'ok' },
        ],
      },
      nova,
    );
    assert.deepEqual(bad, {
      path: 'x.jsonl',
      line: 7,
      message:
        'Contains "User:", which Amazon Nova does not allow in training text (it reads it as a role marker). Rephrase it.',
    });
    const llama = datasetRulesFor('meta.llama3-1-8b-instruct-v1:0', 'FINE_TUNING')!;
    const long = formatRecord(
      {
        kind: 'conversation',
        path: 'y',
        line: 2,
        turns: [
          { role: 'user', text: 'x'.repeat(100_000) },
          { role: 'assistant', text: 'y' },
        ],
      },
      llama,
    );
    assert.match((long as { message: string }).message, /About 16668 tokens; Meta Llama 3.1 takes at most 16000/);
    const order = formatRecord(
      {
        kind: 'conversation',
        path: 'z',
        line: 1,
        turns: [
          { role: 'assistant', text: 'a' },
          { role: 'user', text: 'b' },
        ],
      },
      nova,
    );
    assert.match((order as { message: string }).message, /start with a user turn/);
  });

  it('distillation: prompts without answers in bedrock-conversation-2024; one turn for Claude and Llama students', () => {
    const nova = datasetRulesFor('amazon.nova-lite-v1:0:300k', 'DISTILLATION')!;
    const prompt = { kind: 'conversation' as const, path: 'p.prompt', line: 1, system: 'Be brief.' };
    const onlyUser = formatRecord({ ...prompt, turns: [{ role: 'user', text: 'Why is the sky blue?' }] }, nova);
    assert.deepEqual(JSON.parse((onlyUser as { line: string }).line), {
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Why is the sky blue?' }] }],
    });
    const haiku = datasetRulesFor('anthropic.claude-3-haiku-20240307-v1:0:200k', 'DISTILLATION')!;
    const multi = formatRecord(
      {
        ...prompt,
        turns: [
          { role: 'user', text: 'a' },
          { role: 'assistant', text: 'b' },
          { role: 'user', text: 'c' },
        ],
      },
      haiku,
    );
    assert.match(
      (multi as { message: string }).message,
      /one prompt \(and at most its answer\) per record; .* 3 turns/,
    );
    assert.ok(
      'line' in
        formatRecord(
          {
            ...prompt,
            turns: [
              { role: 'user', text: 'a' },
              { role: 'assistant', text: 'b' },
              { role: 'user', text: 'c' },
            ],
          },
          nova,
        ),
      'Nova takes several turns',
    );
    assert.match(
      (formatRecord({ ...prompt, turns: [] }, nova) as { message: string }).message,
      /A prompt needs a user turn/,
    );
    assert.equal(
      datasetRulesFor('meta.llama3-1-70b-instruct-v1:0', 'DISTILLATION'),
      undefined,
      '70B is a teacher, not a student',
    );
  });

  it('reinforcement fine-tuning: OpenAI chat messages and the reference answer the grader scores against', () => {
    const rules = datasetRulesFor('amazon.nova-2-lite-v1:0', 'REINFORCEMENT_FINE_TUNING')!;
    const rec = formatRecord(
      {
        kind: 'conversation',
        path: 'r.jsonl',
        line: 3,
        system: 'Answer with a number.',
        turns: [
          { role: 'user', text: 'What is 6 x 7?' },
          { role: 'assistant', text: '42' },
        ],
      },
      rules,
    );
    assert.deepEqual(JSON.parse((rec as { line: string }).line), {
      messages: [
        { role: 'system', content: 'Answer with a number.' },
        { role: 'user', content: 'What is 6 x 7?' },
      ],
      reference_answer: '42',
    });
    const noReference = formatRecord(
      { kind: 'conversation', path: 'r.jsonl', line: 4, turns: [{ role: 'user', text: 'x' }] },
      rules,
    );
    assert.match((noReference as { message: string }).message, /needs a user turn and the answer/);
    assert.equal(datasetRulesFor('amazon.nova-lite-v1:0', 'REINFORCEMENT_FINE_TUNING'), undefined);
  });

  it('chunks text on paragraph boundaries within the limit', () => {
    const text = ['Para one is here.', 'Para two is a bit longer than one.', 'Three.', 'x'.repeat(70)].join('\n\n');
    const chunks = chunkText(text, 40);
    assert.ok(
      chunks.every((c) => c.text.length <= 40),
      JSON.stringify(chunks),
    );
    assert.equal(chunks[0].text, 'Para one is here.');
    assert.equal(chunks[1].line, 3);
    assert.equal(
      chunks
        .map((c) => c.text)
        .join('')
        .replace(/\s/g, ''),
      text.replace(/\s/g, ''),
    );
  });
});

describe('datasets: secrets', () => {
  it('finds keys, tokens and passwords by line, and redacts them', () => {
    const text =
      'line one\nkey = AKIAZ7ADS5GCLR2X4QHN\n-----BEGIN RSA PRIVATE KEY-----\ntoken ghp_abcdefghijklmnopqrstuvwxyz0123456789\npassword: "hunter22"';
    const found = scanSecrets(text, 'notes.txt');
    assert.deepEqual(
      found.map((f) => [f.kind, f.line]),
      [
        ['AWS access key id', 2],
        ['private key', 3],
        ['GitHub token', 4],
        ['password assignment', 5],
      ],
    );
    assert.ok(found.every((f) => !f.preview.includes('Z7ADS5GCLR2X')));
    assert.doesNotMatch(redactSecrets(text), /AKIAZ7ADS5GCLR2X4QHN|ghp_abc/);
  });
});

describe('datasets: building', () => {
  it('builds Claude 3 Haiku data from .prompt conversations, paired files, JSONL and CSV', async () => {
    const files = mem({
      'chats/a.prompt':
        '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nWhat is S3?\n{{role "model"}}\nObject storage.\n\n{{role "user"}}\n',
      'pairs/x.input.txt': 'Translate: chat',
      'pairs/x.output.txt': 'cat',
      'data/rows.jsonl': qa(20),
      'data/table.csv': 'question,answer\n"What, exactly?","This, exactly."\nWhy?,Because.\n',
      'notes/readme.md': '# not a source for fine-tuning\n',
    });
    const o = opts('anthropic.claude-3-haiku-20240307-v1:0:200k', 'FINE_TUNING', { validationSplit: 0 });
    o.rules = { ...o.rules, minRecords: 1 };
    const report = await buildDataset(files, o);
    assert.equal(report.ok, true, report.failure);
    const train = lines(report.trainFile!);
    assert.equal(train.length, 24);
    assert.deepEqual(train[0], {
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'What is S3?' },
        { role: 'assistant', content: 'Object storage.' },
      ],
    });
    assert.deepEqual(train[1], {
      messages: [
        { role: 'user', content: 'Translate: chat' },
        { role: 'assistant', content: 'cat' },
      ],
    });
    assert.deepEqual(train[22], {
      messages: [
        { role: 'user', content: 'What, exactly?' },
        { role: 'assistant', content: 'This, exactly.' },
      ],
    });
    assert.deepEqual(
      report.skipped.map((s) => s.path),
      ['notes/readme.md'],
    );
    assert.match(reportMarkdown(report), /\*\*Ready\*\*: 24 training and 0 validation records/);
  });

  it('removes duplicates and splits deterministically for a seed', async () => {
    const files = mem({ 'a.jsonl': qa(300), 'b.jsonl': qa(300) });
    const r1 = await buildDataset(
      files,
      opts('meta.llama3-1-8b-instruct-v1:0:128k', 'FINE_TUNING', { validationSplit: 0.2, seed: 7 }),
    );
    const r2 = await buildDataset(
      files,
      opts('meta.llama3-1-8b-instruct-v1:0:128k', 'FINE_TUNING', { validationSplit: 0.2, seed: 7 }),
    );
    assert.equal(r1.duplicates, 300);
    assert.equal(r1.train + r1.validation, 300);
    assert.ok(r1.validation > 30 && r1.validation < 90, `${r1.validation} validation records`);
    assert.equal(readFileSync(r1.validationFile!, 'utf8'), readFileSync(r2.validationFile!, 'utf8'));
    const r3 = await buildDataset(
      files,
      opts('meta.llama3-1-8b-instruct-v1:0:128k', 'FINE_TUNING', { validationSplit: 0.2, seed: 8 }),
    );
    assert.notEqual(readFileSync(r1.validationFile!, 'utf8'), readFileSync(r3.validationFile!, 'utf8'));
    assert.equal(goesToValidation('abc', 1, 0), false);
  });

  it('locates every problem and enforces record counts', async () => {
    const files = mem({
      'bad.jsonl': `${JSON.stringify({ prompt: 'a', completion: 'b' })}\n{not json}\n${JSON.stringify({ foo: 1 })}\n`,
    });
    const report = await buildDataset(files, opts('meta.llama3-1-8b-instruct-v1:0:128k'));
    assert.equal(report.ok, false);
    assert.equal(report.failure, '1 records; Meta Llama 3.1 needs at least 100.');
    assert.deepEqual(
      report.rejected.map((p) => `${p.path}:${p.line}`),
      ['bad.jsonl:2', 'bad.jsonl:3'],
    );
    assert.match(report.rejected[1].message, /Needs a prompt and a completion field/);
    assert.deepEqual(
      readdirSync(
        report.trainFile ? path.dirname(report.trainFile) : opts('meta.llama3-1-8b-instruct-v1:0:128k').outputDir,
      ),
      [],
    );
  });

  it('a planted AWS key blocks the build and nothing is written; redact mode writes it masked', async () => {
    const files = mem({
      'data.jsonl': `${qa(10)}\n${JSON.stringify({ prompt: 'my key?', completion: 'AKIAZ7ADS5GCLR2X4QHN' })}`,
    });
    const blocked = opts('amazon.nova-micro-v1:0');
    const report = await buildDataset(files, blocked);
    assert.equal(report.ok, false);
    assert.match(report.failure ?? '', /1 secret found \(first: AWS access key id in data.jsonl:11\)/);
    assert.deepEqual(readdirSync(blocked.outputDir), [], 'no file, not even a temporary one');
    const redact = await buildDataset(files, opts('amazon.nova-micro-v1:0', 'FINE_TUNING', { secrets: 'redact' }));
    assert.equal(redact.ok, true);
    const text = readFileSync(redact.trainFile!, 'utf8');
    assert.doesNotMatch(text, /AKIAZ7ADS5GCLR2X4QHN/);
    assert.match(text, /\[REDACTED AWS access key id\]/);
  });

  it('redact mode: what reached train.jsonl before (an .env split over prompt and completion, escapes, base64) is redacted', async () => {
    const secret = 'wJ8kLm2QpR7sT9vX1yZ3aB5cD7eF9gH1iJ3kL5mN';
    const token = 'ghp_Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8Vb7';
    const slashed = `${secret.slice(0, 20)}/${secret.slice(21)}`;
    const rows = [
      // One .env split over the prompt and the completion of one record.
      {
        prompt: 'Here is my .env:\nAWS_ACCESS_KEY_ID=AKIAZ7ADS5GCLR2X4QHN\naws_secret_access_',
        completion: `key=${secret}\nREGION=us-east-1`,
      },
      // An AWS secret key with a slash, written JSON-escaped (`\\/`) inside the text.
      { prompt: 'escaped?', completion: `{"aws_secret_access_key": "${slashed.replace('/', '\\/')}"}` },
      { prompt: 'split?', completion: `t = "${token.slice(0, 20)}" + "${token.slice(20)}"` },
      { prompt: 'base64?', completion: `ENV_B64=${Buffer.from(`GITHUB_TOKEN=${token}\n`).toString('base64')}` },
    ];
    const files = mem({ 'data.jsonl': `${qa(10)}\n${rows.map((r) => JSON.stringify(r)).join('\n')}` });
    const report = await buildDataset(files, opts('amazon.nova-micro-v1:0', 'FINE_TUNING', { secrets: 'redact' }));
    assert.equal(report.ok, true, report.failure);
    const text = readFileSync(report.trainFile!, 'utf8');
    for (const leak of [
      secret,
      secret.slice(0, 20),
      secret.slice(21),
      'AKIAZ7ADS5GCLR2X4QHN',
      token.slice(0, 20),
      token.slice(20),
      Buffer.from(`GITHUB_TOKEN=${token}\n`).toString('base64').slice(0, 24),
    ])
      assert.ok(!text.includes(leak), `${leak} reached train.jsonl:\n${text}`);
    assert.ok(report.secrets.length >= 5, `reported: ${report.secrets.map((f) => f.kind).join(', ')}`);
  });

  it('redact mode removes a whole private key: header, base64 body and footer, in text and inside JSON', async () => {
    const body = [
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
      'MZR9tkn7pqYh9e1kQz3xw5Wj8pX2QvU0kTt1kQm3mZ4bT7yW8zN2kQ4xV6mR3sP9',
      'aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGtleSBqdXN0IGJhc2U2NA==',
    ];
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----`;
    const redacted = redactSecrets(`config:\n${pem}\nafter`);
    assert.equal(redacted, 'config:\n[REDACTED private key]\nafter');
    // Truncated (no END line): the body goes too.
    assert.equal(redactSecrets(`${pem.split('-----END')[0]}`).trim(), '[REDACTED private key]');
    const files = mem({
      'data.jsonl': `${qa(10)}\n${JSON.stringify({ prompt: 'the deploy key?', completion: `Here:\n${pem}\nKeep it safe.` })}`,
    });
    const report = await buildDataset(files, opts('amazon.nova-micro-v1:0', 'FINE_TUNING', { secrets: 'redact' }));
    assert.equal(report.ok, true);
    const text =
      readFileSync(report.trainFile!, 'utf8') +
      (report.validationFile ? readFileSync(report.validationFile, 'utf8') : '');
    for (const line of body) assert.ok(!text.includes(line.slice(0, 20)), `a body line of the key leaked: ${line}`);
    assert.doesNotMatch(text, /END RSA PRIVATE KEY/);
    assert.match(text, /\[REDACTED private key\]\\nKeep it safe\./);
  });

  for (const where of ['read() in this thread', 'read on the scan thread (fsPath)']) {
    it(`encodings, ${where}: a BOM keeps the first row, UTF-16 with a BOM is read, invalid UTF-8 is a problem at its line`, async () => {
      const dir = tmp();
      const bom = path.join(dir, 'bom.jsonl');
      writeFileSync(bom, `\ufeff${qa(12, 'bom')}`);
      const utf16 = path.join(dir, 'u16.jsonl');
      writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(qa(12, 'utf16'), 'utf16le')]));
      const bad = path.join(dir, 'bad.jsonl');
      writeFileSync(
        bad,
        Buffer.concat([
          Buffer.from(`${qa(2)}\n{"prompt":"caf`),
          Buffer.from([0xe9]),
          Buffer.from('","completion":"x"}\n'),
        ]),
      );
      const real = (p: string): DatasetFile => ({
        path: path.basename(p),
        read: () => readTextFile(p),
        fsPath: where.includes('fsPath') ? p : undefined,
      });
      const report = await buildDataset([real(bom), real(utf16), real(bad)], opts('amazon.nova-micro-v1:0'));
      assert.equal(report.ok, true, report.failure);
      const all = lines(report.trainFile!).concat(report.validationFile ? lines(report.validationFile) : []);
      // 12 rows from each readable file; the first row of the BOM file is there.
      assert.equal(all.length, 24);
      assert.ok(JSON.stringify(all).includes('bom question 0'));
      assert.ok(JSON.stringify(all).includes('utf16 question 11'));
      assert.doesNotMatch(JSON.stringify(all), /\ufffd/);
      assert.deepEqual(
        report.rejected.map((r) => [r.path, r.line]),
        [['bad.jsonl', 3]],
      );
      assert.match(report.rejected[0].message, /line 3 has bytes that are not UTF-8: save the file as UTF-8/);
    });
  }

  it('an unreadable or folder-typed pair file is one problem with its path, not a failed build', async () => {
    const files: DatasetFile[] = [
      ...mem({ 'data.jsonl': qa(12), 'a.input.txt': 'question' }),
      {
        path: 'a.output.txt',
        read: async () =>
          Promise.reject(
            Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' }),
          ),
      },
      ...mem({ 'b.input.txt': 'q2' }),
      {
        path: 'b.output.txt',
        read: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
      },
    ];
    const report = await buildDataset(files, opts('amazon.nova-micro-v1:0'));
    assert.equal(report.ok, true, report.failure);
    assert.deepEqual(
      report.rejected.map((r) => r.message),
      [
        'a.output.txt (the pair of a.input.txt) is a folder, not a file.',
        'b.output.txt (the pair of b.input.txt) cannot be read: permission denied. Allow your user to read it, or leave it out of the sources.',
      ],
    );
    assert.doesNotMatch(JSON.stringify(report), /EISDIR|EACCES/);
  });

  it('continued pre-training chunks text and Markdown into {"input"} records', async () => {
    const para = (i: number) => `Paragraph ${i}. ${'word '.repeat(200)}`;
    const files = mem({
      'docs/guide.md': Array.from({ length: 60 }, (_, i) => para(i)).join('\n\n'),
      'docs/b.txt': 'Short text.',
    });
    const report = await buildDataset(files, opts('amazon.titan-text-express-v1:0:8k', 'CONTINUED_PRE_TRAINING'));
    assert.equal(report.ok, true, report.failure);
    const records = lines(report.trainFile!);
    assert.ok(records.length >= 3);
    assert.ok(records.every((r) => typeof r.input === 'string' && r.input.length <= 4096 * 6));
    assert.ok(records[0].input.startsWith('Paragraph 0.'));
  });

  it('a cancelled build leaves no partial file', async () => {
    const controller = new AbortController();
    const big: Record<string, string> = {};
    for (let i = 0; i < 200; i++) big[`f${i}.jsonl`] = qa(50, `f${i}`);
    const o = opts('amazon.nova-micro-v1:0', 'FINE_TUNING', {
      signal: controller.signal,
      onProgress: (done) => done > 20 && controller.abort(),
    });
    const report = await buildDataset(mem(big), o);
    assert.equal(report.ok, false);
    assert.match(report.failure ?? '', /Cancelled/);
    assert.deepEqual(readdirSync(o.outputDir), []);
    assert.equal(existsSync(path.join(o.outputDir, 'train.jsonl')), false);
  });
});

describe('datasets: the output on disk', () => {
  const records = (n: number, prefix = 'q') =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ prompt: `${prefix} question ${i}? ${'detail '.repeat(40)}`, completion: `answer ${i}.` }),
    ).join('\n');
  const build = (dir: string, extra: Partial<BuildOptions> = {}) => {
    const rules = datasetRulesFor('amazon.nova-micro-v1:0', 'FINE_TUNING')!;
    return buildDataset([{ path: 'data.jsonl', read: async () => records(200) }], {
      rules,
      modelId: 'amazon.nova-micro-v1:0',
      outputDir: dir,
      validationSplit: 0.1,
      seed: 1,
      secrets: 'block',
      source: {},
      ...extra,
    });
  };

  it('a full disk fails the build with a message, settles, and removes the temporary files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-full-'));
    // /dev/full answers every write with ENOSPC, as a full disk does.
    const report = await build(dir, { openStream: () => createWriteStream('/dev/full') });
    assert.equal(report.ok, false);
    assert.match(
      report.failure ?? '',
      /^The disk is full: the dataset could not be written to .*bpl-full-.*Free some space, or choose another output folder/,
    );
    assert.deepEqual(readdirSync(dir), [], 'no file is left, not even a temporary one');
  });

  it('an output folder that cannot be created is a message that names it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-blocked-'));
    writeFileSync(path.join(dir, 'file'), 'x');
    const report = await build(path.join(dir, 'file', 'out'));
    assert.match(
      report.failure ?? '',
      /The output folder .*file\/out cannot be created: a file is in the way \(ENOTDIR\)/,
    );
  });

  it('an interrupted commit is finished by the next build, and stale temporary files are removed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-commit-'));
    // A build killed after the journal, between its renames: its validation file is still a temp file.
    writeFileSync(path.join(dir, 'train.jsonl'), 'new train\n');
    writeFileSync(path.join(dir, 'validation.jsonl.999999.1.tmp'), 'new validation\n');
    writeFileSync(
      path.join(dir, JOURNAL),
      JSON.stringify({
        renames: [
          ['train.jsonl.999999.1.tmp', 'train.jsonl'],
          ['validation.jsonl.999999.1.tmp', 'validation.jsonl'],
        ],
      }),
    );
    // And a temp file of a build that died long ago.
    writeFileSync(path.join(dir, 'train.jsonl.999998.1.tmp'), 'junk');
    const notes = await recoverOutput(dir, () => false);
    assert.equal(readFileSync(path.join(dir, 'validation.jsonl'), 'utf8'), 'new validation\n', 'the pair is completed');
    assert.deepEqual(readdirSync(dir).sort(), ['train.jsonl', 'validation.jsonl']);
    assert.equal(notes.length, 2);
    // A real build then replaces the pair together.
    const report = await build(dir);
    assert.equal(report.ok, true, report.failure);
    assert.deepEqual(readdirSync(dir).sort(), ['train.jsonl', 'validation.jsonl']);
    const train = readFileSync(path.join(dir, 'train.jsonl'), 'utf8');
    const validation = readFileSync(path.join(dir, 'validation.jsonl'), 'utf8');
    const trainSet = new Set(train.trim().split('\n'));
    assert.ok(
      validation
        .trim()
        .split('\n')
        .every((l) => !trainSet.has(l)),
      'no record is in both files',
    );
  });
});

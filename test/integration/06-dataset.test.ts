import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { CreateDatasetOptions, CreateDatasetResult } from '../../src/vscode/commands/createDataset';
import { activateExtension, workspaceFile } from './helpers';

async function write(rel: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceFile(...rel.split('/')), Buffer.from(text));
}

const create = (o: CreateDatasetOptions) =>
  vscode.commands.executeCommand<CreateDatasetResult>(Commands.createDataset, { showReport: false, ...o });
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('fine-tuning datasets from workspace files', () => {
  before(async () => {
    await activateExtension();
    for (let i = 0; i < 12; i++) {
      await write(
        `ds/chats/c${i}.prompt`,
        `---\nmodel: amazon.nova-lite-v1:0\n---\n{{role "system"}}\nYou are terse.\n{{role "user"}}\nQuestion ${i}?\n{{role "model"}}\nAnswer ${i}.\n`,
      );
    }
    await write(
      'ds/rows.jsonl',
      Array.from({ length: 120 }, (_, i) => JSON.stringify({ prompt: `Row ${i}?`, completion: `Yes ${i}.` })).join(
        '\n',
      ),
    );
    await write(
      'ds/docs/guide.md',
      Array.from(
        { length: 40 },
        (_, i) => `Section ${i}. ${'Bedrock customizes models with your data. '.repeat(30)}`,
      ).join('\n\n'),
    );
    await write('ds/ignored/secret.jsonl', JSON.stringify({ prompt: 'key', completion: 'AKIAZ7ADS5GCLR2X4QHN' }));
    await write('.gitignore', 'ds/ignored/\n');
    // What git would not track, beyond the root .gitignore: each holds a key that must not be read.
    const key = JSON.stringify({ prompt: 'key', completion: 'AKIAZ7ADS5GCLR2X4QHN' });
    await write('ds/nested/.gitignore', 'local.jsonl\n');
    await write('ds/nested/local.jsonl', key);
    await write('ds/node_modules/pkg/data.jsonl', key);
    await write('.git/info/exclude', 'ds/excluded.jsonl\n');
    await write('ds/excluded.jsonl', key);
  });

  it('reads no file git would not track: nested .gitignore, .git/info/exclude, node_modules', async () => {
    const r = await create({
      sources: ['ds/**/*.jsonl'],
      targetModel: 'amazon.nova-lite-v1:0:300k',
      customization: 'FINE_TUNING',
      outputPath: 'out/ignored',
      validationSplit: 0,
    });
    assert.equal(r.ok, true, r.failure);
    assert.deepEqual(r.secrets, []);
    assert.equal(r.train, 120, 'only ds/rows.jsonl');
  });

  it('writes the bedrock-conversation-2024 format for Nova, every line valid, with a split', async () => {
    const r = await create({
      sources: ['ds/chats/**', 'ds/rows.jsonl'],
      targetModel: 'amazon.nova-lite-v1:0:300k',
      customization: 'FINE_TUNING',
      outputPath: 'out/nova',
      validationSplit: 0.2,
      seed: 1,
    });
    assert.equal(r.ok, true, r.failure);
    assert.equal(r.train + r.validation, 132);
    assert.ok(r.validation > 0);
    assert.equal(r.secrets.length, 0, 'the git-ignored file with a key was not read');
    for (const line of [...jsonl(r.trainFile!), ...jsonl(r.validationFile!)]) {
      assert.equal(line.schemaVersion, 'bedrock-conversation-2024');
      const messages = line.messages as { role: string; content: { text: string }[] }[];
      assert.equal(messages[0].role, 'user');
      assert.equal(messages.at(-1)?.role, 'assistant');
      assert.ok(messages.every((m) => typeof m.content[0].text === 'string' && m.content[0].text.length > 0));
    }
    const fromPrompt = [...jsonl(r.trainFile!), ...jsonl(r.validationFile!)].find((l) =>
      JSON.stringify(l).includes('Question 3?'),
    );
    assert.deepEqual(fromPrompt, {
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ text: 'Question 3?' }] },
        { role: 'assistant', content: [{ text: 'Answer 3.' }] },
      ],
    });
    assert.ok(existsSync(r.reportFile!));
    assert.match(readFileSync(r.reportFile!, 'utf8'), /\*\*Ready\*\*/);
  });

  it('writes prompt/completion for Llama 3.1 and {"input"} chunks for continued pre-training', async () => {
    const llama = await create({
      sources: ['ds/rows.jsonl'],
      targetModel: 'meta.llama3-1-8b-instruct-v1:0:128k',
      customization: 'FINE_TUNING',
      outputPath: 'out/llama',
      validationSplit: 0,
    });
    assert.equal(llama.ok, true, llama.failure);
    assert.deepEqual(jsonl(llama.trainFile!)[0], { prompt: 'Row 0?', completion: 'Yes 0.' });
    const cpt = await create({
      sources: ['ds/docs/**'],
      targetModel: 'amazon.titan-text-express-v1:0:8k',
      customization: 'CONTINUED_PRE_TRAINING',
      outputPath: 'out/cpt',
      validationSplit: 0,
    });
    assert.equal(cpt.ok, true, cpt.failure);
    const lines = jsonl(cpt.trainFile!);
    assert.ok(
      lines.length >= 2 && lines.every((l) => Object.keys(l).join() === 'input' && String(l.input).length <= 4096 * 6),
    );
  });

  it('writes the Claude 3 Haiku messages format and image-ref/caption records', async () => {
    const claude = await create({
      sources: ['ds/rows.jsonl'],
      targetModel: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
      customization: 'FINE_TUNING',
      outputPath: 'out/claude',
      validationSplit: 0.1,
      seed: 3,
    });
    assert.equal(claude.ok, true, claude.failure);
    for (const line of [...jsonl(claude.trainFile!), ...jsonl(claude.validationFile!)]) {
      assert.deepEqual(Object.keys(line), ['messages']);
      const m = line.messages as { role: string; content: string }[];
      assert.deepEqual(
        m.map((x) => x.role),
        ['user', 'assistant'],
      );
      assert.ok(m.every((x) => typeof x.content === 'string'));
    }
    await write(
      'ds/images/captions.csv',
      [
        'image-ref,caption',
        ...Array.from(
          { length: 6 },
          (_, i) => `s3://bedrock-prompt-lab-data/img/cat${i}.png,an orange cat number ${i}`,
        ),
      ].join('\n'),
    );
    const images = await create({
      sources: ['ds/images/**'],
      targetModel: 'amazon.titan-image-generator-v2:0',
      customization: 'FINE_TUNING',
      outputPath: 'out/images',
      validationSplit: 0.2,
    });
    assert.equal(images.ok, true, images.failure);
    assert.equal(images.validationFile, undefined, 'image models take no validation set');
    assert.deepEqual(jsonl(images.trainFile!)[0], {
      'image-ref': 's3://bedrock-prompt-lab-data/img/cat0.png',
      caption: 'an orange cat number 0',
    });
  });

  it('an invalid source gives located problems', async () => {
    await write(
      'ds/bad/broken.jsonl',
      `${JSON.stringify({ prompt: 'ok', completion: 'ok' })}\n{oops\n${JSON.stringify({ text: 'no labels' })}\n`,
    );
    const r = await create({
      sources: ['ds/bad/**'],
      targetModel: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
      customization: 'FINE_TUNING',
      outputPath: 'out/bad',
    });
    assert.equal(r.ok, false);
    assert.equal(r.failure, '1 records; Anthropic Claude 3 Haiku needs at least 32.');
    assert.deepEqual(
      r.rejected.map((p) => `${p.path}:${p.line}`),
      ['ds/bad/broken.jsonl:2', 'ds/bad/broken.jsonl:3'],
    );
    assert.equal(existsSync(path.join(workspaceFile('out', 'bad').fsPath, 'train.jsonl')), false);
    assert.match(readFileSync(r.reportFile!, 'utf8'), /`ds\/bad\/broken.jsonl:2` Not valid JSON/);
  });

  it('a planted AWS key is caught and blocks the build', async () => {
    await write(
      'ds/leak/data.jsonl',
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ prompt: `p${i}`, completion: i === 17 ? 'use AKIAZ7ADS5GCLR2X4QHN' : `c${i}` }),
      ).join('\n'),
    );
    const r = await create({
      sources: ['ds/leak/**'],
      targetModel: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
      customization: 'FINE_TUNING',
      outputPath: 'out/leak',
    });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.secrets.map((s) => [s.kind, s.path, s.line]),
      [['AWS access key id', 'ds/leak/data.jsonl', 18]],
    );
    assert.deepEqual(readdirSync(workspaceFile('out', 'leak').fsPath), ['dataset-report.md']);
  });

  it('cancelling a large build leaves no partial file', async () => {
    for (let f = 0; f < 40; f++)
      await write(
        `ds/big/f${f}.jsonl`,
        Array.from({ length: 200 }, (_, i) => JSON.stringify({ prompt: `f${f} q${i}`, completion: `a${i}` })).join(
          '\n',
        ),
      );
    const controller = new AbortController();
    const dir = workspaceFile('out', 'big').fsPath;
    mkdirSync(dir, { recursive: true });
    // Cancel as soon as the build has started writing (its temporary file appears).
    let sawTemp = false;
    const watcher = watch(dir, (_event, name) => {
      if (name && /\.tmp$/.test(String(name))) {
        sawTemp = true;
        controller.abort();
      }
    });
    const r = await create({
      sources: ['ds/big/**'],
      targetModel: 'amazon.nova-micro-v1:0:128k',
      customization: 'FINE_TUNING',
      outputPath: 'out/big',
      signal: controller.signal,
    });
    watcher.close();
    assert.ok(sawTemp, 'the build had started writing');
    assert.equal(r.ok, false);
    assert.match(r.failure ?? '', /Cancelled/);
    assert.deepEqual(readdirSync(dir), []);
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDataset } from '../../../../src/core/dataset/build';
import { datasetRulesFor } from '../../../../src/core/models/registry';
import { fileErrorMessage, readTextFile } from '../../../../src/core/io/readText';
import { SCAN_THREAD_SCRIPT, startScanThread, type ScanThread } from '../../../../src/core/dataset/scanThread';
import { secretRanges } from '../../../../src/core/safety/secretScan';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bpl-scan-thread-'));

// Texts with secrets in their own spelling and hidden (JSON-escaped, base64, split over literals).
const SECRET = 'wJ8kLm2QpR7sT9vX1yZ3aB5cD7eF9gH1iJ3kL5mN';
const TEXTS = [
  'plain prose with nothing to find',
  `aws_secret_access_key = ${SECRET}\nAWS_ACCESS_KEY_ID=AKIAZ7ADS5GCLR2X4QHN`,
  `{"aws_secret_access_key": "${SECRET.slice(0, 20)}\\/${SECRET.slice(21)}"}`,
  `echo ${Buffer.from(`GITHUB_TOKEN=ghp_${'a1B2c3D4e5'.repeat(3)}123456\n`).toString('base64')} | base64 -d`,
  `token = "xoxb-1234567890" + "-abcdefghijABCDEFGHIJ"`,
];

async function withThread<T>(script: string, use: (thread: ScanThread) => Promise<T>): Promise<T> {
  const thread = startScanThread(script);
  try {
    return await use(thread);
  } finally {
    await thread.close();
  }
}

describe('datasets: the scan thread', () => {
  it('its script is compiled beside it (the bundle lists it too)', () => {
    assert.ok(existsSync(SCAN_THREAD_SCRIPT), SCAN_THREAD_SCRIPT);
  });

  const scripts: [string, () => string][] = [
    ['the worker', () => SCAN_THREAD_SCRIPT],
    ['no worker script (answered in this thread)', () => path.join(tmp(), 'missing.js')],
    [
      'a worker that dies at once (its requests answered in this thread)',
      () => {
        const script = path.join(tmp(), 'dies.js');
        writeFileSync(script, 'process.exit(3);\n');
        return script;
      },
    ],
  ];
  for (const [name, script] of scripts) {
    it(`${name}: finds exactly what the scanner finds in this thread`, async () => {
      const expected = await Promise.all(TEXTS.map((t) => secretRanges(t)));
      assert.ok(expected.filter((r) => r.length > 0).length >= 4, 'the sample texts hold secrets');
      const got = await withThread(script(), (thread) => Promise.all(TEXTS.map((t) => thread.secretRanges(t))));
      assert.deepEqual(got, expected);
    });

    it(`${name}: reads files as readTextFile does, errors included`, async () => {
      const dir = tmp();
      const utf16 = path.join(dir, 'u16.txt');
      writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\nwörld', 'utf16le')]));
      const bad = path.join(dir, 'bad.txt');
      writeFileSync(bad, Buffer.concat([Buffer.from('one\ntwo\nthr'), Buffer.from([0xe9]), Buffer.from('e\n')]));
      const missing = path.join(dir, 'missing.txt');
      const outcome = (p: Promise<string>) =>
        p.then(
          (text) => ({ text }),
          (err: unknown) => ({ message: fileErrorMessage(err), line: (err as { line?: number }).line }),
        );
      const expected = await Promise.all([utf16, bad, missing, dir].map((f) => outcome(readTextFile(f))));
      assert.deepEqual(expected[0], { text: 'héllo\nwörld' });
      assert.deepEqual(expected[1], {
        message: 'line 3 has bytes that are not UTF-8: save the file as UTF-8 (or UTF-16 with a byte order mark).',
        line: 3,
      });
      const got = await withThread(script(), (thread) =>
        Promise.all([utf16, bad, missing, dir].map((f) => outcome(thread.readTextFile(f)))),
      );
      assert.deepEqual(got, expected);
    });
  }

  it('a build of files read on the scan thread blocks on a secret and names its file and line', async () => {
    const dir = tmp();
    const files = ['a.txt', 'b.txt', 'c.txt'].map((name, i) => {
      const file = path.join(dir, name);
      writeFileSync(file, i === 1 ? `notes\n\nmore notes\naws_secret_access_key = ${SECRET}\n` : `text ${i}\n`);
      return { path: name, read: () => readTextFile(file), fsPath: file };
    });
    const rules = datasetRulesFor('amazon.titan-text-express-v1:0:8k', 'CONTINUED_PRE_TRAINING')!;
    const report = await buildDataset(files, {
      rules,
      modelId: 'amazon.titan-text-express-v1:0:8k',
      outputDir: tmp(),
      validationSplit: 0,
      seed: 1,
      secrets: 'block',
      source: {},
    });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.secrets.map((s) => [s.path, s.line]),
      [['b.txt', 4]],
    );
    assert.match(report.failure ?? '', /1 secret found \(first: .* in b\.txt:4\)/);
  });
});

// Citations with the real binary and the local server: a document attached with `bedrock.citations:
// true` goes out with citations enabled; the answer's citations (document, where, the quoted text) are
// printed after it and kept in the --json result, streamed or not.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

const POLICY = 'Refunds are issued within 14 days of a return. Shipping costs are not refunded.';

describe('prompt-lab with citations (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-citations-'));
    writeFileSync(path.join(dir, 'policy.txt'), POLICY);
    writeFileSync(
      path.join(dir, 'cited.prompt'),
      '---\nmodel: anthropic.claude-sonnet-4-5-20250929-v1:0\nbedrock.citations: true\n---\n{{media url="policy.txt"}}\nHow long do refunds take?\n',
    );
  });
  after(async () => emulator.stop());

  it('sends the document with citations on, and prints what the answer cites', async () => {
    const r = await promptLab(['run', 'cited.prompt', '--model', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'], {
      cwd: dir,
      env: emulator.env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const body = emulator.requests.filter((q) => q.operation === 'ConverseStream').at(-1)?.body as {
      messages: { content: { document?: { citations?: { enabled: boolean } } }[] }[];
    };
    assert.deepEqual(body.messages[0].content.find((b) => b.document)?.document?.citations, { enabled: true });
    assert.match(
      r.stderr,
      /^sources:\n\[1\] policy, characters 0–59: "Refunds are issued within 14 days of a return\. Shipping cost"$/m,
    );
  });

  it('--json keeps the citations in the result', async () => {
    const r = await promptLab(
      ['run', 'cited.prompt', '--json', '--model', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      {
        cwd: dir,
        env: emulator.env(),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { text: string; citations: unknown[] };
    assert.match(result.text, /How long do refunds take\?/);
    assert.deepEqual(result.citations, [
      { document: 'policy', location: 'characters 0–59', quoted: POLICY.slice(0, 60) },
    ]);
  });
});

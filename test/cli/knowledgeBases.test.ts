// `prompt-lab kb list|retrieve` with the real binary and the local server: the knowledge bases with their
// types and data sources, a query's ranked passages (text and JSON) without generating, a bad count
// refused before sending, and an API key alone refused with what to do.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_API_KEY, startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

describe('prompt-lab kb (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const kb = (...args: string[]) => promptLab(['kb', ...args], { cwd: dir, env: emulator.env() });

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-kb-'));
  });
  after(async () => emulator.stop());

  it('list: each knowledge base with its type and status, its data sources with their last sync', async () => {
    const r = await kb('list');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'SUPPORTKB1 · support-docs · vector · active\n  SUPPORTDS1 · support-handbook-s3 · last sync complete 2026-11-20T09:00:00.000Z\nMANAGEDKB1 · handbook-managed · managed · active\nKENDRAKB01 · policies-kendra · kendra · active\n',
    );
  });

  it('retrieve: the ranked passages with their sources and scores, as text or JSON, and nothing generated', async () => {
    const text = await kb('retrieve', 'SUPPORTKB1', 'Is a gift card refundable?', '-n', '1');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^Query: Is a gift card refundable\?\nKnowledge base: SUPPORTKB1\n1 passage\(s\), best first\n\n1\. s3:\/\/bedrock-prompt-lab-data\/knowledge-base\/refund-policy\.md {2}\(score 0\.\d{3}\)\n {3}Digital purchases \(gift cards/,
    );
    const json = await kb('retrieve', 'SUPPORTKB1', 'express shipping', '--json');
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { passages: { sourceName: string; score: number }[] };
    assert.equal(out.passages[0].sourceName, 'shipping.md');
    assert.ok(
      out.passages.every((p, i) => i === 0 || p.score <= out.passages[i - 1].score),
      'best first',
    );
    assert.equal(
      emulator.requests.some((q) => /Converse/.test(q.operation)),
      false,
      'nothing generated',
    );
  });

  it('a bad count is refused before sending; an API key alone is refused with what to do', async () => {
    const bad = await kb('retrieve', 'SUPPORTKB1', 'shipping', '-n', '0');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /-n 0: give a number of passages from 1 to 100\./);
    const keyOnly = await promptLab(['kb', 'list'], {
      cwd: dir,
      env: { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: EMULATOR_API_KEY },
    });
    assert.equal(keyOnly.code, 3, keyOnly.stderr);
    assert.match(
      keyOnly.stderr,
      /needs AWS credentials: Knowledge bases do not accept a Bedrock API key \(only Bedrock and Bedrock Runtime do\)/,
    );
  });
});

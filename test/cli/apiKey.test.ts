// A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) with the real binary and the local server: Bedrock calls
// go with the key as a bearer token and no AWS credentials at all; a refused key and an S3 upload
// (which needs AWS credentials) each say what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_API_KEY, startEmulator, type BedrockEmulator } from '../emulator';
import { promptLab } from './promptLab';

describe('prompt-lab with a Bedrock API key (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  // Only the key: no access key, no profile files (HOME is the empty test folder).
  const withKey = (key: string) => ({
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_BEARER_TOKEN_BEDROCK: key,
  });

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-api-key-'));
    writeFileSync(path.join(dir, 'hello.prompt'), '---\nmodel: amazon.nova-micro-v1:0\n---\nSay hello.\n');
    writeFileSync(
      path.join(dir, 'rows.jsonl'),
      Array.from({ length: 100 }, (_, i) => JSON.stringify({ n: i })).join('\n'),
    );
  });
  after(async () => emulator.stop());

  it('runs a prompt with only the key: the request carries it as a bearer token', async () => {
    const r = await promptLab(['run', 'hello.prompt'], { cwd: dir, env: withKey(EMULATOR_API_KEY) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /You wrote: "Say hello\."/);
    const sent = emulator.requests.filter((q) => q.operation === 'ConverseStream' || q.operation === 'Converse').at(-1);
    assert.equal(sent?.auth, 'bearer');
  });

  it("a refused key says how to renew it (exit 3), in the terminal's words", async () => {
    const r = await promptLab(['run', 'hello.prompt'], { cwd: dir, env: withKey('ABSKbm90LWEtcmVhbC1rZXk=') });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /Bedrock refused the API key: it is expired, revoked, or was made in another Region\. Create a new key \(Amazon Bedrock console, API keys\) and set AWS_BEARER_TOKEN_BEDROCK to it, or unset it to use the profile\./,
    );
    assert.doesNotMatch(r.stderr, /ABSKbm90/, 'the key is never printed');
  });

  it('an upload to S3 with only the key names what is missing, before any job starts', async () => {
    const jobs = emulator.requests.filter((q) => q.operation === 'CreateModelInvocationJob').length;
    const r = await promptLab(
      [
        '--region',
        'us-east-1',
        'batch-job',
        'start',
        'hello.prompt',
        'rows.jsonl',
        '--s3',
        's3://bedrock-prompt-lab-data/keys/',
        '--role',
        'arn:aws:iam::123456789012:role/BatchRole',
      ],
      { cwd: dir, env: withKey(EMULATOR_API_KEY) },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /^prompt-lab: prompt-lab batch-job start needs AWS credentials: S3 does not accept a Bedrock API key \(only Bedrock and Bedrock Runtime do\)\. Pass --profile \(or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\) with access to the bucket/,
    );
    assert.equal(emulator.requests.filter((q) => q.operation === 'CreateModelInvocationJob').length, jobs);
  });
});

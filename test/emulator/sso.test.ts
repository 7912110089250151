// Expired and missing AWS SSO sessions through the real credential chain (no SSO service is needed: the
// SDK decides from the token cache in ~/.aws/sso/cache), each mapped to the "run aws sso login" message.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClients } from '../../src/core/bedrock/awsSdk';
import { toBedrockError } from '../../src/core/bedrock/errors';
import { startEmulator, type BedrockEmulator } from './index';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('expired AWS SSO sessions, through the real credential chain', () => {
  let emu: BedrockEmulator;
  let home: string;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    emu = await startEmulator();
    home = mkdtempSync(path.join(os.tmpdir(), 'bpl-sso-'));
    const cache = path.join(home, '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    const session = (name: string) =>
      `[sso-session ${name}]\nsso_start_url = https://${name}.awsapps.com/start\nsso_region = us-east-1\n`;
    const profile = (name: string, extra: string) =>
      `[profile ${name}]\n${extra}sso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n`;
    writeFileSync(
      path.join(home, '.aws', 'config'),
      [
        profile('legacy', 'sso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\n'),
        profile('no-refresh', 'sso_session = plain\n'),
        session('plain'),
        profile('refresh-fails', 'sso_session = refreshing\n'),
        session('refreshing'),
        profile('never-signed-in', 'sso_session = fresh\n'),
        session('fresh'),
      ].join(''),
    );
    const expired = { accessToken: 'token', expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1' };
    writeFileSync(
      path.join(cache, `${sha1('https://legacy.awsapps.com/start')}.json`),
      JSON.stringify({ ...expired, startUrl: 'https://legacy.awsapps.com/start' }),
    );
    writeFileSync(
      path.join(cache, `${sha1('plain')}.json`),
      JSON.stringify({ ...expired, startUrl: 'https://plain.awsapps.com/start' }),
    );
    writeFileSync(
      path.join(cache, `${sha1('refreshing')}.json`),
      JSON.stringify({
        ...expired,
        startUrl: 'https://refreshing.awsapps.com/start',
        clientId: 'c',
        clientSecret: 's',
        registrationExpiresAt: '2099-01-01T00:00:00Z',
        refreshToken: 'r',
      }),
    );
    for (const k of [
      'HOME',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_PROFILE',
    ])
      saved[k] = process.env[k];
    process.env.HOME = home;
    for (const k of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_PROFILE',
    ])
      delete process.env[k];
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
    await emu.stop();
  });

  for (const profile of ['legacy', 'no-refresh', 'refresh-fails', 'never-signed-in']) {
    it(`${profile}: says to run aws sso login for the profile, and sends nothing`, async () => {
      const before = emu.requests.length;
      const clients = createClients({ profile, region: 'us-east-1', endpoint: emu.url }, 'test');
      try {
        await assert.rejects(
          clients.runtime.converse({
            modelId: 'amazon.nova-micro-v1:0',
            messages: [{ role: 'user', content: [{ text: 'hi' }] }],
          }),
          (err: Error) => {
            const e = toBedrockError(err, { operation: 'run', profile });
            assert.equal(e.code, 'SsoExpired', `${err.name}: ${err.message}`);
            assert.match(e.message, new RegExp(`aws sso login --profile ${profile}`));
            assert.deepEqual(e.actions, ['retry', 'selectProfile']);
            return true;
          },
        );
      } finally {
        clients.dispose();
      }
      assert.equal(emu.requests.length, before, 'no request reached the server');
    });
  }
});

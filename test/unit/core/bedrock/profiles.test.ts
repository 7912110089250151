import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProfiles } from '../../../../src/core/bedrock/profiles';
import {
  credentialSource,
  effectiveProfile,
  knownRegion,
  normalizeSettings,
  sessionKey,
} from '../../../../src/core/bedrock/settings';
import { redact } from '../../../../src/core/shared/logger';

describe('AWS profiles and settings', () => {
  it("lists profiles from config and credentials the way the CLI does (read by the SDK's own loader)", async () => {
    const config = [
      '[default]',
      'region = us-east-1 ; inline comment',
      '',
      '# a comment line',
      '[profile dev-sso]',
      'sso_session = corp',
      'region = us-west-2',
      '',
      '[sso-session corp]',
      'sso_start_url = https://x.awsapps.com/start',
      '',
      '[services local]',
      'bedrock =',
      '  endpoint_url = http://127.0.0.1:1',
      '',
      '[profile tool]',
      'credential_process = /usr/bin/creds',
      '',
      '[profile admin]',
      'role_arn = arn:aws:iam::1:role/Admin',
      'source_profile = default',
      '[not-a-profile]',
      'region = eu-west-1',
    ].join('\n');
    const credentials =
      '[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = s\n[ci]\naws_access_key_id = AKIAYYYYYYYYYYYYYYYY\n';
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bpl-aws-'));
    const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    try {
      await fs.writeFile(path.join(dir, 'config'), config);
      await fs.writeFile(path.join(dir, 'credentials'), credentials);
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      const profiles = await readProfiles();
      // `[not-a-profile]` in the config file is not a profile to the CLI (it needs the `profile ` prefix).
      assert.deepEqual(
        profiles.map((p) => p.name),
        ['default', 'admin', 'ci', 'dev-sso', 'tool'],
      );
      assert.deepEqual(
        profiles.map((p) => p.kind),
        ['static', 'role', 'static', 'sso', 'credential_process'],
      );
      assert.equal(profiles.find((p) => p.name === 'dev-sso')?.region, 'us-west-2');
      assert.equal(profiles[0].region, 'us-east-1');
      assert.equal(profiles[0].source, 'both');
      // Edited files are read again (the picker must show a profile just added).
      await fs.appendFile(path.join(dir, 'credentials'), '[fresh]\naws_access_key_id = AKIAZZZZZZZZZZZZZZZZ\n');
      assert.ok((await readProfiles()).some((p) => p.name === 'fresh'));
    } finally {
      for (const [key, value] of [
        ['AWS_CONFIG_FILE', saved.config],
        ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('empty settings mean the AWS defaults', () => {
    assert.deepEqual(normalizeSettings({ profile: ' ', region: '', endpoint: undefined }), {
      profile: undefined,
      region: undefined,
      endpoint: undefined,
    });
    assert.equal(effectiveProfile({}, { AWS_PROFILE: 'team' }), 'team');
    assert.equal(effectiveProfile({ profile: 'mine' }, { AWS_PROFILE: 'team' }), 'mine');
    assert.equal(effectiveProfile({}, {}), 'default');
    assert.equal(sessionKey({ region: 'us-east-1' }), sessionKey({ region: ' us-east-1 ', profile: '' }));
    assert.notEqual(sessionKey({ region: 'us-east-1' }), sessionKey({ region: 'us-west-2' }));
  });

  it('a Bedrock API key: signed in before the environment, before the profile; a new key is a new session, never spelled in its key', () => {
    const key = `ABSK${'QmVkcm9ja0FQSUtleS1leGFtcGxl'.repeat(3)}`;
    assert.deepEqual(credentialSource({ apiKey: key }, { AWS_BEARER_TOKEN_BEDROCK: 'other' }), {
      kind: 'api-key',
      from: 'signed-in',
    });
    assert.deepEqual(credentialSource({}, { AWS_BEARER_TOKEN_BEDROCK: key }), { kind: 'api-key', from: 'environment' });
    assert.deepEqual(credentialSource({ apiKey: '  ' }, { AWS_PROFILE: 'team' }), { kind: 'profile', profile: 'team' });
    assert.notEqual(sessionKey({ apiKey: key }), sessionKey({}));
    assert.notEqual(sessionKey({ apiKey: key }), sessionKey({ apiKey: `${key}x` }));
    assert.ok(!sessionKey({ apiKey: key }).includes(key.slice(4, 20)));
    assert.doesNotMatch(redact(`Authorization: Bearer ${key}`), /QmVkcm9ja0FQSUtleS1leGFtcGxl/);
  });

  it('redacts keys, secrets, tokens and signatures before they reach a log', () => {
    const text =
      'key AKIAIOSFODNN7EXAMPLE secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" Authorization: AWS4-HMAC-SHA256 Credential=AKIA/2024/us-east-1';
    const out = redact(text);
    assert.doesNotMatch(out, /IOSFODNN7EXAMPLE|wJalrXUtnFEMI|Credential=/);
    assert.match(out, /AKIA\*+/);
  });
});

describe('the Region in use (knownRegion, the one rule)', () => {
  it('the setting, then AWS_REGION, then what the SDK resolved from the profile; never AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' };
    assert.equal(knownRegion({ region: ' us-west-2 ' }, 'eu-central-1', env), 'us-west-2');
    assert.equal(knownRegion({}, 'eu-central-1', env), 'eu-west-1');
    assert.equal(knownRegion({ region: '' }, 'eu-central-1', { AWS_DEFAULT_REGION: 'ap-south-1' }), 'eu-central-1');
    assert.equal(knownRegion({}, undefined, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_REGION: '' }), undefined);
  });
});

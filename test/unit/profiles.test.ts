import assert from 'node:assert/strict';
import { profilesFrom } from '../../src/bedrock/profiles';
import { effectiveProfile, normalizeSettings, sessionKey } from '../../src/bedrock/settings';
import { redact } from '../../src/shared/logger';

describe('AWS profiles and settings', () => {
  it('lists profiles from config and credentials the way the CLI does', () => {
    const config = [
      '[default]', 'region = us-east-1', '',
      '[profile dev-sso]', 'sso_session = corp', 'region = us-west-2', '',
      '[sso-session corp]', 'sso_start_url = https://x.awsapps.com/start', '',
      '[profile tool]', 'credential_process = /usr/bin/creds', '',
      '[profile admin]', 'role_arn = arn:aws:iam::1:role/Admin', 'source_profile = default',
    ].join('\n');
    const credentials = '[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = s\n[ci]\naws_access_key_id = AKIAYYYYYYYYYYYYYYYY\n';
    const profiles = profilesFrom(config, credentials);
    assert.deepEqual(profiles.map((p) => p.name), ['default', 'admin', 'ci', 'dev-sso', 'tool']);
    assert.deepEqual(profiles.map((p) => p.kind), ['static', 'role', 'static', 'sso', 'credential_process']);
    assert.equal(profiles.find((p) => p.name === 'dev-sso')?.region, 'us-west-2');
    assert.equal(profiles[0].source, 'both');
  });

  it('empty settings mean the AWS defaults', () => {
    assert.deepEqual(normalizeSettings({ profile: ' ', region: '', endpoint: undefined }), { profile: undefined, region: undefined, endpoint: undefined });
    assert.equal(effectiveProfile({}, { AWS_PROFILE: 'team' }), 'team');
    assert.equal(effectiveProfile({ profile: 'mine' }, { AWS_PROFILE: 'team' }), 'mine');
    assert.equal(effectiveProfile({}, {}), 'default');
    assert.equal(sessionKey({ region: 'us-east-1' }), sessionKey({ region: ' us-east-1 ', profile: '' }));
    assert.notEqual(sessionKey({ region: 'us-east-1' }), sessionKey({ region: 'us-west-2' }));
  });

  it('redacts keys, secrets, tokens and signatures before they reach a log', () => {
    const text = 'key AKIAIOSFODNN7EXAMPLE secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" Authorization: AWS4-HMAC-SHA256 Credential=AKIA/2024/us-east-1';
    const out = redact(text);
    assert.doesNotMatch(out, /IOSFODNN7EXAMPLE|wJalrXUtnFEMI|Credential=/);
    assert.match(out, /AKIA\*+/);
  });
});

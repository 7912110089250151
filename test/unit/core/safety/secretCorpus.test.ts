// A corpus of planted secrets: 48 classes in six formats, and the 34 that name themselves also in prose, and negatives (AWS's documented example
// keys, placeholders, ordinary text). Prints recall and false positives; every class must be found in
// every format, and no negative may be reported. Tokens are generated (seeded), never real ones.
import assert from 'node:assert/strict';
import { findSecrets } from '../../../../src/core/shared/secretRules';
import { redactSecretsDeep, scanSecretsDeep } from '../../../../src/core/safety/secretScan';
import { rng } from '../../../support/rng';

const random = rng(27);
const pickFrom = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}-_`;
const HEX = '0123456789abcdef';

interface SecretClass {
  name: string;
  key: string;
  make: () => string;
  /** Only its name beside it tells it is a secret (a bare 40-character string in prose is not one). */
  named?: boolean;
}

const CLASSES: SecretClass[] = [
  { name: 'AWS access key id', key: 'aws_access_key_id', make: () => `AKIA${pickFrom(UP, 16)}` },
  { name: 'AWS temporary access key id', key: 'AWS_ACCESS_KEY_ID', make: () => `ASIA${pickFrom(UP, 16)}` },
  {
    named: true,
    name: 'AWS secret key (aws_secret_access_key)',
    key: 'aws_secret_access_key',
    make: () => pickFrom(B64, 40),
  },
  { named: true, name: 'AWS secret key (secret_key)', key: 'secret_key', make: () => pickFrom(B64, 40) },
  { named: true, name: 'AWS secret key (aws_secret_key)', key: 'aws_secret_key', make: () => pickFrom(B64, 40) },
  { named: true, name: 'AWS secret key (secretKey)', key: 'secretKey', make: () => pickFrom(B64, 40) },
  {
    named: true,
    name: 'AWS session token',
    key: 'aws_session_token',
    make: () => `IQoJb3JpZ2luX2Vj${pickFrom(B64, 300)}`,
  },
  { name: 'GitHub token', key: 'GITHUB_TOKEN', make: () => `ghp_${pickFrom(ALNUM, 36)}` },
  {
    name: 'GitHub fine-grained token',
    key: 'token',
    make: () => `github_pat_${pickFrom(ALNUM, 22)}_${pickFrom(ALNUM, 59)}`,
  },
  { name: 'GitLab token', key: 'GITLAB_TOKEN', make: () => `glpat-${pickFrom(URLSAFE, 20)}` },
  {
    name: 'Slack bot token',
    key: 'SLACK_TOKEN',
    make: () => `xoxb-${pickFrom('0123456789', 12)}-${pickFrom('0123456789', 13)}-${pickFrom(ALNUM, 24)}`,
  },
  {
    name: 'Slack webhook',
    key: 'webhook',
    make: () => `https://hooks.slack.com/services/T${pickFrom(UP, 8)}/B${pickFrom(UP, 10)}/${pickFrom(ALNUM, 24)}`,
  },
  { name: 'OpenAI key', key: 'OPENAI_API_KEY', make: () => `sk-${pickFrom(ALNUM, 20)}T3BlbkFJ${pickFrom(ALNUM, 20)}` },
  {
    name: 'OpenAI project key',
    key: 'OPENAI_API_KEY',
    make: () => `sk-proj-${pickFrom(URLSAFE, 74)}T3BlbkFJ${pickFrom(URLSAFE, 74)}`,
  },
  { name: 'Anthropic key', key: 'ANTHROPIC_API_KEY', make: () => `sk-ant-api03-${pickFrom(URLSAFE, 93)}AA` },
  { name: 'npm token', key: '_authToken', make: () => `npm_${pickFrom(ALNUM, 36)}` },
  {
    name: 'Azure storage key',
    key: 'connection',
    make: () =>
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${pickFrom(B64, 86)}==;EndpointSuffix=core.windows.net`,
  },
  { name: 'Twilio API key', key: 'TWILIO_API_KEY', make: () => `SK${pickFrom(HEX, 32)}` },
  { name: 'SendGrid key', key: 'SENDGRID_API_KEY', make: () => `SG.${pickFrom(URLSAFE, 22)}.${pickFrom(URLSAFE, 43)}` },
  { name: 'Hugging Face token', key: 'HF_TOKEN', make: () => `hf_${pickFrom(ALNUM.slice(0, 52), 34)}` },
  { name: 'Google API key', key: 'GOOGLE_API_KEY', make: () => `AIza${pickFrom(URLSAFE, 34)}-` },
  { name: 'Stripe key', key: 'STRIPE_KEY', make: () => `sk_live_${pickFrom(ALNUM, 24)}` },
  {
    name: 'JSON Web Token',
    key: 'id_token',
    make: () => `eyJhbGciOiJIUzI1NiJ9.eyJ${pickFrom(URLSAFE, 40)}.${pickFrom(URLSAFE, 43)}`,
  },
  {
    named: true,
    name: 'password (.env style)',
    key: 'DB_PASSWORD',
    make: () => `${pickFrom(ALNUM, 10)}!${pickFrom(ALNUM, 4)}`,
  },
  { named: true, name: 'password', key: 'password', make: () => pickFrom(ALNUM, 14) },
  {
    name: 'Postgres URL with password',
    key: 'DATABASE_URL',
    make: () => `postgres://app:${pickFrom(ALNUM, 16)}@db.internal:5432/app`,
  },
  {
    name: 'Redis URL with password',
    key: 'REDIS_URL',
    make: () => `redis://:${pickFrom(ALNUM, 18)}@cache.internal:6379`,
  },
  // Services from gitleaks' default rule set: prefixed tokens, and "<service> key = <token>".
  { named: true, name: 'Algolia key', key: 'ALGOLIA_API_KEY', make: () => pickFrom('abcdef0123456789', 32) },
  { named: true, name: 'Datadog key', key: 'DD_API_KEY', make: () => pickFrom(HEX, 32) },
  {
    named: true,
    name: 'Heroku key',
    key: 'HEROKU_API_KEY',
    make: () =>
      `${pickFrom(HEX, 8)}-${pickFrom(HEX, 4)}-4${pickFrom(HEX, 3)}-a${pickFrom(HEX, 3)}-${pickFrom(HEX, 12)}`,
  },
  { named: true, name: 'Mailgun key', key: 'MAILGUN_API_KEY', make: () => `key-${pickFrom(HEX, 32)}` },
  {
    named: true,
    name: 'Twitch secret',
    key: 'TWITCH_CLIENT_SECRET',
    make: () => pickFrom('abcdefghijklmnopqrstuvwxyz0123456789', 30),
  },
  { named: true, name: 'Okta token', key: 'OKTA_API_TOKEN', make: () => `00${pickFrom(URLSAFE, 40)}` },
  { name: 'DigitalOcean token', key: 'DO_TOKEN', make: () => `dop_v1_${pickFrom(HEX, 64)}` },
  { name: 'PyPI token', key: 'password', make: () => `pypi-AgEIcHlwaS5vcmc${pickFrom(URLSAFE, 70)}` },
  { name: 'Postman key', key: 'POSTMAN_KEY', make: () => `PMAK-${pickFrom(HEX, 24)}-${pickFrom(HEX, 34)}` },
  { name: 'Databricks token', key: 'DATABRICKS_TOKEN', make: () => `dapi${pickFrom(HEX, 32)}` },
  {
    name: 'Telegram bot token',
    key: 'TELEGRAM_BOT',
    make: () => `${pickFrom('0123456789', 10)}:A${pickFrom(URLSAFE, 34)}`,
  },
  { name: 'New Relic key', key: 'NEW_RELIC_KEY', make: () => `NRAK-${pickFrom(UP, 27)}` },
  { name: 'Doppler token', key: 'DOPPLER', make: () => `dp.pt.${pickFrom(ALNUM, 43)}` },
  // Amazon Bedrock API keys, long-term (ABSK + base64 of "BedrockAPIKey-<id>-at-<account>:<secret>") and
  // short-term (bedrock-api-key- + base64 of a presigned URL).
  {
    name: 'Bedrock API key (long-term)',
    key: 'AWS_BEARER_TOKEN_BEDROCK',
    make: () =>
      `ABSK${Buffer.from(`BedrockAPIKey-${pickFrom(ALNUM, 4)}-at-${pickFrom('0123456789', 12)}:${pickFrom(B64, 40)}`).toString('base64')}`,
  },
  {
    name: 'Bedrock API key (short-term)',
    key: 'AWS_BEARER_TOKEN_BEDROCK',
    make: () =>
      `bedrock-api-key-${Buffer.from(`bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA${pickFrom(UP, 16)}%2F20261203%2Fus-east-1%2Fbedrock%2Faws4_request&X-Amz-Signature=${pickFrom(HEX, 64)}&Version=1`).toString('base64')}`,
  },
  {
    name: 'Sentry org token',
    key: 'SENTRY_AUTH_TOKEN',
    make: () =>
      `sntrys_${Buffer.from(`{"iat":1700000000.0,"url":"https://sentry.io","org":"${pickFrom('abcdefgh', 6)}"}`).toString('base64')}_${pickFrom(B64.slice(0, 62), 43)}`,
  },
  { name: 'Sentry user token', key: 'SENTRY_TOKEN', make: () => `sntryu_${pickFrom(HEX, 64)}` },
  {
    name: 'Slack config token',
    key: 'SLACK_CONFIG',
    make: () => `xoxe-1-${pickFrom(ALNUM.slice(0, 36), 146)}`,
  },
  { name: 'Perplexity key', key: 'PPLX', make: () => `pplx-${pickFrom(ALNUM, 48)}` },
  { named: true, name: 'Azure storage key (variable)', key: 'AZURE_STORAGE_KEY', make: () => `${pickFrom(B64, 86)}==` },
];

/** Six ways a secret sits in a workspace file. */
const FORMATS: Record<string, (key: string, value: string) => string> = {
  env: (k, v) => `${k.toUpperCase()}=${v}`,
  yaml: (k, v) => `settings:\n  ${k}: ${v}\n`,
  json: (k, v) => JSON.stringify({ [k]: v }),
  'json string': (k, v) => JSON.stringify({ text: `config: ${k}="${v}"` }),
  code: (k, v) => (k === 'secretKey' ? `const c = builder.${k}("${v}").build();` : `${k} = '${v}'  # from the vault`),
  csv: (k, v) => `name,value\n${k},"${k}=${v}"\n`,
  prose: (k, v) => `Use this one for now: ${v} (the ${k.toLowerCase()} from the console).`,
};

const NEGATIVES = [
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '{"secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
  'PGPASSWORD: "${PGPASSWORD}"',
  'password: <password>',
  'DB_PASSWORD=changeme',
  'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'The password must be at least 12 characters long.',
  'Reset your password from the settings page, then sign in again.',
  'commit 3f786850e387550fdab836ed7e6dc881de23001b',
  'id: 123e4567-e89b-12d3-a456-426614174000',
  'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'See https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  'password: "{{db_password}}"',
  'api_key = os.environ["OPENAI_API_KEY"]',
  'secret_name: my-app-prod-db-credentials-v2',
  'token_count: 1024',
  '"tokenizer": "cl100k_base"',
  'api_key_header: X-Api-Key',
  'access_key_id: ${AWS_ACCESS_KEY_ID}',
  'session_cookie_name: bedrock_prompt_lab_session',
  'The API key lives in Secrets Manager; rotate the token every 90 days.',
];

describe('secret scanner: a corpus of 48 classes in seven formats', () => {
  it('finds every planted secret in every format, and nothing in the negatives', async function () {
    this.timeout(60_000);
    const missed: string[] = [];
    let planted = 0;
    for (const c of CLASSES) {
      for (const [format, render] of Object.entries(FORMATS)) {
        if (format === 'prose' && c.named) continue;
        const value = c.make();
        const text = `# settings\n${render(c.key, value)}\n# end`;
        planted++;
        const found = await scanSecretsDeep(text, `file.${format}`);
        const redacted = await redactSecretsDeep(text);
        // Found, and redaction leaves no long piece of the value behind.
        const secret = /AccountKey=([^;]+)/.exec(value)?.[1] ?? /:\/\/[^:]*:([^@]+)@/.exec(value)?.[1] ?? value;
        const leaked = secret.length >= 12 && redacted.includes(secret.slice(4, secret.length - 4).slice(0, 12));
        if (found.length === 0 || leaked)
          missed.push(`${c.name} in ${format}${leaked ? ' (redaction leaked)' : ''}: ${JSON.stringify(text)}`);
      }
    }
    const falsePositives: string[] = [];
    for (const n of NEGATIVES) {
      const found = await scanSecretsDeep(n, 'negative.txt');
      if (found.length > 0) falsePositives.push(`${n} → ${found.map((f) => f.kind).join(', ')}`);
    }
    const recall = (planted - missed.length) / planted;
    console.log(
      `      secret scanner: recall ${(recall * 100).toFixed(1)}% (${planted - missed.length} of ${planted}), false positives ${falsePositives.length} of ${NEGATIVES.length} negatives`,
    );
    assert.deepEqual(missed, []);
    assert.deepEqual(falsePositives, []);
  });

  it('finds what an escape, a concatenation or base64 hides, and redacts exactly that', async () => {
    const github = `ghp_${pickFrom(ALNUM, 36)}`;
    const bedrock = `ABSK${Buffer.from(`BedrockAPIKey-ab12-at-123456789012:${pickFrom(B64, 40)}`).toString('base64')}`;
    const secret = pickFrom(B64.replace('/', ''), 40);
    const cases: [string, string, string][] = [
      [
        'a key with JSON-escaped slashes',
        JSON.stringify({ env: `aws_secret_access_key=${secret.slice(0, 10)}/${secret.slice(10, 29)}` }).replace(
          /\//g,
          '\\/',
        ),
        secret.slice(10, 29),
      ],
      [
        'a token split over concatenated strings',
        `const t = "${github.slice(0, 20)}" + "${github.slice(20)}";`,
        github.slice(20),
      ],
      [
        'a Python token split over adjacent strings',
        `TOKEN = ('${github.slice(0, 18)}'\n         '${github.slice(18)}')`,
        github.slice(18),
      ],
      [
        'a base64-wrapped .env',
        `env_b64: ${Buffer.from(`GITHUB_TOKEN=${github}\nDEBUG=1\n`).toString('base64')}`,
        'R0lUSFVCX1RPS0VO',
      ],
      [
        'a base64-encoded token',
        `data: ${Buffer.from(bedrock).toString('base64')}`,
        Buffer.from(bedrock).toString('base64').slice(8, 30),
      ],
      ['a Bedrock key in its variable', `export AWS_BEARER_TOKEN_BEDROCK=${bedrock}`, bedrock.slice(4, 30)],
    ];
    for (const [what, text, piece] of cases) {
      const found = await scanSecretsDeep(text, 'x.txt');
      assert.ok(found.length > 0, `${what} was not found: ${text}`);
      const redacted = await redactSecretsDeep(text);
      assert.ok(!redacted.includes(piece), `${what}: redaction left ${piece} in ${redacted}`);
      assert.match(redacted, /\[REDACTED /, what);
    }
  });

  it('stays linear on inputs that made the old patterns quadratic', () => {
    for (const text of [
      '-eyJ'.repeat(40_000),
      `password=${'a'.repeat(200_000)}`,
      `${'A_'.repeat(80_000)}password`,
      'eyJ'.repeat(50_000),
    ]) {
      const started = Date.now();
      findSecrets(text);
      assert.ok(
        Date.now() - started < 5000,
        `no hang on ${JSON.stringify(text.slice(0, 12))}…: ${Date.now() - started} ms`,
      );
    }
  });
});

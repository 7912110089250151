// The project's own secret rules: one table for the dataset scanner (beside secretlint's maintained
// preset, which covers many more services) and for the redaction of every log line. Synchronous, so the
// logger can use it, and linear in time: every repetition is bounded, and JSON Web Tokens are found by a
// scan rather than a backtracking pattern (160 KB of `-eyJ` once took 19 s).
//
// These cover what secretlint's preset does not find, or finds only in one spelling: AWS secret keys
// under other names (`secret_key =`, `aws_secret_key:`, `.secretKey("…")`, inside JSON strings),
// AWS session tokens, Azure storage account keys, Twilio API keys, Hugging Face and OpenAI project keys,
// passwords in .env and YAML, connection strings with a password (`redis://:pw@host`).

export interface SecretMatch {
  kind: string;
  /** Offsets of the secret itself (what is masked or redacted). */
  start: number;
  end: number;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** The capture group that holds the secret (0: the whole match). */
  group?: number;
  /** The value must look random (a generic rule): letters and digits, and enough entropy. */
  random?: boolean;
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function looksRandom(value: string): boolean {
  // Names made of lowercase words (`my-app-prod-credentials-v2`, `user_profile_cache`) are identifiers.
  if (/^[a-z]+(?:[-_.][a-z0-9]{1,12})+$/.test(value)) return false;
  // Long hex or base64 tokens have less entropy per character than short mixed ones.
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= (value.length >= 32 ? 3.0 : 3.5);
}

const Q = String.raw`\\?["'\x60]?`; // an optional quote, possibly escaped inside a JSON string
const SET = String.raw`\s{0,8}(?::|=>|=|:=|\()\s{0,8}`;

const RULES: Rule[] = [
  // Amazon Bedrock API keys first: a Bedrock tool must never pass on its own service's keys. Long-term
  // keys are `ABSK` + base64 of `BedrockAPIKey-…`; short-term keys are `bedrock-api-key-` + base64 of a
  // presigned `bedrock.amazonaws.com/?Action=CallWithBearerToken…` URL.
  { kind: 'Amazon Bedrock API key', pattern: /\bABSK[A-Za-z0-9+/]{40,600}={0,2}/g },
  { kind: 'Amazon Bedrock API key (short-term)', pattern: /\bbedrock-api-key-[A-Za-z0-9+/]{40,8000}={0,2}/g },
  {
    kind: 'AWS access key id',
    pattern: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})\b/g,
    group: 1,
  },
  {
    kind: 'AWS secret access key',
    pattern: new RegExp(
      String.raw`(?:aws_?)?(?:secret_?(?:access_?)?key|secretAccessKey)${Q}${SET}${Q}([A-Za-z0-9/+]{30}[A-Za-z0-9/+=]{10})(?![A-Za-z0-9/+=])`,
      'gi',
    ),
    group: 1,
  },
  {
    kind: 'AWS session token',
    pattern: new RegExp(
      String.raw`(?:aws_?session_?token|sessionToken|x-amz-security-token|security_token)${Q}${SET}${Q}([A-Za-z0-9/+=]{100,4096})`,
      'gi',
    ),
    group: 1,
  },
  {
    kind: 'private key',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g,
  },
  { kind: 'GitHub token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,255}\b/g },
  { kind: 'GitLab token', pattern: /\bgl(?:pat|ptt|rt|dt|cbt|soat|ffct)-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g },
  { kind: 'Slack token', pattern: /\bxox[abeposr]-[A-Za-z0-9-]{10,250}/g },
  {
    kind: 'Slack webhook',
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{8,64}\/[A-Za-z0-9+/_-]{8,64}\/[A-Za-z0-9+/_-]{16,64}/g,
  },
  {
    kind: 'OpenAI API key',
    pattern:
      /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|\bsk-proj-[A-Za-z0-9_-]{40,300}|\bsk-[A-Za-z0-9]{48}\b/g,
  },
  { kind: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin|oat)\d{2}-[A-Za-z0-9_-]{32,200}/g },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'Azure storage account key', pattern: /AccountKey=([A-Za-z0-9+/]{40,100}={0,2})/g, group: 1 },
  { kind: 'Twilio API key', pattern: /\bSK[0-9a-fA-F]{32}\b/g },
  { kind: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { kind: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{34,40}\b/g },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'Stripe secret key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,100}\b/g },
  {
    kind: 'password assignment',
    pattern: new RegExp(
      String.raw`\b(?:[A-Za-z0-9]{1,20}[_.-]){0,3}(?:password|passwd|pwd|pass)${Q}${SET}${Q}([^\s"'\x60,;\\]{6,200})`,
      'gi',
    ),
    group: 1,
  },
  {
    kind: 'connection string with password',
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{0,100}:([^\s@/]{3,200})@[^\s/]+/gi,
    group: 1,
  },
  // Services whose tokens carry their own prefix (the formats gitleaks' default rules describe).
  { kind: 'DigitalOcean token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { kind: 'PyPI token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}/g },
  { kind: 'Doppler token', pattern: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[a-zA-Z0-9]{40,44}\b/g },
  { kind: 'Postman API key', pattern: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/gi },
  { kind: 'Databricks token', pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g },
  { kind: 'Artifactory key', pattern: /\bAKCp[A-Za-z0-9]{69}\b|\bcmVmd[A-Za-z0-9]{59}\b/g },
  { kind: 'Age secret key', pattern: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g },
  {
    kind: 'Azure AD client secret',
    pattern: /(?:^|[\\'"\x60\s>=:(,])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?=$|[\\'"\x60\s<),])/gm,
    group: 1,
  },
  { kind: 'Square token', pattern: /\b(?:EAAA|sq0atp-|sq0csp-)[A-Za-z0-9_-]{22,60}\b/g },
  // Sentry organization tokens (`sntrys_` + base64 JSON + `_` + secret) and user tokens (`sntryu_` + hex).
  { kind: 'Sentry token', pattern: /\bsntrys_eyJ[A-Za-z0-9_=+/-]{40,1000}|\bsntryu_[a-f0-9]{64}\b/g },
  { kind: 'Perplexity API key', pattern: /\bpplx-[A-Za-z0-9]{48}\b/g },
  {
    kind: 'Azure storage account key',
    pattern: new RegExp(
      String.raw`(?:azure_?storage_?(?:account_?)?(?:access_?)?key|storage_?account_?key|accountKey)${Q}${SET}${Q}([A-Za-z0-9+/]{86}==)`,
      'gi',
    ),
    group: 1,
  },
  { kind: 'Pulumi token', pattern: /\bpul-[a-f0-9]{40}\b/g },
  { kind: 'New Relic key', pattern: /\bNR(?:AK|II|JS)-[A-Za-z0-9]{27}\b/g },
  { kind: 'Dynatrace token', pattern: /\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b/g },
  { kind: 'Prefect token', pattern: /\bpnu_[a-zA-Z0-9]{36}\b/g },
  { kind: 'Readme key', pattern: /\brdme_[a-z0-9]{70}\b/g },
  { kind: 'RubyGems key', pattern: /\brubygems_[a-f0-9]{48}\b/g },
  { kind: 'Telegram bot token', pattern: /\b\d{6,16}:A[a-zA-Z0-9_-]{34}\b/g },
  { kind: 'Typeform token', pattern: /\btfp_[a-zA-Z0-9_.=-]{59}\b/g },
  { kind: 'Sendinblue key', pattern: /\bxkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16}\b/g },
  { kind: 'Shippo token', pattern: /\bshippo_(?:live|test)_[a-f0-9]{40}\b/g },
  { kind: 'PlanetScale token', pattern: /\bpscale_(?:tkn|pw|oauth)_[a-zA-Z0-9_=.-]{32,64}\b/g },
  { kind: 'Clojars token', pattern: /\bCLOJARS_[a-z0-9]{60}\b/gi },
  { kind: 'Adobe client secret', pattern: /\bp8e-[a-zA-Z0-9]{32}\b/g },
  { kind: 'Alibaba access key id', pattern: /\bLTAI[a-zA-Z0-9]{20}\b/g },
  { kind: 'Atlassian token', pattern: /\bATATT3[A-Za-z0-9_=-]{186}/g },
  { kind: 'HashiCorp Terraform token', pattern: /\b[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}\b/g },
  { kind: 'Mailchimp key', pattern: /\b[a-f0-9]{32}-us\d{1,2}\b/g },
  { kind: 'Easypost key', pattern: /\bEZ[AT]K[a-zA-Z0-9]{54}\b/g },
  { kind: 'Duffel token', pattern: /\bduffel_(?:test|live)_[a-zA-Z0-9_=-]{43}\b/g },
  { kind: 'Flutterwave key', pattern: /\bFLW(?:PUB|SEC)K_TEST-[a-h0-9]{32}-X\b/gi },
  { kind: 'Frame.io token', pattern: /\bfio-u-[a-zA-Z0-9_=-]{64}\b/g },
  { kind: 'Grafana token', pattern: /\bgl(?:c|sa)_[A-Za-z0-9+/_=-]{32,200}/g },
  { kind: 'Vault token', pattern: /\bhv[sb]\.[A-Za-z0-9_-]{90,200}/g },
  { kind: 'Linear API key', pattern: /\blin_api_[a-zA-Z0-9]{40}\b/g },
  { kind: 'Shopify token', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  {
    // The long tail (most of gitleaks' service rules are "<service> key = <token>"): a secret-sounding name
    // assigned a token-like value; the value must look random (letters and digits, enough entropy).
    kind: 'API key or token assignment',
    pattern: new RegExp(
      String.raw`\b(?:[A-Za-z0-9]{1,30}[_.-]){0,3}(?:api[_.-]?key|apikey|access[_.-]?key|secret|token|auth[_.-]?key|client[_.-]?secret|private[_.-]?key|credentials?)[A-Za-z0-9]{0,20}${Q}${SET}${Q}([A-Za-z0-9_\-+/=.~]{16,200})(?![A-Za-z0-9_\-+/=.~])`,
      'gi',
    ),
    group: 1,
    random: true,
  },
  {
    kind: 'authorization header',
    pattern:
      /(?:Authorization|x-api-key)\\?["']?\s{0,4}[:=]\s{0,4}\\?["']?((?:Bearer|AWS4-HMAC-SHA256|Basic)\s[^"'\n]{8,2000})/gi,
    group: 1,
  },
];

/**
 * A cheap first pass: every rule's match contains one of these, so most text skips the rules. AWS key
 * prefixes are matched with their case (a case-blind `AKIA` would fire on every "and").
 */
const TRIGGER_CASED =
  /ABSK|bedrock-api-key-|pplx-|A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|SK[0-9a-fA-F]{8}|SG\.|AIza|eyJ|PRIVATE KEY|AccountKey|AKCp|cmVmd|AGE-SECRET|EAAA|NR(?:AK|II|JS)-|dt0c01|LTAI|ATATT3|atlasv1|EZ[AT]K|PMAK-|CLOJARS_|FLW|_v1_|pypi-|dp\.|dapi|sq0|sntr|pul-|pnu_|rdme_|rubygems_|tfp_|xkeysib-|shippo_|pscale_|p8e-|duffel_|fio-u-|hv[sb]\.|lin_api_|shp(?:at|ca|pa|ss)_|gh[pousr]_|github_pat_|gl(?:pat|ptt|rt|dt|cbt|soat|ffct)-|glc_|glsa_|xox|hooks\.slack|sk-|npm_|hf_|_live_|:\/\//;
/** Words a secret's name holds, in any case. */
const TRIGGER_WORDS = /secret|session|token|key|credential|pass|pwd|authorization/i;

/** Whether any rule could match (each pass reads the text once and copies nothing). */
function mayMatch(text: string): boolean {
  return (
    TRIGGER_CASED.test(text) ||
    TRIGGER_WORDS.test(text) ||
    text.includes('Q~') ||
    text.includes(':A') ||
    text.includes('-us')
  );
}

/**
 * Documented examples and placeholders are not secrets: AWS's `…EXAMPLE` keys, `${VAR}`, `<password>`,
 * `{{var}}`, `ghp_xxxx…`, `changeme`, masks like `****`.
 */
export function isPlaceholder(value: string): boolean {
  if (/EXAMPLE/.test(value)) return true;
  if (/^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][A-Za-z0-9_]*\)?|%[A-Za-z_]+%|<[^>]*>|\{\{[^}]*\}\}|\[[^\]]*\])$/.test(value))
    return true;
  if (
    /^(?:changeme|change_me|password|passw0rd|secret|redacted|placeholder|dummy|example|sample|test|none|null|undefined|true|false|\*+|x+|\.+|-+)$/i.test(
      value,
    )
  )
    return true;
  // A token body that is mostly one repeated character (`ghp_xxxxxxxx…`, `AKIAXXXXXXXXXXXXXXXX`).
  const body = value.replace(/^[A-Za-z]{2,8}[_-]/, '');
  if (body.length >= 8) {
    const counts = new Map<string, number>();
    for (const c of body) counts.set(c, (counts.get(c) ?? 0) + 1);
    if (Math.max(...counts.values()) / body.length >= 0.8) return true;
  }
  return false;
}

/** Every secret the project's rules find, with its offsets; placeholders and documented examples are left out. */
export function findSecrets(text: string, opts: { skipPlaceholders?: boolean } = {}): SecretMatch[] {
  if (!mayMatch(text)) return [];
  const skip = opts.skipPlaceholders !== false;
  const out: SecretMatch[] = [];
  for (const { kind, pattern, group = 0, random } of RULES) {
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      const value = m[group] ?? m[0];
      if (skip && isPlaceholder(value)) continue;
      if (random && !looksRandom(value)) continue;
      const start = (m.index ?? 0) + m[0].indexOf(value);
      out.push({ kind, start, end: start + value.length });
    }
  }
  out.push(...findJwts(text));
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * `eyJ….eyJ….sig` by one scan: each character is looked at a bounded number of times, whatever the
 * input (a backtracking pattern went quadratic on runs of `-eyJ`).
 */
function findJwts(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  const isB64 = (c: number) =>
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
  const segmentEnd = (from: number) => {
    let i = from;
    while (i < text.length && isB64(text.charCodeAt(i))) i++;
    return i;
  };
  let from = 0;
  for (;;) {
    const at = text.indexOf('eyJ', from);
    if (at < 0) return out;
    const header = segmentEnd(at);
    if (text[header] !== '.' || header - at < 13 || !text.startsWith('eyJ', header + 1)) {
      from = Math.max(header, at + 3);
      continue;
    }
    const payload = segmentEnd(header + 1);
    if (text[payload] !== '.' || payload - header - 1 < 13) {
      from = payload;
      continue;
    }
    const signature = segmentEnd(payload + 1);
    if (signature - payload - 1 >= 10) out.push({ kind: 'JSON Web Token', start: at, end: signature });
    from = signature;
  }
}

/** Text with every secret the project's rules find masked: for logs and anything else shown or kept. */
export function maskSecrets(
  text: string,
  mask: (m: SecretMatch, value: string) => string = (m) => `[REDACTED ${m.kind}]`,
  opts: { skipPlaceholders?: boolean } = {},
): string {
  const found = findSecrets(text, opts);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of found) {
    if (m.start < at) continue; // inside a secret already masked
    out += text.slice(at, m.start) + mask(m, text.slice(m.start, m.end));
    at = m.end;
  }
  return out + text.slice(at);
}

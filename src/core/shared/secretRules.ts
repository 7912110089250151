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
 * The names of the rules whose secret can be shorter than MIN_TOKEN_RUN or hold spaces (a password, an
 * `Authorization: Basic …` header), in any case. Every other rule's value is a long token run.
 */
const TRIGGER_WORDS = /pass|pwd|authorization|x-api-key/gi;
/** Strings that mark a secret without a long token run: Azure AD secrets (`…Q~…`), URLs with credentials, PEM headers. */
const TRIGGER_STRINGS = ['Q~', '://', '-----BEGIN'];
/**
 * The shortest run of token characters that every rule without a trigger word or string matches inside
 * (the shortest, a Slack token: `xoxb-` and ten characters).
 */
export const MIN_TOKEN_RUN = 15;

/** Characters secrets are made of: letters, digits, `_ - + / = .` (a table: the scan's inner loop). */
const TOKEN_CHARS = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/=.')
  TOKEN_CHARS[c.charCodeAt(0)] = 1;

export function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN_CHARS[c] === 1;
}

/**
 * Each maximal run of token characters at least `min` long, as [start, end). Only every `min`-th
 * character is probed: a run that long must hold one of them, and a probe that lands in a shorter run
 * skips past it. Prose costs a fraction of a look per character.
 */
export function tokenRuns(text: string, min: number, from = 0, to = text.length): [number, number][] {
  const runs: [number, number][] = [];
  let probe = from + min - 1;
  while (probe < to) {
    if (!isTokenChar(text.charCodeAt(probe))) {
      probe += min;
      continue;
    }
    let start = probe;
    while (start > from && isTokenChar(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < to && isTokenChar(text.charCodeAt(end))) end++;
    if (end - start >= min) runs.push([start, end]);
    probe = end + min;
  }
  return runs;
}

/**
 * The parts of a text that any rule could match in, joined: the lines around every token run of
 * MIN_TOKEN_RUN or more, every trigger word and every trigger string (with a margin for the name before
 * a value and for a value on the next line). `origin` maps an offset of `text` back to the original.
 * Most prose has none of these, and a file of code only some lines; the rules then read only those.
 */
export interface CandidateText {
  text: string;
  origin(offset: number): number;
}

/** Enough before a hit for a rule's leading context (`my_service_api_key = `), enough after for a value on the next line. */
const MARGIN_BEFORE = 256;
const MARGIN_AFTER = 128;
/** Windows are joined with more line breaks than any rule's `\s{0,8}` spans, so no match crosses a join. */
const JOIN = '\n'.repeat(10);

export function candidateText(text: string): CandidateText | undefined {
  const hits: number[] = []; // start, end pairs, unsorted
  for (const [s, e] of tokenRuns(text, MIN_TOKEN_RUN)) hits.push(s, e);
  TRIGGER_WORDS.lastIndex = 0;
  for (let m = TRIGGER_WORDS.exec(text); m; m = TRIGGER_WORDS.exec(text)) hits.push(m.index, m.index + m[0].length);
  for (const s of TRIGGER_STRINGS)
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) hits.push(i, i + s.length);
  if (hits.length === 0) return undefined;
  const order = Array.from({ length: hits.length / 2 }, (_, i) => i).sort((a, b) => hits[2 * a] - hits[2 * b]);
  // One sweep: each window is whole lines; a hit near the last window extends it. Line ends are looked
  // for only beyond the last window, so a text of one huge line is still read once.
  const windows: number[] = [];
  let winStart = -1;
  let winEnd = -1;
  for (const i of order) {
    const from = Math.max(0, hits[2 * i] - MARGIN_BEFORE);
    const to = Math.min(text.length, hits[2 * i + 1] + MARGIN_AFTER);
    if (winEnd >= 0 && from <= winEnd) {
      if (to > winEnd) winEnd = lineEnd(text, to);
      continue;
    }
    if (winEnd >= 0) windows.push(winStart, winEnd);
    winStart = text.lastIndexOf('\n', from) + 1;
    winEnd = lineEnd(text, to);
  }
  windows.push(winStart, winEnd);
  if (windows.length === 2 && windows[0] === 0 && windows[1] === text.length) return { text, origin: (o) => o };
  const parts: string[] = [];
  const at: number[] = []; // per window: its offset in the joined text
  let length = 0;
  for (let w = 0; w < windows.length; w += 2) {
    at.push(length);
    parts.push(text.slice(windows[w], windows[w + 1]));
    length += windows[w + 1] - windows[w] + JOIN.length;
  }
  return {
    text: parts.join(JOIN),
    origin(offset) {
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return Math.min(windows[2 * lo] + (offset - at[lo]), windows[2 * lo + 1]);
    },
  };
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
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
export function findSecrets(
  text: string,
  opts: { skipPlaceholders?: boolean } = {},
  candidates: CandidateText | undefined = candidateText(text),
): SecretMatch[] {
  if (!candidates) return [];
  const skip = opts.skipPlaceholders !== false;
  const out: SecretMatch[] = [];
  const scanned = candidates.text;
  for (const { kind, pattern, group = 0, random } of RULES) {
    pattern.lastIndex = 0;
    for (const m of scanned.matchAll(pattern)) {
      const value = m[group] ?? m[0];
      if (skip && isPlaceholder(value)) continue;
      if (random && !looksRandom(value)) continue;
      const start = (m.index ?? 0) + m[0].indexOf(value);
      const origin = candidates.origin(start);
      out.push({ kind, start: origin, end: origin + value.length });
    }
  }
  for (const m of findJwts(scanned)) {
    const origin = candidates.origin(m.start);
    out.push({ ...m, start: origin, end: origin + (m.end - m.start) });
  }
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

// The dataset scanner: the project's rule table (src/core/shared/secretRules.ts) and secretlint's maintained
// recommended preset (@secretlint/secretlint-rule-preset-recommend: AWS, GCP, GitHub, GitLab, Slack,
// OpenAI, Anthropic, Hugging Face, npm, SendGrid, Stripe, Shopify, Linear, Notion, Vercel, Cloudflare,
// Databricks, Docker, Figma, Grafana, Groq, Vault, Tailscale, 1Password, basic auth, database connection
// strings, private keys). secretlint is the maintained source of service formats; the table adds the
// spellings and classes the preset does not find and is what log redaction uses. Part of the dataset
// engine bundle (loaded on first use), so activation does not pay for it.
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { candidateText, findSecrets, isPlaceholder, tokenRuns, type SecretMatch } from '../shared/secretRules';
import { countNewlines, keyBlockRanges, mask, type SecretFinding } from './secrets';

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };

/** Words for secretlint's rule and message ids: `@secretlint/secretlint-rule-slack` + `IncomingWebhook` → "Slack incoming webhook". */
function kindOf(ruleId: string, messageId: string): string {
  const service = ruleId.replace(/^@secretlint\/secretlint-rule-/, '').replace(/-/g, ' ');
  const what = messageId
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${service.charAt(0).toUpperCase()}${service.slice(1)} ${what.replace(new RegExp(`^${service}\\s*`, 'i'), '')}`.trim();
}

/**
 * Every secret either source finds, as offsets; overlapping finds are one. Both read only the candidate
 * lines (see candidateText): every secret secretlint's preset knows holds a run of 20 or more token
 * characters, a URL with credentials or a PEM header, and each of those is a candidate.
 */
async function secretMatches(text: string): Promise<SecretMatch[]> {
  const candidates = candidateText(text);
  if (!candidates) return [];
  const own = findSecrets(text, {}, candidates);
  const result = await lintSource({
    source: { filePath: 'record.txt', content: candidates.text, ext: '.txt', contentType: 'text' },
    options: { config, maskSecrets: true },
  });
  const theirs: SecretMatch[] = [];
  for (const m of result.messages) {
    const [start, end] = m.range;
    if (isPlaceholder(candidates.text.slice(start, end))) continue;
    // Mapped end by end: a multi-line rule (a PEM block) may span two candidate windows.
    const origin = candidates.origin(start);
    theirs.push({
      kind: kindOf(m.ruleId, m.messageId ?? ''),
      start: origin,
      end: Math.max(origin + 1, candidates.origin(Math.max(start, end - 1)) + 1),
    });
  }
  return mergeRanges([...own, ...theirs]);
}

/**
 * A reading of the text in which a secret may show that the text itself hides: JSON escapes undone
 * (`\/`, `\u0041`), string literals joined (`"ghp_abc" + "def…"`), or a base64 block decoded. `origin`
 * maps an offset of the view back into the text; a secret found in a view covers, in the text, every
 * character its view characters came from.
 */
interface View {
  text: string;
  origin: (offset: number) => number;
  /** A secret anywhere in this view covers this whole range of the text (a base64 block). */
  whole?: { start: number; end: number };
}

/** The readings worth scanning besides the text itself (each made only when the text has what it undoes). */
function hiddenViews(text: string): View[] {
  const views: View[] = [];
  if (text.includes('\\')) {
    const json = rewritten(text, /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (m) => unescapeJson(m));
    if (json) views.push(json);
  }
  // `"abc" + "def"`, `'abc' 'def'` (Python), `"abc" \` + newline + `"def"`: the literals' parts joined.
  const joined = rewritten(text, /["'`][ \t]{0,8}(?:\+|\\)?[ \t\r\n]{0,40}["'`]/g, () => '');
  if (joined) views.push(joined);
  for (const [start, end] of base64Blocks(text)) {
    const decoded = decodeBase64Text(text.slice(start, end));
    if (decoded === undefined) continue;
    // A secret inside the block: the whole block goes (its bytes cannot be cut at a character).
    views.push({ text: decoded, origin: () => start, whole: { start, end } });
  }
  return views;
}

/** Runs of 40 or more base64 characters (and their `=` padding), inside the text's token runs. */
function base64Blocks(text: string): [number, number][] {
  const blocks: [number, number][] = [];
  const isBase64 = (c: number) =>
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47;
  for (const [runStart, runEnd] of tokenRuns(text, 40)) {
    let start = runStart;
    while (start < runEnd) {
      while (start < runEnd && !isBase64(text.charCodeAt(start))) start++;
      let end = start;
      while (end < runEnd && isBase64(text.charCodeAt(end))) end++;
      if (end - start >= 40) {
        let padded = end;
        while (padded < runEnd && padded - end < 2 && text.charCodeAt(padded) === 61) padded++;
        blocks.push([start, padded]);
      }
      start = end;
    }
  }
  return blocks;
}

function unescapeJson(m: RegExpExecArray | RegExpMatchArray): string {
  if (m[1]) return String.fromCharCode(parseInt(m[1], 16));
  const c = m[2];
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c;
}

/**
 * The text with each match of `pattern` replaced, and a map from the new offsets to the old (a list of
 * the replacements, searched by halves); undefined when nothing matches.
 */
function rewritten(text: string, pattern: RegExp, replace: (m: RegExpMatchArray) => string): View | undefined {
  const parts: string[] = [];
  // Per replacement: where it starts in the view, its length there, and where its match was in the text.
  const viewAt: number[] = [];
  const viewLength: number[] = [];
  const textAt: number[] = [];
  const textEnd: number[] = [];
  let at = 0;
  let length = 0;
  for (const m of text.matchAll(pattern)) {
    parts.push(text.slice(at, m.index));
    length += m.index - at;
    const r = replace(m);
    viewAt.push(length);
    viewLength.push(r.length);
    textAt.push(m.index);
    textEnd.push(m.index + m[0].length);
    parts.push(r);
    length += r.length;
    at = m.index + m[0].length;
  }
  if (viewAt.length === 0) return undefined;
  parts.push(text.slice(at));
  return {
    text: parts.join(''),
    origin(offset) {
      // The last replacement starting at or before the offset.
      let lo = -1;
      let hi = viewAt.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (viewAt[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      if (lo < 0) return offset;
      const inside = offset - viewAt[lo];
      // Every character of a replacement came from its match's start; after it, the text is copied.
      if (inside < viewLength[lo]) return textAt[lo];
      return Math.min(text.length, textEnd[lo] + inside - viewLength[lo]);
    },
  };
}

/** A base64 block's bytes as text, when they are text (mostly printable UTF-8); else undefined. */
function decodeBase64Text(block: string): string | undefined {
  const bytes = Buffer.from(block, 'base64');
  let printable = 0;
  for (const b of bytes) if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) printable++;
  if (bytes.length < 20 || printable / bytes.length < 0.9) return undefined;
  return bytes.toString('utf8');
}

/** Every secret in the text, in its own spelling or hidden by an escape, a concatenation or base64. */
export async function secretRanges(text: string): Promise<SecretMatch[]> {
  const found = [...keyBlockRanges(text), ...(await secretMatches(text))];
  for (const view of hiddenViews(text)) {
    for (const m of await secretMatches(view.text)) {
      if (view.whole) {
        found.push({ kind: m.kind, ...view.whole });
        continue;
      }
      const start = view.origin(m.start);
      const end = m.end > m.start ? view.origin(m.end - 1) + 1 : start;
      found.push({ kind: m.kind, start, end: Math.max(end, start + 1) });
    }
  }
  return mergeRanges(found);
}

function mergeRanges(found: SecretMatch[]): SecretMatch[] {
  const all = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretMatch[] = [];
  for (const m of all) {
    const last = merged.at(-1);
    if (last && m.start < last.end) last.end = Math.max(last.end, m.end);
    else merged.push({ ...m });
  }
  return merged;
}

/** Findings for the report, with lines counted from `firstLine`. */
export async function scanSecretsDeep(text: string, path: string, firstLine = 1): Promise<SecretFinding[]> {
  return findingsOf(text, await secretRanges(text), path, firstLine);
}

export function findingsOf(text: string, ranges: SecretMatch[], path: string, firstLine = 1): SecretFinding[] {
  return ranges.map((m) => ({
    kind: m.kind,
    path,
    line: firstLine + countNewlines(text, m.start),
    preview: mask(text.slice(m.start, m.end)),
  }));
}

/** Text with the ranges replaced by `[REDACTED <kind>]`. */
export function redactRanges(text: string, ranges: SecretMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of ranges) {
    if (m.end <= at) continue;
    out += `${text.slice(at, Math.max(at, m.start))}[REDACTED ${m.kind}]`;
    at = m.end;
  }
  return out + text.slice(at);
}

/** The text with every secret replaced by `[REDACTED <kind>]`; a private key goes whole. */
export async function redactSecretsDeep(text: string): Promise<string> {
  return redactRanges(text, await secretRanges(text));
}

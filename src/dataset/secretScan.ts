// The dataset scanner: the project's rule table (src/shared/secretRules.ts) and secretlint's maintained
// recommended preset (@secretlint/secretlint-rule-preset-recommend: AWS, GCP, GitHub, GitLab, Slack,
// OpenAI, Anthropic, Hugging Face, npm, SendGrid, Stripe, Shopify, Linear, Notion, Vercel, Cloudflare,
// Databricks, Docker, Figma, Grafana, Groq, Vault, Tailscale, 1Password, basic auth, database connection
// strings, private keys). secretlint is the maintained source of service formats; the table adds the
// spellings and classes the preset does not find and is what log redaction uses. Part of the dataset
// engine bundle (loaded on first use), so activation does not pay for it.
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { findSecrets, isPlaceholder, type SecretMatch } from '../shared/secretRules';
import { countNewlines, mask, redactKeyBlocks, type SecretFinding } from './secrets';

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
 * What every secret secretlint's preset knows has: a run of 20 or more token characters, a URL with
 * credentials, or a PEM header. Text without any (most prose) is not handed to secretlint at all.
 */
function mayHoldSecret(text: string): boolean {
  if (text.includes('://') || text.includes('-----BEGIN')) return true;
  // One pass counting runs of token characters (a pattern with {20} retries from every position).
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const token =
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 95 ||
      c === 45 ||
      c === 43 ||
      c === 47 ||
      c === 61 ||
      c === 46;
    run = token ? run + 1 : 0;
    if (run >= 20) return true;
  }
  return false;
}

/** Every secret either source finds, as offsets; overlapping finds are one. */
async function secretMatches(text: string): Promise<SecretMatch[]> {
  const own = findSecrets(text);
  if (!mayHoldSecret(text)) return own;
  const result = await lintSource({
    source: { filePath: 'record.txt', content: text, ext: '.txt', contentType: 'text' },
    options: { config, maskSecrets: true },
  });
  const theirs: SecretMatch[] = [];
  for (const m of result.messages) {
    const [start, end] = m.range;
    if (isPlaceholder(text.slice(start, end))) continue;
    theirs.push({ kind: kindOf(m.ruleId, m.messageId ?? ''), start, end });
  }
  const all = [...own, ...theirs].sort((a, b) => a.start - b.start || b.end - a.end);
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
  return (await secretMatches(text)).map((m) => ({
    kind: m.kind,
    path,
    line: firstLine + countNewlines(text, m.start),
    preview: mask(text.slice(m.start, m.end)),
  }));
}

/** The text with every secret replaced by `[REDACTED <kind>]`; a private key goes whole. */
export async function redactSecretsDeep(text: string): Promise<string> {
  const blocks = redactKeyBlocks(text);
  const found = await secretMatches(blocks);
  let out = '';
  let at = 0;
  for (const m of found) {
    out += `${blocks.slice(at, m.start)}[REDACTED ${m.kind}]`;
    at = m.end;
  }
  return out + blocks.slice(at);
}

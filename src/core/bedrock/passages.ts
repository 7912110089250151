// What a knowledge base retrieved, read once: each passage's text, where it comes from and its score.
// Passages are untrusted data (someone else's documents): they are shown as text, never as Markdown or
// structure, and a source is only a label and, for S3 and web sources, a location.
import type { RetrieveCommandOutput } from '@aws-sdk/client-bedrock-agent-runtime';

export interface Passage {
  text: string;
  /** `s3://bucket/refund-policy.md`, a URL, or the source system's id. */
  source: string;
  /** The file or page name alone (`refund-policy.md`), for short listings and assertions. */
  sourceName: string;
  score?: number;
}

type Location = NonNullable<NonNullable<RetrieveCommandOutput['retrievalResults']>[number]['location']>;

function sourceOf(location: Location | undefined, documentId: string | undefined): string {
  if (!location) return documentId ?? 'unknown source';
  return (
    location.s3Location?.uri ??
    location.webLocation?.url ??
    location.confluenceLocation?.url ??
    location.salesforceLocation?.url ??
    location.sharePointLocation?.url ??
    location.kendraDocumentLocation?.uri ??
    location.customDocumentLocation?.id ??
    (location.sqlLocation?.query ? `SQL: ${location.sqlLocation.query}` : undefined) ??
    documentId ??
    String(location.type ?? 'unknown source')
  );
}

export function passagesOf(out: Pick<RetrieveCommandOutput, 'retrievalResults'>): Passage[] {
  return (out.retrievalResults ?? []).map((r) => {
    const source = sourceOf(r.location, r.documentId);
    return {
      text: r.content?.text ?? (r.content?.row ?? []).map((c) => `${c.columnName}: ${c.columnValue}`).join(', '),
      source,
      sourceName:
        source
          .replace(/[?#].*$/, '')
          .split('/')
          .filter(Boolean)
          .pop() ?? source,
      ...(r.score !== undefined ? { score: r.score } : {}),
    };
  });
}

/** The passages as plain text for a reader: rank, score, source, then the passage indented (never Markdown). */
export function passagesText(query: string, knowledgeBase: string, passages: Passage[]): string {
  const lines = [
    `Query: ${query}`,
    `Knowledge base: ${knowledgeBase}`,
    `${passages.length} passage(s), best first`,
    '',
  ];
  passages.forEach((p, i) => {
    lines.push(`${i + 1}. ${p.source}${p.score !== undefined ? `  (score ${p.score.toFixed(3)})` : ''}`);
    for (const line of p.text.split(/\r?\n/)) lines.push(`   ${line}`);
    lines.push('');
  });
  return lines.join('\n');
}

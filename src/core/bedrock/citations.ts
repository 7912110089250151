// Citations: what a model cites from the documents attached with `bedrock.citations: true`, read once
// from a Converse answer (citationsContent blocks) or a stream (citation deltas), and worded once for the
// editor (a comment after the answer, never sent back), the CLI and the run record.
import type { CitationLocation } from '@aws-sdk/client-bedrock-runtime';

/** A citation as the service sends it, whole (Converse) or as a stream delta (ConverseStream). */
interface SdkCitation {
  title?: string;
  source?: string;
  sourceContent?: { text?: string }[];
  location?: CitationLocation;
}

export interface Citation {
  /** The document's title (its name in the request), or "document N" (its place among the request's documents). */
  document: string;
  /** Where a cited search result comes from (a knowledge base passage's source), as the request named it. */
  source?: string;
  /** Where in it: characters, pages or chunks, as the model's location says. */
  location?: string;
  /** The text of the document the claim rests on. */
  quoted: string;
}

function locationText(location: CitationLocation | undefined): { index?: number; text?: string } {
  // Ends are exclusive (as in Anthropic's citations: characters from 0, pages from 1): shown inclusive.
  const span = (what: string, l: { documentIndex?: number; start?: number; end?: number }) => ({
    index: l.documentIndex,
    text:
      l.start === undefined
        ? undefined
        : l.end === undefined || l.end - 1 <= l.start
          ? `${what} ${l.start}`
          : `${what}s ${l.start}–${l.end - 1}`,
  });
  if (location?.documentChar) return span('character', location.documentChar);
  if (location?.documentPage) return span('page', location.documentPage);
  if (location?.documentChunk) return span('chunk', location.documentChunk);
  if (location?.searchResultLocation)
    return {
      index: location.searchResultLocation.searchResultIndex,
      text:
        location.searchResultLocation.searchResultIndex === undefined
          ? undefined
          : `search result ${location.searchResultLocation.searchResultIndex + 1}`,
    };
  return {};
}

/** One citation from the service's shape: the document by its title, else by its place in the request. */
export function readCitation(c: SdkCitation): Citation {
  const where = locationText(c.location);
  return {
    document: c.title ?? c.source ?? (where.index !== undefined ? `document ${where.index + 1}` : 'a document'),
    ...(c.source ? { source: c.source } : {}),
    location: where.text,
    quoted: (c.sourceContent ?? []).map((s) => s.text ?? '').join(''),
  };
}

/** The citations as lines: `[1] report.pdf, pages 2–3: "…quoted…"`. */
export function citationLines(citations: readonly Citation[]): string[] {
  return citations.map(
    (c, i) =>
      `[${i + 1}] ${c.document}${c.location ? `, ${c.location}` : ''}: "${c.quoted.replace(/\s+/g, ' ').trim()}"`,
  );
}

// What a knowledge base retrieved, read once: each passage's text, where it comes from and its score.
// Passages are untrusted data (someone else's documents): they are shown as text, never as Markdown or
// structure, and a source is only a label and, for S3 and web sources, a location.
import type {
  AgenticRetrieveResultItem,
  KnowledgeBaseRetrievalConfiguration,
  RetrieveCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { RetrieveOptions } from './clients';
import { sourceNameOf, type Passage, type Retrieval } from '../format/knowledgeBase';

export type { Passage };

/** Retrieve's `retrievalConfiguration` for a prompt's or a command's options (Retrieve and RetrieveAndGenerate). */
export function retrievalConfiguration(
  opts: Omit<RetrieveOptions, 'signal'>,
): KnowledgeBaseRetrievalConfiguration | undefined {
  if (!opts.numberOfResults && !opts.searchType && !opts.filter && !opts.reranking) return undefined;
  return {
    vectorSearchConfiguration: {
      numberOfResults: opts.numberOfResults,
      overrideSearchType: opts.searchType,
      filter: opts.filter as never,
      rerankingConfiguration: opts.reranking
        ? {
            type: 'BEDROCK_RERANKING_MODEL',
            bedrockRerankingConfiguration: {
              modelConfiguration: { modelArn: opts.reranking.modelArn },
              numberOfRerankedResults: opts.reranking.numberOfResults,
            },
          }
        : undefined,
    },
  };
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

/** The metadata key of a passage's data source [docs: Retrieve's metadata]. */
const DATA_SOURCE_KEY = 'x-amz-bedrock-kb-data-source-id';

export function passagesOf(out: Pick<RetrieveCommandOutput, 'retrievalResults'>): Passage[] {
  return (out.retrievalResults ?? []).map((r) => {
    const source = sourceOf(r.location, r.documentId);
    const dataSourceId = r.metadata?.[DATA_SOURCE_KEY];
    return {
      text: r.content?.text ?? (r.content?.row ?? []).map((c) => `${c.columnName}: ${c.columnValue}`).join(', '),
      source,
      sourceName: sourceNameOf(source),
      ...(r.score !== undefined ? { score: r.score } : {}),
      ...(r.documentId && typeof dataSourceId === 'string' && dataSourceId
        ? { document: { dataSourceId, documentId: r.documentId } }
        : {}),
    };
  });
}

/** The metadata key Bedrock knowledge bases give a passage's source document [docs: Retrieve's metadata]. */
const SOURCE_URI_KEY = 'x-amz-bedrock-kb-source-uri';

/** A passage of AgenticRetrieveStream's results: its source from the knowledge base's metadata, else the retriever. */
export function agenticPassage(item: AgenticRetrieveResultItem): Passage {
  const uri = item.metadata?.[SOURCE_URI_KEY];
  const source = typeof uri === 'string' && uri ? uri : (item.sourceRetriever?.identifier ?? 'unknown source');
  const score = item.metadata?.score;
  return {
    text: item.content?.text ?? '',
    source,
    sourceName: sourceNameOf(source),
    ...(typeof score === 'number' ? { score } : {}),
  };
}

/**
 * What a run retrieved, as the lines shown after its answer (a comment in the file, the CLI's stderr):
 * the query, then each passage's source, score and opening words. The whole passages stay in the run record.
 */
export function retrievalLines(r: Retrieval): string[] {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const opening = (text: string) => (oneLine(text).length > 120 ? `${oneLine(text).slice(0, 120)}…` : oneLine(text));
  return [
    `${r.passages.length} passage(s) from knowledge base ${r.knowledgeBaseId} for "${opening(r.query)}"`,
    ...r.passages.map(
      (p, i) =>
        `[${i + 1}] ${p.source}${p.score !== undefined ? ` (score ${p.score.toFixed(3)})` : ''}: "${opening(p.text)}"`,
    ),
  ];
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

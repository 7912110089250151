// A prompt's knowledge base (`bedrock.knowledgeBase`: retrieve, then prompt), as the format sees it: the
// setting read from the frontmatter, the passages a retrieval hands the template (`@passages`), and the
// blocks that send them to the model with citations on (`attach`). Retrieval itself is the engine's
// (src/app/retrieval.ts); this layer never calls AWS.
//
// Passages are untrusted data (someone else's documents): they reach the template as a data variable
// and the model as block contents, never as roles, media or options.
import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { documentName } from './document';

export interface Passage {
  text: string;
  /** `s3://bucket/refund-policy.md`, a URL, or the source system's id. */
  source: string;
  /** The file or page name alone (`refund-policy.md`), for short listings and assertions. */
  sourceName: string;
  score?: number;
  /** Where GetDocumentContent finds the document, when the knowledge base says (its managed sources). */
  document?: { dataSourceId: string; documentId: string };
}

export interface KnowledgeBaseSetting {
  id: string;
  numberOfResults?: number;
  searchType?: 'HYBRID' | 'SEMANTIC';
  /** Retrieve's RetrievalFilter, as written. */
  filter?: Record<string, unknown>;
  reranking?: { modelArn: string; numberOfResults?: number };
  /** The input whose value is the query; else the last user turn's text. */
  queryInput?: string;
  attach?: 'searchResults' | 'documents';
  /** `retrieve` (default): retrieve, then this prompt renders and runs; `generate`: RetrieveAndGenerateStream answers. */
  mode?: 'retrieve' | 'generate';
}

/** What a render retrieved: kept with the run (its record, the file's comment, assertions). */
export interface Retrieval {
  knowledgeBaseId: string;
  query: string;
  passages: Passage[];
}

/**
 * The frontmatter's `bedrock.knowledgeBase`. The analysis checks every field against the published
 * schema; a render checks what it needs to call Retrieve at all, so a file run without the analysis
 * (a CLI given a broken file) fails with the fix rather than a service error.
 */
export function knowledgeBaseSetting(raw: Record<string, unknown>): KnowledgeBaseSetting | undefined {
  const kb = raw['bedrock.knowledgeBase'];
  if (kb === undefined || kb === null) return undefined;
  const id = (kb as { id?: unknown }).id;
  if (typeof kb !== 'object' || Array.isArray(kb) || typeof id !== 'string' || !id.trim())
    throw new Error(
      '`bedrock.knowledgeBase` needs `id:` (the knowledge base ID, e.g. `SUPPORTKB1`: Knowledge Bases view → Copy ID).',
    );
  return kb as KnowledgeBaseSetting;
}

/** The setting when it is usable, else undefined (the schema's diagnostics say what is wrong). */
export function knowledgeBaseSettingOrNone(raw: Record<string, unknown>): KnowledgeBaseSetting | undefined {
  try {
    return knowledgeBaseSetting(raw);
  } catch {
    return undefined;
  }
}

/** A source's file or page name (`refund-policy.md`), for listings and assertions. */
export function sourceNameOf(source: string): string {
  return (
    source
      .replace(/[?#].*$/, '')
      .split('/')
      .filter(Boolean)
      .pop() ?? source
  );
}

/** Whether a source is the one an assertion names: its file name, a path's tail, or the whole URI. */
export function sourceMatches(source: string, wanted: string): boolean {
  const w = wanted.trim();
  return source === w || sourceNameOf(source) === w || source.endsWith(`/${w.replace(/^\/+/, '')}`);
}

/** A passage's name as a document block (Converse refuses two documents with one name: its rank tells them apart). */
function passageDocumentName(p: Passage, index: number): string {
  return `${documentName(p.sourceName)} [${index + 1}]`;
}

/**
 * The sources an answer cites: a search result's own source, a passage document's source (found by the
 * name passageBlocks gave it), else the cited document's name.
 */
export function citedSources(
  citations: readonly { document: string; source?: string }[],
  retrieval: Retrieval | undefined,
): string[] {
  const byName = new Map((retrieval?.passages ?? []).map((p, i) => [passageDocumentName(p, i), p.source]));
  return [...new Set(citations.map((c) => c.source ?? byName.get(c.document) ?? c.document))];
}

/**
 * The passages as content blocks the model can cite: search-result blocks (source, title, the text), or
 * one plain-text document per passage. Citations are on: the answer names the source it rests on.
 */
export function passageBlocks(passages: readonly Passage[], attach: 'searchResults' | 'documents'): ContentBlock[] {
  if (attach === 'searchResults')
    return passages.map((p) => ({
      searchResult: {
        source: p.source,
        title: p.sourceName,
        content: [{ text: p.text }],
        citations: { enabled: true },
      },
    }));
  return passages.map((p, i) => ({
    document: {
      format: 'txt',
      name: passageDocumentName(p, i),
      source: { text: p.text },
      citations: { enabled: true },
    },
  }));
}

// Knowledge bases (bedrock-agent: List/GetKnowledgeBase, ListDataSources, Start/Get/ListIngestionJobs;
// bedrock-agent-runtime: Retrieve) [sdk shapes]. A knowledge base's S3 data source is a prefix of the local
// S3: a sync (ingestion job) reads its Markdown and text files, cuts them into paragraph chunks and indexes
// them. Retrieval ranks chunks with BM25 over words: a small lexical ranker standing in for vector search
// [ours: real scores come from embeddings, and HYBRID adds keyword search]. A document's metadata comes
// from its `<file>.metadata.json` beside it (`metadataAttributes`) [docs], and Retrieve's `filter` is
// applied to it with the service's operators [sdk shapes]; reranking (`BEDROCK_RERANKING_MODEL`) keeps
// the passages that hold most of the query's words [ours: a reranker model scores relevance]. The demo's
// documents (examples/knowledge-base/*.md) are in S3 and indexed at start, as if synced once.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import { eventFrame } from './eventstream';
import type { S3Store } from './s3';
import { ACCOUNT_ID } from './state';

const BUCKET = 'bedrock-prompt-lab-data';
const PREFIX = 'knowledge-base/';
/** The demo documents, from the compiled emulator (out/test/emulator) back to the repository. */
const EXAMPLES = path.resolve(__dirname, '../../../examples/knowledge-base');

/** The data source of the managed knowledge base's documents (the service manages its sources). */
const MANAGED_DATA_SOURCE = 'MANAGEDDS1';

/** A chunk's document: its file's name (the document id in results and GetDocumentContent). */
function documentName(d: { uri: string }): string {
  return d.uri.slice(d.uri.lastIndexOf('/') + 1);
}

interface Chunk {
  uri: string;
  text: string;
  words: string[];
  id: string;
  /** The document's own metadata (its `.metadata.json`), without the service's `x-amz-bedrock-kb-*` keys. */
  attributes: Record<string, unknown>;
}

type Filter = Record<string, unknown>;
const COMPARISONS: Record<string, (have: unknown, want: unknown) => boolean> = {
  equals: (h, w) => h === w,
  notEquals: (h, w) => h !== w,
  greaterThan: (h, w) => typeof h === 'number' && typeof w === 'number' && h > w,
  greaterThanOrEquals: (h, w) => typeof h === 'number' && typeof w === 'number' && h >= w,
  lessThan: (h, w) => typeof h === 'number' && typeof w === 'number' && h < w,
  lessThanOrEquals: (h, w) => typeof h === 'number' && typeof w === 'number' && h <= w,
  in: (h, w) => Array.isArray(w) && w.includes(h),
  notIn: (h, w) => Array.isArray(w) && !w.includes(h),
  startsWith: (h, w) => typeof h === 'string' && typeof w === 'string' && h.startsWith(w),
  stringContains: (h, w) =>
    typeof w === 'string' &&
    (typeof h === 'string' ? h.includes(w) : Array.isArray(h) && h.some((x) => String(x).includes(w))),
  listContains: (h, w) => Array.isArray(h) && h.includes(w),
};

/** Whether a chunk's metadata passes a RetrievalFilter (one operator per level, as the union says). */
function passes(filter: Filter, metadata: Record<string, unknown>): boolean {
  const [op, arg] = Object.entries(filter)[0] ?? [];
  if (op === 'andAll' || op === 'orAll') {
    if (!Array.isArray(arg) || arg.length < 2) throw ServiceError.validation(`${op} must hold at least 2 filters.`);
    return op === 'andAll'
      ? arg.every((f: Filter) => passes(f, metadata))
      : arg.some((f: Filter) => passes(f, metadata));
  }
  const compare = op === undefined ? undefined : COMPARISONS[op];
  const attribute = arg as { key?: unknown; value?: unknown } | undefined;
  if (!compare || typeof attribute?.key !== 'string')
    throw ServiceError.validation(
      `Invalid filter: expected one of ${[...Object.keys(COMPARISONS), 'andAll', 'orAll'].join(', ')} with {key, value}.`,
    );
  return Object.hasOwn(metadata, attribute.key) && compare(metadata[attribute.key], attribute.value);
}

interface IngestionJob {
  ingestionJobId: string;
  status: 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  startedAt: Date;
  updatedAt: Date;
  statistics?: Record<string, number>;
}

interface DataSource {
  dataSourceId: string;
  name: string;
  s3Prefix: string;
  updatedAt: Date;
  jobs: IngestionJob[];
}

interface KnowledgeBase {
  knowledgeBaseId: string;
  name: string;
  description: string;
  type: 'VECTOR' | 'KENDRA' | 'SQL' | 'MANAGED';
  updatedAt: Date;
  dataSources: DataSource[];
  chunks: Chunk[];
}

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]{2,}/g) ?? [];

export class KnowledgeBaseService {
  readonly all: KnowledgeBase[];

  constructor(
    private readonly s3: S3Store,
    /** How long a sync runs before it completes. */
    private readonly syncMs: number,
    /** The documents the support knowledge base starts with (default: the demo's). */
    folder = EXAMPLES,
  ) {
    const now = new Date('2026-11-20T09:00:00Z');
    // Without the demo documents (an emulator copied elsewhere) the knowledge base starts empty, and a
    // sync after an upload fills it.
    const files = (() => {
      try {
        return readdirSync(folder).filter((f) => /\.(md|txt)$/.test(f));
      } catch (err) {
        process.stderr.write(`[emulator] no demo documents for the knowledge base: ${String(err)}\n`);
        return [];
      }
    })();
    const uploads = files
      .flatMap((f) => [f, `${f}.metadata.json`])
      .filter((f) => {
        try {
          readFileSync(path.join(folder, f));
          return true;
        } catch {
          return false; // a document without metadata
        }
      });
    for (const file of uploads) s3.put(BUCKET, `${PREFIX}${file}`, readFileSync(path.join(folder, file), 'utf8'));
    const support: KnowledgeBase = {
      knowledgeBaseId: 'SUPPORTKB1',
      name: 'support-docs',
      description: 'Refunds, shipping and warranty, from the support handbook.',
      type: 'VECTOR',
      updatedAt: now,
      dataSources: [
        {
          dataSourceId: 'SUPPORTDS1',
          name: 'support-handbook-s3',
          s3Prefix: `s3://${BUCKET}/${PREFIX}`,
          updatedAt: now,
          jobs: [
            {
              ingestionJobId: 'INGEST0001',
              status: 'COMPLETE',
              startedAt: now,
              updatedAt: now,
              statistics: { numberOfDocumentsScanned: 3, numberOfNewDocumentsIndexed: 3 },
            },
          ],
        },
      ],
      chunks: [],
    };
    support.chunks = this.index(support.dataSources[0]);
    this.all = [
      support,
      {
        knowledgeBaseId: 'MANAGEDKB1',
        name: 'handbook-managed',
        description: 'A managed knowledge base (Bedrock chooses the store and the embeddings), over the same handbook.',
        type: 'MANAGED',
        updatedAt: now,
        dataSources: [],
        chunks: support.chunks,
      },
      {
        knowledgeBaseId: 'KENDRAKB01',
        name: 'policies-kendra',
        description: 'Company policies in a Kendra index (nothing indexed locally).',
        type: 'KENDRA',
        updatedAt: now,
        dataSources: [],
        chunks: [],
      },
    ];
  }

  /** The data source's files in the local S3, as paragraph chunks. */
  private index(source: DataSource): Chunk[] {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(source.s3Prefix)!;
    const objects = this.s3.buckets.get(m[1]) ?? new Map<string, { body: Buffer }>();
    const chunks: Chunk[] = [];
    for (const [key, object] of objects) {
      if (!key.startsWith(m[2]) || !/\.(md|txt)$/.test(key)) continue;
      const uri = `s3://${m[1]}/${key}`;
      const attributes = (() => {
        const sidecar = objects.get(`${key}.metadata.json`);
        if (!sidecar) return {};
        try {
          const parsed = JSON.parse(sidecar.body.toString('utf8')) as { metadataAttributes?: Record<string, unknown> };
          return parsed.metadataAttributes ?? {};
        } catch {
          return {}; // a broken metadata file is skipped, as the service reports it in the sync's warnings
        }
      })();
      object.body
        .toString('utf8')
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter((p) => p && !/^#+\s/.test(p))
        .forEach((text, i) => chunks.push({ uri, text, words: words(text), id: `${key}#${i}`, attributes }));
    }
    return chunks;
  }

  private find(id: string): KnowledgeBase {
    const kb = this.all.find((k) => k.knowledgeBaseId === id);
    if (!kb) throw ServiceError.notFound(`Knowledge base ${id} not found.`);
    return kb;
  }

  private advance(kb: KnowledgeBase): void {
    for (const source of kb.dataSources)
      for (const job of source.jobs)
        if (
          job.status !== 'COMPLETE' &&
          job.status !== 'FAILED' &&
          Date.now() - job.startedAt.getTime() >= this.syncMs
        ) {
          kb.chunks = this.index(source);
          job.status = 'COMPLETE';
          job.updatedAt = new Date();
          const documents = new Set(kb.chunks.map((c) => c.uri)).size;
          job.statistics = { numberOfDocumentsScanned: documents, numberOfModifiedDocumentsIndexed: documents };
          kb.updatedAt = source.updatedAt = job.updatedAt;
        }
  }

  /** BM25 over the chunks' words; the score is squashed into 0..1 as a similarity would be. */
  private rank(kb: KnowledgeBase, query: string, n: number, filter?: Filter, rerankTo?: number) {
    const q = [...new Set(words(query))];
    // A managed knowledge base's documents come from sources the service manages: no S3 location, a
    // document id and its data source instead, for GetDocumentContent [ours: the fields are the SDK's].
    const managed = kb.type === 'MANAGED';
    const metadataOf = (d: Chunk): Record<string, unknown> => ({
      ...d.attributes,
      'x-amz-bedrock-kb-source-uri': managed ? documentName(d) : d.uri,
      'x-amz-bedrock-kb-chunk-id': d.id,
      'x-amz-bedrock-kb-data-source-id': managed ? MANAGED_DATA_SOURCE : (kb.dataSources[0]?.dataSourceId ?? ''),
    });
    const docs = filter ? kb.chunks.filter((d) => passes(filter, metadataOf(d))) : kb.chunks;
    const avg = docs.reduce((s, d) => s + d.words.length, 0) / Math.max(1, docs.length);
    const scored = docs.map((d) => {
      let score = 0;
      for (const term of q) {
        const tf = d.words.filter((w) => w === term).length;
        if (!tf) continue;
        const df = docs.filter((x) => x.words.includes(term)).length;
        const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * d.words.length) / avg));
      }
      return { d, score };
    });
    let ranked = scored
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.d.id.localeCompare(b.d.id))
      .slice(0, n)
      .map(({ d, score }) => ({ d, score: Number((score / (score + 3)).toFixed(4)) }));
    if (rerankTo !== undefined)
      ranked = ranked
        .map(({ d }) => ({ d, score: Number((q.filter((t) => d.words.includes(t)).length / q.length).toFixed(4)) }))
        .sort((a, b) => b.score - a.score || a.d.id.localeCompare(b.d.id))
        .slice(0, rerankTo);
    return ranked.map(({ d, score }) => ({
      content: { type: 'TEXT', text: d.text },
      location: managed
        ? { type: 'CUSTOM', customDocumentLocation: { id: documentName(d) } }
        : { type: 'S3', s3Location: { uri: d.uri } },
      documentId: documentName(d),
      score,
      metadata: metadataOf(d),
    }));
  }

  /**
   * RetrieveAndGenerateStream [sdk shapes: `output {text}`, `citation {generatedResponsePart, retrievedReferences}`
   * events, the session id in `x-amzn-bedrock-knowledge-base-session-id`]. The answer is the opening
   * sentence of each passage found, in rank order, each followed by a citation of its passage [ours: a
   * model writes the real answer]; nothing found gives the service's refusal. Managed knowledge bases are
   * refused with the service's words [sdk: the operation's documentation].
   */
  private retrieveAndGenerate(ctx: RequestContext): void {
    const body = parseJsonBody<{
      input?: { text?: unknown };
      sessionId?: unknown;
      retrieveAndGenerateConfiguration?: {
        type?: unknown;
        knowledgeBaseConfiguration?: {
          knowledgeBaseId?: unknown;
          modelArn?: unknown;
          retrievalConfiguration?: { vectorSearchConfiguration?: { numberOfResults?: unknown; filter?: Filter } };
        };
      };
    }>(ctx);
    const config = body.retrieveAndGenerateConfiguration;
    const kbConfig = config?.knowledgeBaseConfiguration;
    if (config?.type !== 'KNOWLEDGE_BASE' || typeof kbConfig?.knowledgeBaseId !== 'string')
      throw ServiceError.validation(
        'retrieveAndGenerateConfiguration needs type KNOWLEDGE_BASE and knowledgeBaseConfiguration.knowledgeBaseId.',
      );
    if (typeof kbConfig.modelArn !== 'string' || !kbConfig.modelArn)
      throw ServiceError.validation(
        'knowledgeBaseConfiguration.modelArn must name the model that generates the answer.',
      );
    const text = body.input?.text;
    if (typeof text !== 'string' || !text.trim())
      throw ServiceError.validation('input.text must be a non-empty string.');
    const kb = this.find(kbConfig.knowledgeBaseId);
    if (kb.type === 'MANAGED')
      throw ServiceError.validation(
        'This API cannot be used with managed knowledge bases. Use AgenticRetrieveStream or Retrieve.',
      );
    this.advance(kb);
    const n = Number(kbConfig.retrievalConfiguration?.vectorSearchConfiguration?.numberOfResults ?? 5);
    const found = this.rank(kb, text, n, kbConfig.retrievalConfiguration?.vectorSearchConfiguration?.filter);
    const sessionId = typeof body.sessionId === 'string' ? body.sessionId : randomBytes(16).toString('hex');
    ctx.res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': ctx.requestId,
      'x-amzn-bedrock-knowledge-base-session-id': sessionId,
    });
    const write = (frame: Uint8Array) => (ctx.res as { write(c: Uint8Array): boolean }).write(frame);
    if (found.length === 0) {
      write(eventFrame('output', { text: 'Sorry, I am unable to assist you with this request.' }));
      ctx.res.end();
      return;
    }
    let at = 0;
    found.forEach((r, i) => {
      const sentence = (/^[^.!?]*[.!?]?/.exec(r.content.text)?.[0] ?? r.content.text).replace(/\s+/g, ' ').trim();
      const part = `${i > 0 ? ' ' : ''}${sentence}`;
      write(eventFrame('output', { text: part }));
      write(
        eventFrame('citation', {
          generatedResponsePart: {
            textResponsePart: { text: part.trim(), span: { start: at, end: at + part.length - 1 } },
          },
          retrievedReferences: [{ content: r.content, location: r.location, metadata: r.metadata }],
        }),
      );
      at += part.length;
    });
    ctx.res.end();
  }

  /**
   * AgenticRetrieveStream [sdk shapes: `traceEvent {id, timestamp, attributes {step, status, message}}`,
   * `responseEvent {text}`, `result {results [{content {text, mimeType}, metadata, sourceRetriever}],
   * generatedResponse {answer, citations [{startIndex, endIndex, references [{resultIndex}]}]}}`]. The query
   * is the last user message; the answer, with `generateResponse`, is the opening sentence of each result,
   * streamed a sentence at a time and cited [ours, as RetrieveAndGenerateStream's].
   */
  private agenticRetrieve(ctx: RequestContext): void {
    const body = parseJsonBody<{
      messages?: { role?: unknown; content?: { text?: unknown } }[];
      retrievers?: {
        configuration?: {
          knowledgeBase?: {
            knowledgeBaseId?: unknown;
            retrievalOverrides?: { filter?: Filter; maxNumberOfResults?: unknown };
          };
        };
      }[];
      agenticRetrieveConfiguration?: {
        foundationModelType?: unknown;
        foundationModelConfiguration?: {
          bedrockFoundationModelConfiguration?: { modelConfiguration?: { modelArn?: unknown } };
        };
      };
      generateResponse?: unknown;
    }>(ctx);
    const messages = body.messages ?? [];
    if (!Array.isArray(messages) || messages.length === 0)
      throw ServiceError.validation('messages must hold at least one message.');
    const kbConfig = body.retrievers?.[0]?.configuration?.knowledgeBase;
    if (typeof kbConfig?.knowledgeBaseId !== 'string')
      throw ServiceError.validation(
        'retrievers must name a knowledge base (configuration.knowledgeBase.knowledgeBaseId).',
      );
    const config = body.agenticRetrieveConfiguration;
    if (
      config?.foundationModelType === 'CUSTOM' &&
      typeof config.foundationModelConfiguration?.bedrockFoundationModelConfiguration?.modelConfiguration?.modelArn !==
        'string'
    )
      throw ServiceError.validation('foundationModelConfiguration is required when foundationModelType is CUSTOM.');
    const query = [...messages].reverse().find((m) => m.role === 'user')?.content?.text;
    if (typeof query !== 'string' || !query.trim())
      throw ServiceError.validation('The last user message needs text to retrieve with.');
    const kb = this.find(kbConfig.knowledgeBaseId);
    this.advance(kb);
    const n = Number(kbConfig.retrievalOverrides?.maxNumberOfResults ?? 5);
    const found = this.rank(kb, query, n, kbConfig.retrievalOverrides?.filter);
    ctx.res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': ctx.requestId });
    const write = (type: string, payload: unknown) =>
      (ctx.res as { write(c: Uint8Array): boolean }).write(eventFrame(type, payload));
    const trace = (id: string, step: string, message: string) =>
      write('traceEvent', { id, timestamp: Date.now(), attributes: { step, status: 'SUCCEEDED', message } });
    trace('trace-1', 'Planning', `Planned one retrieval for: ${query}`);
    trace('trace-2', 'Retrieval', `Retrieved ${found.length} result(s) from ${kb.knowledgeBaseId}.`);
    const results = found.map((r) => ({
      content: { text: r.content.text, mimeType: 'text/plain' },
      metadata: r.metadata,
      sourceRetriever: { identifier: kb.knowledgeBaseId },
    }));
    let answer = '';
    const citations: { startIndex: number; endIndex: number; references: { resultIndex: number }[] }[] = [];
    if (body.generateResponse === true) {
      found.forEach((r, i) => {
        const sentence = (/^[^.!?]*[.!?]?/.exec(r.content.text)?.[0] ?? r.content.text).replace(/\s+/g, ' ').trim();
        const part = `${i > 0 ? ' ' : ''}${sentence}`;
        citations.push({
          startIndex: answer.length,
          endIndex: answer.length + part.length,
          references: [{ resultIndex: i }],
        });
        answer += part;
        write('responseEvent', { text: part });
      });
      if (found.length === 0) {
        answer = 'Sorry, I am unable to assist you with this request.';
        write('responseEvent', { text: answer });
      }
    }
    write('result', {
      results,
      ...(body.generateResponse === true ? { generatedResponse: { answer, citations } } : {}),
    });
    ctx.res.end();
  }

  /**
   * GetDocumentContent [sdk shapes: `{mimeType, presignedUrl, documentContentLength}`]: a link to the
   * document (served by `documentBody`, with no signature checked [ours]).
   */
  private documentContent(ctx: RequestContext, kb: KnowledgeBase, dataSourceId: string, documentId: string): void {
    const expected = kb.type === 'MANAGED' ? MANAGED_DATA_SOURCE : kb.dataSources[0]?.dataSourceId;
    if (dataSourceId !== expected) throw ServiceError.notFound(`Data source ${dataSourceId} not found.`);
    const body = this.s3.buckets.get(BUCKET)?.get(`${PREFIX}${documentId}`)?.body;
    if (!body) throw ServiceError.notFound(`Document ${documentId} not found.`);
    const host = String(ctx.req.headers.host ?? ctx.req.headers[':authority'] ?? '127.0.0.1');
    sendJson(ctx, 200, {
      mimeType: documentId.endsWith('.md') ? 'text/markdown' : 'text/plain',
      presignedUrl: `http://${host}/__kb-documents/${encodeURIComponent(documentId)}?X-Amz-Expires=900&X-Amz-Signature=local`,
      documentContentLength: body.length,
    });
  }

  /** The bytes behind a presigned document link (`/__kb-documents/<document>`). */
  documentBody(ctx: RequestContext): void {
    const body = this.s3.buckets.get(BUCKET)?.get(`${PREFIX}${ctx.segments[1] ?? ''}`)?.body;
    if (!body) throw ServiceError.notFound('No such document.');
    ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
    ctx.res.end(body);
  }

  handle(ctx: RequestContext): boolean {
    const [a, kbId, b, dsId, c, jobId] = ctx.segments;
    if (a === 'knowledgebases' && b === 'datasources' && c === 'documents' && ctx.segments[6] === 'content') {
      this.documentContent(ctx, this.find(decodeURIComponent(kbId)), dsId, jobId);
      return true;
    }
    if (a === 'agenticRetrieveStream' && ctx.method === 'POST') {
      this.agenticRetrieve(ctx);
      return true;
    }
    if (a === 'retrieveAndGenerateStream' && ctx.method === 'POST') {
      this.retrieveAndGenerate(ctx);
      return true;
    }
    if (a !== 'knowledgebases') return false;
    const iso = (d: Date) => d.toISOString();
    if (kbId === undefined && ctx.method === 'POST') {
      this.all.forEach((k) => this.advance(k));
      sendJson(ctx, 200, {
        knowledgeBaseSummaries: this.all.map((k) => ({
          knowledgeBaseId: k.knowledgeBaseId,
          name: k.name,
          description: k.description,
          status: 'ACTIVE',
          updatedAt: iso(k.updatedAt),
        })),
      });
      return true;
    }
    const kb = this.find(decodeURIComponent(kbId));
    this.advance(kb);
    if (b === undefined && ctx.method === 'GET') {
      sendJson(ctx, 200, {
        knowledgeBase: {
          knowledgeBaseId: kb.knowledgeBaseId,
          name: kb.name,
          knowledgeBaseArn: `arn:aws:bedrock:${ctx.region}:${ACCOUNT_ID}:knowledge-base/${kb.knowledgeBaseId}`,
          description: kb.description,
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/BedrockKnowledgeBase`,
          knowledgeBaseConfiguration: { type: kb.type },
          status: 'ACTIVE',
          createdAt: iso(kb.updatedAt),
          updatedAt: iso(kb.updatedAt),
        },
      });
      return true;
    }
    if (b === 'retrieve' && ctx.method === 'POST') {
      const body = parseJsonBody<{
        retrievalQuery?: { text?: unknown };
        retrievalConfiguration?: {
          vectorSearchConfiguration?: {
            numberOfResults?: unknown;
            overrideSearchType?: unknown;
            filter?: Filter;
            rerankingConfiguration?: {
              type?: unknown;
              bedrockRerankingConfiguration?: {
                numberOfRerankedResults?: unknown;
                modelConfiguration?: { modelArn?: unknown };
              };
            };
          };
        };
      }>(ctx);
      const text = body.retrievalQuery?.text;
      if (typeof text !== 'string' || text.trim() === '')
        throw ServiceError.validation('retrievalQuery.text must be a non-empty string.');
      const search = body.retrievalConfiguration?.vectorSearchConfiguration ?? {};
      const n = search.numberOfResults ?? 5;
      if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 100)
        throw ServiceError.validation('numberOfResults must be between 1 and 100.');
      if (
        search.overrideSearchType !== undefined &&
        !['HYBRID', 'SEMANTIC'].includes(String(search.overrideSearchType))
      )
        throw ServiceError.validation(
          `1 validation error detected: Value '${String(search.overrideSearchType)}' at 'retrievalConfiguration.vectorSearchConfiguration.overrideSearchType' failed to satisfy constraint: Member must satisfy enum value set: [HYBRID, SEMANTIC]`,
        );
      const rerank = search.rerankingConfiguration;
      let rerankTo: number | undefined;
      if (rerank) {
        const arn = rerank.bedrockRerankingConfiguration?.modelConfiguration?.modelArn;
        if (
          rerank.type !== 'BEDROCK_RERANKING_MODEL' ||
          typeof arn !== 'string' ||
          !/^arn:aws[a-z-]*:bedrock:/.test(arn)
        )
          throw ServiceError.validation(
            'rerankingConfiguration needs type BEDROCK_RERANKING_MODEL and bedrockRerankingConfiguration.modelConfiguration.modelArn (a reranker model ARN).',
          );
        const keep = rerank.bedrockRerankingConfiguration?.numberOfRerankedResults;
        rerankTo = keep === undefined ? (n as number) : Number(keep);
      }
      sendJson(ctx, 200, { retrievalResults: this.rank(kb, text, n as number, search.filter, rerankTo) });
      return true;
    }
    if (b === 'datasources' && dsId === undefined && ctx.method === 'POST') {
      sendJson(ctx, 200, {
        dataSourceSummaries: kb.dataSources.map((d) => ({
          knowledgeBaseId: kb.knowledgeBaseId,
          dataSourceId: d.dataSourceId,
          name: d.name,
          status: 'AVAILABLE',
          updatedAt: iso(d.updatedAt),
        })),
      });
      return true;
    }
    if (b === 'datasources' && dsId !== undefined && c === 'ingestionjobs') {
      const source = kb.dataSources.find((d) => d.dataSourceId === decodeURIComponent(dsId));
      if (!source) throw ServiceError.notFound(`Data source ${dsId} not found.`);
      const view = (j: IngestionJob) => ({
        knowledgeBaseId: kb.knowledgeBaseId,
        dataSourceId: source.dataSourceId,
        ingestionJobId: j.ingestionJobId,
        status: j.status,
        startedAt: iso(j.startedAt),
        updatedAt: iso(j.updatedAt),
        ...(j.statistics ? { statistics: j.statistics } : {}),
      });
      if (ctx.method === 'PUT' && jobId === undefined) {
        if (source.jobs.some((j) => j.status === 'STARTING' || j.status === 'IN_PROGRESS'))
          throw new ServiceError(409, 'ConflictException', `A sync of ${source.name} is already running.`);
        const job: IngestionJob = {
          ingestionJobId: randomBytes(5).toString('hex').toUpperCase(),
          status: 'STARTING',
          startedAt: new Date(),
          updatedAt: new Date(),
        };
        source.jobs.push(job);
        sendJson(ctx, 202, { ingestionJob: view(job) });
        return true;
      }
      if (ctx.method === 'POST' && jobId === undefined) {
        sendJson(ctx, 200, {
          ingestionJobSummaries: [...source.jobs]
            .sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime())
            .map(view),
        });
        return true;
      }
      if (ctx.method === 'GET' && jobId !== undefined) {
        const job = source.jobs.find((j) => j.ingestionJobId === decodeURIComponent(jobId));
        if (!job) throw ServiceError.notFound(`Ingestion job ${jobId} not found.`);
        sendJson(ctx, 200, { ingestionJob: view(job) });
        return true;
      }
    }
    return false;
  }
}

// Opening a retrieved or cited source, as plain text in a read-only editor (`bedrock-source:` documents),
// never rendered:
// - the `s3://` URIs a prompt file holds (in what a run wrote after its answer) are links: the document is
//   read from S3;
// - Open Retrieved Source… lists what the prompt's last run retrieved, and opens the one picked: from S3,
//   through GetDocumentContent when the knowledge base gives the document's id (its managed sources), or in
//   the browser for a web page.
// A source that is not text (a PDF, an image) is not decoded: the message points to the S3 console.
import vscode = require('vscode');
import { parseS3Uri } from '../../core/bedrock/s3Uri';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import type { AwsSession } from '../host/awsSession';
import { Commands } from '../host/commandIds';
import { PROMPT_SELECTOR } from './promptAnalyses';
import type { Passage } from '../../core/format/knowledgeBase';
import type { RunHistory } from '../host/runHistoryStore';
import { currentPromptEditor } from '../host/promptEditor';

export const SOURCE_SCHEME = 'bedrock-source';

/** `s3://bucket/key` as written in a file; the bucket is checked by the one S3 parser. */
const S3_URI = /s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s"'`<>()[\]{}]+/g;

/** What is not read as text: documents a knowledge base parses, media. */
const BINARY = /\.(pdf|docx?|xlsx?|pptx?|png|jpe?g|gif|webp|zip|gz)$/i;

class SourceLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (const m of doc.getText().matchAll(S3_URI)) {
      const uri = m[0].replace(/[.,;:]+$/, '');
      if (!parseS3Uri(uri)) continue;
      const start = doc.positionAt(m.index);
      const link = new vscode.DocumentLink(
        new vscode.Range(start, start.translate(0, uri.length)),
        vscode.Uri.parse(`command:${Commands.openSource}?${encodeURIComponent(JSON.stringify([uri]))}`),
      );
      link.tooltip = 'Open the source document (read from S3, shown as plain text)';
      links.push(link);
    }
    return links;
  }
}

/**
 * The read-only documents of sources, read when opened: `bedrock-source://s3/<bucket>/<key>` from S3,
 * `bedrock-source://kb/<knowledge base>/<data source>/<document>` through GetDocumentContent.
 */
class SourceDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: AwsSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [first, ...rest] = uri.path.replace(/^\//, '').split('/');
    const where = uri.authority === 'kb' ? `document ${rest.at(-1)} of ${first}` : `s3://${first}/${rest.join('/')}`;
    try {
      const clients = this.session.clients();
      if (uri.authority === 'kb')
        return await clients.knowledgeBases.documentText(first, {
          dataSourceId: rest[0],
          documentId: decodeURIComponent(rest.slice(1).join('/')),
        });
      return await clients.storage.readText(first, rest.join('/'));
    } catch (err) {
      throw toBedrockError(err, { operation: `read ${where}`, profile: this.session.profile });
    }
  }
}

/** Opens a source: an `s3://` URI as a read-only text document, or says why it cannot be. */
export async function openSource(source: string): Promise<vscode.TextDocument> {
  const location = parseS3Uri(source);
  if (!location?.key)
    throw new BedrockError(
      'Validation',
      `${source} is not an S3 object: only sources in S3 open here (web and connector sources open in their own systems).`,
    );
  if (BINARY.test(location.key))
    throw new BedrockError(
      'Validation',
      `${source} is not a text file: open it in the S3 console (https://s3.console.aws.amazon.com/s3/object/${location.bucket}?prefix=${encodeURIComponent(location.key)}).`,
    );
  return show(vscode.Uri.from({ scheme: SOURCE_SCHEME, authority: 's3', path: `/${location.bucket}/${location.key}` }));
}

async function show(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return doc;
}

/** Opens one passage's source: from S3, through GetDocumentContent, or (a web page) in the browser. */
export async function openPassageSource(
  knowledgeBaseId: string,
  passage: Passage,
): Promise<vscode.TextDocument | undefined> {
  if (parseS3Uri(passage.source)) return openSource(passage.source);
  if (passage.document)
    return show(
      vscode.Uri.from({
        scheme: SOURCE_SCHEME,
        authority: 'kb',
        path: `/${knowledgeBaseId}/${passage.document.dataSourceId}/${encodeURIComponent(passage.document.documentId)}`,
      }),
    );
  if (/^https?:\/\//.test(passage.source)) {
    await vscode.env.openExternal(vscode.Uri.parse(passage.source));
    return undefined;
  }
  throw new BedrockError(
    'Validation',
    `${passage.source} cannot be opened here: the knowledge base gave no S3 location, document id or web address for it.`,
  );
}

/**
 * Open Retrieved Source…: what the prompt's last run retrieved (its run record keeps the passages whole),
 * one to pick (or the one named `sourceName`, for tests), opened as above.
 */
export async function openRetrievedSource(
  history: RunHistory,
  given?: { sourceName?: string },
): Promise<vscode.TextDocument | undefined> {
  const editor = currentPromptEditor('the sources are those of the prompt you are editing');
  const records = await history.runsOf(editor.document.uri);
  const retrieval = [...records]
    .sort((a, b) => b.time.localeCompare(a.time))
    .find((r) => r.retrieval?.passages.length)?.retrieval;
  if (!retrieval?.passages.length)
    throw new BedrockError(
      'Validation',
      'No run of this prompt retrieved anything yet: run it with `bedrock.knowledgeBase` set, then open its sources.',
    );
  const passage = given?.sourceName
    ? retrieval.passages.find((p) => p.sourceName === given.sourceName)
    : (
        await vscode.window.showQuickPick(
          retrieval.passages.map((p, i) => ({
            label: `[${i + 1}] ${p.sourceName}`,
            description: p.score !== undefined ? `score ${p.score.toFixed(3)}` : undefined,
            detail: p.text.replace(/\s+/g, ' ').slice(0, 160),
            p,
          })),
          { title: `Sources retrieved from ${retrieval.knowledgeBaseId} for "${retrieval.query.slice(0, 60)}"` },
        )
      )?.p;
  if (!passage) return undefined;
  return openPassageSource(retrieval.knowledgeBaseId, passage);
}

export function registerSources(session: AwsSession): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentLinkProvider(PROMPT_SELECTOR, new SourceLinks()),
    vscode.workspace.registerTextDocumentContentProvider(SOURCE_SCHEME, new SourceDocuments(session)),
  );
}

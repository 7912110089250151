// Opening a retrieved or cited source: the `s3://` URIs a prompt file holds (in what a run wrote after its
// answer: what was retrieved, the sources cited, an agent's steps) are links; following one opens the
// document read from S3 as plain text in a read-only editor (`bedrock-source:` documents), never rendered.
// A source that is not text (a PDF, an image) is not decoded: the message points to the S3 console.
import vscode = require('vscode');
import { parseS3Uri } from '../../core/bedrock/s3Uri';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import type { AwsSession } from '../host/awsSession';
import { Commands } from '../host/commandIds';
import { PROMPT_SELECTOR } from './promptAnalyses';

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

/** The read-only documents of sources: `bedrock-source:/bucket/key`, read from S3 when opened. */
class SourceDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: AwsSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [bucket, ...key] = uri.path.replace(/^\//, '').split('/');
    try {
      return await this.session.clients().storage.readText(bucket, key.join('/'));
    } catch (err) {
      throw toBedrockError(err, { operation: `read s3://${bucket}/${key.join('/')}`, profile: this.session.profile });
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
  const doc = await vscode.workspace.openTextDocument(
    vscode.Uri.from({ scheme: SOURCE_SCHEME, path: `/${location.bucket}/${location.key}` }),
  );
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return doc;
}

export function registerSources(session: AwsSession): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentLinkProvider(PROMPT_SELECTOR, new SourceLinks()),
    vscode.workspace.registerTextDocumentContentProvider(SOURCE_SCHEME, new SourceDocuments(session)),
  );
}

// The Knowledge Bases view's actions: Test Retrieval (the ranked passages for a query, without
// generating), Sync Data Source (an ingestion job, followed to its end) and Copy ID. These APIs take AWS
// credentials only: with a Bedrock API key alone they say so.
import vscode = require('vscode');
import { wait } from '../../core/shared/wait';
import { passagesOf, passagesText, type Passage } from '../../core/bedrock/passages';
import { toBedrockError } from '../../core/bedrock/errors';
import { BedrockError } from '../../core/shared/bedrockError';
import type { Services } from '../services';
import type { KnowledgeBaseNode } from '../views/knowledgeBasesTree';
import { ask } from '../host/inputBox';
import { setKnowledgeBaseInPrompt } from '../language/setModel';
import { currentPromptEditor } from '../host/promptEditor';

export type KnowledgeBaseServices = Pick<Services, 'session' | 'knowledgeBases' | 'logger'>;

async function pickKnowledgeBase(s: KnowledgeBaseServices): Promise<{ id: string; name: string } | undefined> {
  const items = s.knowledgeBases.current.length ? s.knowledgeBases.current : await s.knowledgeBases.refresh();
  if (items.length === 0)
    throw new BedrockError(
      'Validation',
      s.knowledgeBases.view.message ??
        'No knowledge bases in this account and region: create one in the Bedrock console.',
    );
  return (
    await vscode.window.showQuickPick(
      items.map((k) => ({ label: k.name, description: [k.type, k.id].filter(Boolean).join(' · '), kb: k })),
      { title: 'Knowledge base' },
    )
  )?.kb;
}

export interface TestRetrievalOptions {
  query?: string;
  numberOfResults?: number;
  /** false: do not open the passages in an editor (tests read the result). */
  show?: boolean;
}

export interface TestRetrievalResult {
  knowledgeBaseId: string;
  passages: Passage[];
  document?: vscode.TextDocument;
}

/** Test Retrieval: a query against a knowledge base, and the ranked passages as plain text, without generating. */
export async function testRetrieval(
  s: KnowledgeBaseServices,
  node?: KnowledgeBaseNode,
  opts: TestRetrievalOptions = {},
): Promise<TestRetrievalResult | undefined> {
  const kb = node?.kind === 'knowledgeBase' ? node.knowledgeBase : await pickKnowledgeBase(s);
  if (!kb) return undefined;
  const query = await ask(opts.query, {
    title: `Test retrieval from ${kb.name}`,
    prompt: 'What a user would ask: the passages come back ranked, nothing is generated.',
    validateInput: (v) => (v.trim() ? undefined : 'Type a question or keywords.'),
  });
  const passages = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Retrieving from ${kb.name}`, cancellable: true },
    async (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return passagesOf(
          await s.session.clients().knowledgeBases.retrieve(kb.id, query, {
            numberOfResults: opts.numberOfResults ?? 5,
            signal: controller.signal,
          }),
        );
      } catch (err) {
        throw toBedrockError(err, { operation: `retrieve from ${kb.name}`, profile: s.session.profile });
      }
    },
  );
  const result: TestRetrievalResult = { knowledgeBaseId: kb.id, passages };
  if (opts.show !== false) {
    // Plain text: the passages are someone else's documents, shown as they are, never rendered.
    result.document = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content: passagesText(query, `${kb.name} (${kb.id})`, passages),
    });
    await vscode.window.showTextDocument(result.document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  return result;
}

/** Sync Data Source: StartIngestionJob, followed in a notification until it ends (closing stops following only). */
export async function syncDataSource(
  s: KnowledgeBaseServices,
  node: KnowledgeBaseNode,
  opts: { pollMs?: number } = {},
): Promise<string | undefined> {
  if (node.kind !== 'dataSource') return undefined;
  const d = node.dataSource;
  const kbs = s.session.clients().knowledgeBases;
  let jobId: string;
  try {
    jobId = await kbs.sync(d.knowledgeBaseId, d.id);
  } catch (err) {
    throw toBedrockError(err, { operation: `sync ${d.name}`, profile: s.session.profile });
  }
  s.logger.info(`sync of ${d.name} started: ${jobId}`);
  const ended = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Syncing ${d.name}`, cancellable: true },
    async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      progress.report({ message: 'Bedrock reads the data source and indexes what changed. Close to stop following.' });
      for (;;) {
        if (token.isCancellationRequested) return undefined;
        const job = await kbs.syncStatus(d.knowledgeBaseId, d.id, jobId);
        if (!['STARTING', 'IN_PROGRESS'].includes(job.status)) return job;
        await wait(opts.pollMs ?? 5000, stop.signal);
      }
    },
  );
  await s.knowledgeBases.refresh();
  if (ended && ended.status !== 'COMPLETE')
    throw new BedrockError(
      'Validation',
      `The sync of ${d.name} ended ${ended.status}: ${ended.failureReasons?.join(' ') || 'Bedrock gave no reason'}`,
    );
  if (ended) void vscode.window.showInformationMessage(`${d.name} is synced: Test Retrieval finds what it indexed.`);
  return jobId;
}

/**
 * Use in Prompt: the open prompt retrieves from this knowledge base before each run (`bedrock.knowledgeBase`).
 * Without a node (the command palette), the knowledge base is picked.
 */
export async function useKnowledgeBaseInPrompt(
  s: KnowledgeBaseServices,
  node?: KnowledgeBaseNode,
): Promise<string | undefined> {
  const kb = node?.kind === 'knowledgeBase' ? node.knowledgeBase : await pickKnowledgeBase(s);
  if (!kb) return undefined;
  const editor = currentPromptEditor('the knowledge base is set in the prompt you are editing');
  await setKnowledgeBaseInPrompt(editor, kb.id);
  void vscode.window.setStatusBarMessage(
    `${kb.name} is the prompt's knowledge base: quote {{#each @passages}} in the template, or set attach.`,
    6000,
  );
  return kb.id;
}

export async function copyKnowledgeBaseId(node: KnowledgeBaseNode): Promise<string> {
  const id = node.kind === 'knowledgeBase' ? node.knowledgeBase.id : node.dataSource.id;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
  return id;
}

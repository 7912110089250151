// Knowledge bases in the sidebar against the local server: the list with types, data sources with their
// last sync, Test Retrieval's ranked passages as plain text, and a sync that makes an uploaded file findable.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { TestRetrievalResult } from '../../src/vscode/commands/knowledgeBases';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor } from './helpers';

describe('knowledge bases against the local server', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  it('the Knowledge Bases view lists them with their type, and each data source with its last sync', async () => {
    await vscode.commands.executeCommand(Commands.refreshKnowledgeBases);
    const top = await api.knowledgeBases.getChildren();
    assert.deepEqual(
      top.map((n) => [api.knowledgeBases.getTreeItem(n).label, api.knowledgeBases.getTreeItem(n).description]),
      [
        ['support-docs', 'vector · active'],
        ['policies-kendra', 'kendra · active'],
      ],
    );
    const [source] = await api.knowledgeBases.getChildren(top[0]);
    const item = api.knowledgeBases.getTreeItem(source);
    assert.equal(item.label, 'support-handbook-s3');
    assert.match(String(item.description), /^available · last sync complete 2026-11-20 09:00$/);
  });

  it('Test Retrieval shows the ranked passages as plain text, without generating', async () => {
    const [kb] = await api.knowledgeBases.getChildren();
    const before = (await emulator.requests()).filter((r) => /Converse/.test(r.operation)).length;
    const result = (await vscode.commands.executeCommand<TestRetrievalResult>(Commands.testRetrieval, kb, {
      query: 'I was charged twice for my order',
      numberOfResults: 3,
    }))!;
    assert.ok(result, api.shownErrors.at(-1)?.message);
    assert.equal(result.passages[0].sourceName, 'refund-policy.md');
    assert.equal(result.document?.languageId, 'plaintext');
    const text = result.document!.getText();
    assert.match(
      text,
      /^Query: I was charged twice for my order\nKnowledge base: support-docs \(SUPPORTKB1\)\n3 passage\(s\), best first\n/,
    );
    assert.match(
      text,
      /\n1\. s3:\/\/bedrock-prompt-lab-data\/knowledge-base\/refund-policy\.md {2}\(score 0\.\d{3}\)\n {3}If an order was charged twice/,
    );
    const sent = (await emulator.requests()).filter((r) => r.operation === 'Retrieve').at(-1)?.body;
    assert.deepEqual(sent, {
      retrievalQuery: { text: 'I was charged twice for my order' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
    });
    assert.equal(
      (await emulator.requests()).filter((r) => /Converse/.test(r.operation)).length,
      before,
      'nothing generated',
    );
  });

  it('Sync Data Source indexes what was uploaded, and the view shows the new sync', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'bedrock-prompt-lab-data',
          Key: 'knowledge-base/loyalty.md',
          Body: '# Loyalty\n\nMembers collect one loyalty point per euro spent.\n',
        }),
      );
    } finally {
      s3.destroy();
    }
    const [kb] = await api.knowledgeBases.getChildren();
    const [source] = await api.knowledgeBases.getChildren(kb);
    const job = await vscode.commands.executeCommand<string>(Commands.syncDataSource, source, { pollMs: 200 });
    assert.ok(job, api.shownErrors.at(-1)?.message);
    const [fresh] = await api.knowledgeBases.getChildren((await api.knowledgeBases.getChildren())[0]);
    assert.doesNotMatch(
      String(api.knowledgeBases.getTreeItem(fresh).description),
      /2026-11-20/,
      'the new sync is shown',
    );
    const found = await waitFor('the new document to be found', async () => {
      const r = await vscode.commands.executeCommand<TestRetrievalResult>(Commands.testRetrieval, kb, {
        query: 'loyalty points per euro',
        show: false,
      });
      return r?.passages[0]?.sourceName === 'loyalty.md' ? r : undefined;
    });
    assert.match(found.passages[0].text, /one loyalty point per euro/);
  });
});

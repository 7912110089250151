// Knowledge bases in the sidebar against the local server: the list with types, data sources with their
// last sync, Test Retrieval's ranked passages as plain text, a sync that makes an uploaded file findable;
// and retrieve, then prompt: Use in Prompt, the diagnostics, a run that shows what it retrieved and keeps
// it in the run record, and prompt tests that check the sources retrieved and cited.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { TestRetrievalResult } from '../../src/vscode/commands/knowledgeBases';
import type { RunResult } from '../../src/vscode/run/types';
import type { CaseResult } from '../../src/vscode/testing/promptTests';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

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
        ['handbook-managed', 'managed · active'],
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

  it('Use in Prompt sets bedrock.knowledgeBase; until the template quotes @passages, a diagnostic says they go nowhere', async () => {
    const prompt = workspaceFile('runs', 'rag.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from('---\n# support answers\nmodel: amazon.nova-lite-v1:0\n---\nCan I get a refund on a gift card?\n'),
    );
    const editor = await vscode.window.showTextDocument(prompt);
    const [kb] = await api.knowledgeBases.getChildren();
    assert.equal(await vscode.commands.executeCommand(Commands.useKnowledgeBaseInPrompt, kb), 'SUPPORTKB1');
    assert.equal(
      editor.document.getText(),
      '---\n# support answers\nmodel: amazon.nova-lite-v1:0\nbedrock.knowledgeBase:\n  id: SUPPORTKB1\n  numberOfResults: 5\n---\nCan I get a refund on a gift card?\n',
    );
    const unused = await waitFor('the passages-unused diagnostic', () =>
      vscode.languages.getDiagnostics(prompt).find((d) => d.code === 'passages-unused'),
    );
    assert.equal(unused.range.start.line, 3, 'on the key');
    assert.match(unused.message, /The retrieved passages would not reach the model: quote them in the template/);
    await editor.edit((e) =>
      e.insert(new vscode.Position(7, 0), 'Passages:\n{{#each @passages}}[{{sourceName}}] {{text}}\n{{/each}}\n'),
    );
    await editor.document.save();
    await waitFor('the diagnostic to go', () => vscode.languages.getDiagnostics(prompt).length === 0);
  });

  it('a run retrieves, then prompts: the passages go out as the template quotes them, show after the answer and stay in the run record', async () => {
    const prompt = workspaceFile('runs', 'rag.prompt');
    const result = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: prompt.toString() });
    assert.equal(result?.status, 'complete', result?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.equal(result?.retrieval?.knowledgeBaseId, 'SUPPORTKB1');
    assert.equal(result?.retrieval?.query, 'Passages:\nCan I get a refund on a gift card?');
    assert.equal(result?.retrieval?.passages[0].sourceName, 'refund-policy.md');
    const sent = (await emulator.requests()).filter((r) => r.operation === 'ConverseStream').at(-1)?.body as {
      messages: { content: { text?: string }[] }[];
    };
    assert.match(sent.messages[0].content[0].text ?? '', /^Passages:\n\[refund-policy\.md\] /);
    const text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.match(
      text,
      /\{\{!-- retrieved:\n\d passage\(s\) from knowledge base SUPPORTKB1 for "Passages: Can I get a refund on a gift card\?"\n\[1\] s3:\/\/bedrock-prompt-lab-data\/knowledge-base\/refund-policy\.md \(score 0\.\d{3}\): "/,
    );
    const record = JSON.parse(
      Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(result!.historyFile!))).toString('utf8'),
    ) as { retrieval?: { passages: { source: string; text: string }[] } };
    assert.equal(record.retrieval?.passages.length, result?.retrieval?.passages.length, 'the whole passages are kept');
    assert.equal(record.retrieval?.passages[0].text, result?.retrieval?.passages[0].text);
  });

  it('prompt tests check which sources were retrieved and which the answer cites', async () => {
    const prompt = workspaceFile('runs', 'rag-cited.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: us.anthropic.claude-sonnet-4-5-20250929-v1:0\nbedrock.knowledgeBase:\n  id: SUPPORTKB1\n  numberOfResults: 2\n  attach: searchResults\n---\nHow fast is express shipping?\n',
      ),
    );
    await vscode.workspace.fs.writeFile(
      workspaceFile('runs', 'rag-cited.tests.yaml'),
      Buffer.from(
        'cases:\n  - name: from the shipping page\n    assert:\n      - retrieved: shipping.md\n      - cites: shipping.md\n  - name: not from the warranty\n    assert:\n      - cites: warranty.md\n',
      ),
    );
    const results = await vscode.commands.executeCommand<CaseResult[]>(Commands.runPromptTests, prompt);
    assert.ok(results, api.shownErrors.at(-1)?.message);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    assert.equal(
      byName['from the shipping page'].state,
      'passed',
      byName['from the shipping page'].messages.join('\n'),
    );
    assert.equal(byName['not from the warranty'].state, 'failed');
    assert.deepEqual(byName['not from the warranty'].messages, [
      'Expected the answer to cite warranty.md; it cites: shipping.md.',
    ]);
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

  it('a retrieved source in the file is a link: it opens the document, read from S3, as read-only plain text', async () => {
    const prompt = workspaceFile('runs', 'rag.prompt');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', prompt);
    const link = links.find(
      (l) => l.target?.scheme === 'command' && /refund-policy\.md/.test(decodeURIComponent(l.target.query)),
    );
    assert.ok(link?.target, JSON.stringify(links.map((l) => l.target?.toString())));
    assert.equal(link.target.path, Commands.openSource);
    const [source] = JSON.parse(decodeURIComponent(link.target.query)) as string[];
    assert.equal(source, 's3://bedrock-prompt-lab-data/knowledge-base/refund-policy.md');
    await vscode.commands.executeCommand(Commands.openSource, source);
    const opened = await waitFor('the source to open', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'bedrock-source'),
    );
    assert.equal(opened.document.uri.path, '/bedrock-prompt-lab-data/knowledge-base/refund-policy.md');
    assert.match(opened.document.getText(), /^# Refund policy\n\nCustomers can ask for a refund within 30 days/);
    await vscode.commands.executeCommand(Commands.openSource, 's3://bedrock-prompt-lab-data/knowledge-base/manual.pdf');
    assert.match(api.shownErrors.at(-1)?.message ?? '', /is not a text file: open it in the S3 console/);
  });

  it('Open Retrieved Source… opens what the last run retrieved: a managed source through GetDocumentContent', async () => {
    const prompt = workspaceFile('runs', 'rag-managed.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: amazon.nova-lite-v1:0\nbedrock.knowledgeBase:\n  id: MANAGEDKB1\n  numberOfResults: 2\n---\n{{#each @passages}}[{{sourceName}}] {{text}}\n{{/each}}\nCan I get a refund on a gift card?\n',
      ),
    );
    await vscode.window.showTextDocument(prompt);
    const result = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: prompt.toString() });
    assert.equal(result?.status, 'complete', result?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.deepEqual(result.retrieval?.passages[0].document, {
      dataSourceId: 'MANAGEDDS1',
      documentId: 'refund-policy.md',
    });
    await vscode.window.showTextDocument(prompt);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(Commands.openRetrievedSource, {
      sourceName: 'refund-policy.md',
    });
    assert.ok(doc, api.shownErrors.at(-1)?.message);
    assert.equal(doc.uri.authority, 'kb');
    assert.match(doc.getText(), /^# Refund policy\n/);
    const asked = (await emulator.requests()).filter((r) => r.operation === 'GetDocumentContent').at(-1);
    assert.equal(
      (asked as { path?: string } | undefined)?.path,
      '/knowledgebases/MANAGEDKB1/datasources/MANAGEDDS1/documents/refund-policy.md/content',
    );
    assert.deepEqual(asked?.body, { outputFormat: 'EXTRACTED' });
  });
});

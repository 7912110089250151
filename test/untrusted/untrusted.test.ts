// In an untrusted workspace the extension edits prompts but sends nothing to AWS: runs, compares, prompt
// tests, batch runs, batch inference and dataset uploads are refused with a message that says why and
// how to trust the workspace. The local server's request log proves nothing was sent.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import { activateExtension, emulator, waitFor, workspaceFile } from '../integration/helpers';

describe('an untrusted workspace', () => {
  it('is opened in restricted mode, and the extension still activates with the language features', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await activateExtension();
    assert.ok(api.runs);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('ticket-classifier.prompt'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dotprompt');
  });

  it('refuses every command that would send workspace data to AWS, and sends nothing', async () => {
    const api = await activateExtension();
    const prompt = workspaceFile('ticket-classifier.prompt').toString();
    const before = (await emulator.requests()).filter(
      (r) => !r.operation.startsWith('List') && !r.operation.startsWith('Get'),
    ).length;
    const refused: [string, unknown][] = [
      [Commands.run, { uri: prompt }],
      [Commands.compareModels, { uri: prompt, models: ['amazon.nova-micro-v1:0'] }],
      [Commands.runOverDataset, { uri: prompt, data: workspaceFile('tickets.jsonl').fsPath }],
      [
        Commands.startBatchInference,
        {
          uri: prompt,
          data: workspaceFile('tickets-batch.jsonl').fsPath,
          s3Uri: 's3://bedrock-prompt-lab-data/x/',
          roleArn: 'arn:aws:iam::123456789012:role/R',
        },
      ],
      [Commands.uploadDataset, { folder: '.', bucket: 'bedrock-prompt-lab-data', prefix: 'x/' }],
    ];
    for (const [command, arg] of refused) {
      const shown = api.shownErrors.length;
      const result = await vscode.commands.executeCommand(command, arg);
      assert.equal(result, undefined, `${command} returned something`);
      assert.equal(api.shownErrors.length, shown + 1, `${command} showed no message`);
      assert.match(api.shownErrors.at(-1)!.message, /untrusted workspace.*Trust the workspace/s, command);
    }
    const results = await api.tests.run();
    assert.ok(results.length >= 3, 'the example tests are listed');
    assert.ok(results.every((r) => r.state === 'errored' && /untrusted workspace/.test(r.messages[0])));
    const after = (await emulator.requests()).filter(
      (r) => !r.operation.startsWith('List') && !r.operation.startsWith('Get'),
    ).length;
    assert.equal(after, before, 'nothing but listing reached the server');
  });

  // VS Code 1.104+ only: older versions have no provider API (the trusted suite checks what they say).
  if (
    typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider ===
    'function'
  ) {
    it('refuses to send a chat request to a Bedrock model, and sends nothing', async () => {
      await activateExtension();
      await vscode.commands.executeCommand(Commands.chooseChatModels, ['amazon.nova-micro-v1:0']);
      const [model] = await waitFor('the Bedrock model in vscode.lm', async () => {
        const found = await vscode.lm.selectChatModels({ vendor: 'bedrock-prompt-lab' });
        return found.length > 0 ? found : undefined;
      });
      const before = (await emulator.requests()).length;
      await assert.rejects(
        (async () => {
          const response = await model.sendRequest(
            [vscode.LanguageModelChatMessage.User('Hi')],
            {},
            new vscode.CancellationTokenSource().token,
          );
          for await (const _part of response.stream) void _part;
        })(),
        /untrusted workspace.*Trust the workspace/s,
      );
      assert.equal(
        (await emulator.requests()).slice(before).filter((r) => r.operation.startsWith('Converse')).length,
        0,
      );
      await vscode.workspace
        .getConfiguration('bedrockPromptLab')
        .update('chat.models', undefined, vscode.ConfigurationTarget.Global);
    });
  }

  it('packages a dataset without rendering its prompts: an escaped __proto__ key cannot reach the host', async () => {
    await activateExtension();
    const write = (rel: string, text: string) =>
      vscode.workspace.fs.writeFile(workspaceFile(...rel.split('/')), Buffer.from(text));
    await write(
      'evil/chat.prompt',
      '---\nmodel: amazon.nova-lite-v1:0\n"\\x5f_proto__.maxOutputTokens": 1\n---\nhi\n{{role "model"}}\nthere\n',
    );
    await write(
      'evil/rows.jsonl',
      Array.from({ length: 10 }, (_, i) => JSON.stringify({ prompt: `q${i}`, completion: `a${i}` })).join('\n'),
    );
    const r = await vscode.commands.executeCommand<{
      ok: boolean;
      train: number;
      skipped: { path: string; reason: string }[];
    }>(Commands.createDataset, {
      showReport: false,
      sources: ['evil/**'],
      targetModel: 'amazon.nova-lite-v1:0:300k',
      customization: 'FINE_TUNING',
      outputPath: 'out/evil',
      validationSplit: 0,
    });
    assert.equal(({} as Record<string, unknown>).maxOutputTokens, undefined, 'Object.prototype is untouched');
    assert.deepEqual(
      r.skipped.filter((s) => s.path.endsWith('.prompt')),
      [
        {
          path: 'evil/chat.prompt',
          reason: '.prompt files are rendered only in a trusted workspace (Manage Workspace Trust)',
        },
      ],
    );
    assert.equal(r.train, 10, 'the rows are still packaged');
  });

  it('ignores a workspace that tries to redirect traffic through the endpoint setting', async () => {
    const api = await activateExtension();
    // The workspace's .vscode/settings.json sets bedrockPromptLab.endpoint to an attacker's address.
    assert.notEqual(vscode.workspace.getConfiguration('bedrockPromptLab').get('endpoint'), 'http://attacker.invalid');
    assert.equal(api.session.settings.endpoint || undefined, undefined);
  });
});

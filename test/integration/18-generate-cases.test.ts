// Generate Test Cases… against the local server: a model proposes cases for the prompt, the tests file with
// them appended opens in a diff beside the file as it is, and they are appended only when the user says so
// (comments and existing cases kept).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

describe('Generate Test Cases… against the local server', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  it('proposes cases in a diff, writes nothing until asked, then appends them with the comments kept', async () => {
    const prompt = workspaceFile('runs', 'triage.prompt');
    const tests = workspaceFile('runs', 'triage.tests.yaml');
    const original =
      '# written by hand\ncases:\n  - name: refund\n    input: {ticket: refund please}\n    assert:\n      - contains: billing\n';
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: amazon.nova-lite-v1:0\ninput:\n  schema:\n    ticket: string\n---\nClassify: {{ticket}}\n',
      ),
    );
    await vscode.workspace.fs.writeFile(tests, Buffer.from(original));
    const read = async () => Buffer.from(await vscode.workspace.fs.readFile(tests)).toString('utf8');

    const discarded = await vscode.commands.executeCommand<{ written: boolean; cases: { name: string }[] }>(
      Commands.generateTestCases,
      { uri: prompt.toString(), model: 'amazon.nova-lite-v1:0', count: 2, apply: false },
    );
    assert.ok(discarded, api.shownErrors.at(-1)?.message);
    assert.equal(discarded.written, false);
    assert.deepEqual(
      discarded.cases.map((c) => c.name),
      ['example name'],
    );
    await waitFor('the diff with the proposal', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'bedrock-proposed'),
    );
    assert.equal(await read(), original, 'nothing written');
    const sent = (await emulator.requests()).filter((r) => r.operation === 'Converse').at(-1)?.body as {
      toolConfig: { toolChoice: unknown };
    };
    assert.deepEqual(sent.toolConfig.toolChoice, { tool: { name: 'propose_cases' } });

    const appended = await vscode.commands.executeCommand<{ written: boolean }>(Commands.generateTestCases, {
      uri: prompt.toString(),
      model: 'amazon.nova-lite-v1:0',
      count: 2,
      apply: true,
    });
    assert.equal(appended?.written, true, api.shownErrors.at(-1)?.message);
    assert.equal(
      await read(),
      `${original}  - name: example name\n    input:\n      ticket: example ticket\n    assert:\n      - contains: example value\n`,
    );
  });
});

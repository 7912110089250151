// Signing in with a Bedrock API key in the real VS Code, against the local server: the key is kept in
// SecretStorage, Bedrock calls carry it as a bearer token, the session says so, a refused key gets a
// message that says what to do, and signing out goes back to the profile's SigV4 credentials.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { RunResult } from '../../src/vscode/run/types';
import { EMULATOR_API_KEY } from '../emulator/server';
import { activateExtension, emulator, workspaceFile } from './helpers';

describe('a Bedrock API key', () => {
  const prompt = workspaceFile('runs', 'keyed.prompt');
  const lastCall = async () => (await emulator.requests()).filter((r) => r.operation === 'ConverseStream').at(-1);
  const run = () => vscode.commands.executeCommand<RunResult | undefined>(Commands.run, { uri: prompt.toString() });
  // The input box answered as the user would, and what it asked kept.
  const answering = async <T>(answer: string, act: () => Thenable<T>) => {
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const original = window.showInputBox;
    const asked: vscode.InputBoxOptions[] = [];
    window.showInputBox = async (options) => (asked.push(options ?? {}), answer);
    try {
      return { result: await act(), asked };
    } finally {
      window.showInputBox = original;
    }
  };

  before(async () => {
    await activateExtension();
    await vscode.workspace.fs.writeFile(prompt, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nSay hello.\n'));
    await vscode.window.showTextDocument(prompt);
  });
  after(() => vscode.commands.executeCommand(Commands.signOutOfApiKey));

  it('signed in: kept as a secret, sent as a bearer token; signed out: the profile signs again', async () => {
    const api = await activateExtension();
    const { result, asked } = await answering(EMULATOR_API_KEY, () =>
      vscode.commands.executeCommand<boolean>(Commands.signInWithApiKey),
    );
    assert.equal(result, true);
    assert.equal(asked[0].password, true, 'the key is typed into a password box');
    assert.deepEqual(api.session.credentials, { kind: 'api-key', from: 'signed-in' });
    assert.equal(vscode.workspace.getConfiguration('bedrockPromptLab').get('apiKey'), undefined, 'no setting');
    const settingsFile = workspaceFile('.vscode', 'settings.json');
    const settingsText = await vscode.workspace.fs.readFile(settingsFile).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => '',
    );
    assert.ok(!settingsText.includes(EMULATOR_API_KEY), 'the workspace settings do not hold the key');
    assert.equal((await run())?.status, 'complete');
    assert.equal((await lastCall())?.auth, 'bearer');

    await vscode.commands.executeCommand(Commands.signOutOfApiKey);
    assert.equal(api.session.credentials.kind, 'profile');
    assert.equal((await run())?.status, 'complete');
    assert.equal((await lastCall())?.auth, 'sigv4');
  });

  it("a refused key says how to renew it, in the editor's words", async () => {
    const api = await activateExtension();
    await answering('ABSKbm90LWEtcmVhbC1rZXktYXQtYWxs', () =>
      vscode.commands.executeCommand<boolean>(Commands.signInWithApiKey),
    );
    const result = await run();
    assert.equal(result?.status, 'failed');
    assert.match(
      api.shownErrors.at(-1)?.message ?? '',
      /^Bedrock refused the API key: it is expired, revoked, or was made in another Region\. Create a new key \(Amazon Bedrock console, API keys\) and run "Bedrock: Sign in with a Bedrock API Key"/,
    );
    assert.doesNotMatch(api.shownErrors.at(-1)?.message ?? '', /ABSKbm90/, 'the key is never shown');
    await vscode.commands.executeCommand(Commands.signOutOfApiKey);
  });
});

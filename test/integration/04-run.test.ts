import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { RunResult } from '../../src/vscode/run/types';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

async function writePrompt(name: string, body: string, model = HAIKU, extra = ''): Promise<vscode.Uri> {
  const uri = workspaceFile('runs', name);
  await vscode.workspace.fs.writeFile(
    uri,
    Buffer.from(`---\nmodel: ${model}\nconfig:\n  maxOutputTokens: 2000\n${extra}---\n${body}`),
  );
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return uri;
}

function run(uri: vscode.Uri, extra: Record<string, unknown> = {}): Thenable<RunResult | undefined> {
  return vscode.commands.executeCommand<RunResult | undefined>(Commands.run, { uri: uri.toString(), ...extra });
}

const textOf = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();
const words = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => 'the quick brown fox jumps over a lazy dog while bedrock streams every token in order'.split(' ')[i % 16],
  ).join(' ');

describe('running a prompt with inline streaming (real SDK, local server)', () => {
  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
  });
  afterEach(async () => {
    await emulator.clearFaults();
    await vscode.workspace
      .getConfiguration('bedrockPromptLab')
      .update('run.stallTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('streams the answer into the file: several partial states, then the whole answer and metrics', async () => {
    const uri = await writePrompt('stream.prompt', '{{role "user"}}\n[[tokens=40]]\n');
    await emulator.addFault({
      operation: 'ConverseStream',
      fault: { kind: 'pace', tokenDelayMs: 25, firstTokenDelayMs: 100 },
      times: 1,
    });
    // The file as each edit left it (every edit the run makes is seen, however busy the machine is).
    const snapshots = new Set<string>();
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri.toString()) return;
      const answer = e.document.getText().split('{{role "model"}}\n')[1];
      if (answer !== undefined) snapshots.add(answer.split('\n')[0]);
    });
    const result = await run(uri);
    sub.dispose();
    assert.ok(result);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, words(40));
    const partial = [...snapshots].filter((s) => s.length > 0 && s.length < words(40).length);
    assert.ok(partial.length >= 3, `saw ${partial.length} partial states`);
    const text = await textOf(uri);
    assert.ok(text.includes(`{{role "model"}}\n${words(40)}\n`), text);
    assert.match(
      text,
      /\{\{!-- bedrock: anthropic.claude-3-haiku-20240307-v1:0 · first token \d+ ms · total [\d.]+ s · \d+ in \/ 40 out tokens · ~\$[\d.e-]+ · stop: end_turn --\}\}\n\n\{\{role "user"\}\}\n$/,
    );
    assert.equal(result.usage?.outputTokens, 40);
    assert.ok((result.metrics.timeToFirstTokenMs ?? 0) >= 90, `ttft ${result.metrics.timeToFirstTokenMs}`);
    assert.ok(result.metrics.latencyMs >= (result.metrics.timeToFirstTokenMs ?? 0));
    assert.ok(result.costUsd !== undefined && result.costUsd > 0);
    assert.equal(result.stopReason, 'end_turn');
    assert.ok(result.streamed);
    assert.ok(result.edits > 2 && result.edits < 40, `${result.edits} edits for 40 tokens`);
    assert.ok(result.historyFile);
    const record = JSON.parse(
      Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(result.historyFile))).toString('utf8'),
    );
    assert.equal(record.modelId, HAIKU);
    assert.equal(record.response.text, words(40));
    assert.deepEqual(record.request.messages, [{ role: 'user', content: [{ text: '[[tokens=40]]' }] }]);
  });

  it('a second Run continues the conversation in the file, with the answer sent back verbatim', async () => {
    const uri = await writePrompt(
      'chat.prompt',
      '{{role "system"}}\nBe brief.\n{{role "user"}}\nShow me \\{{name}} literally\n',
    );
    const first = await run(uri);
    assert.equal(first?.text, 'Claude 3 Haiku (emulated), turn 1. You wrote: "Show me {{name}} literally"');
    assert.ok(
      (await textOf(uri)).includes('You wrote: "Show me \\{{name}} literally"'),
      'model text is escaped in the file',
    );
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().length), 'And then?\n'));
    const second = await run(uri);
    assert.equal(second?.text, 'Claude 3 Haiku (emulated), turn 2. You wrote: "And then?"');
    const sent = (await emulator.requests()).filter((r) => r.operation === 'ConverseStream').at(-1)?.body as {
      messages: { role: string; content: { text: string }[] }[];
      system: unknown;
    };
    assert.deepEqual(
      sent.messages.map((m) => [m.role, m.content[0].text]),
      [
        ['user', 'Show me {{name}} literally'],
        ['assistant', 'Claude 3 Haiku (emulated), turn 1. You wrote: "Show me {{name}} literally"'],
        ['user', 'And then?'],
      ],
    );
    assert.deepEqual(sent.system, [{ text: 'Be brief.' }]);
  });

  it('undo removes a whole response in one step', async () => {
    const uri = await writePrompt('undo.prompt', 'Hi\n');
    const before = await textOf(uri);
    await run(uri);
    assert.notEqual(await textOf(uri), before);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('undo');
    assert.equal(await textOf(uri), before);
  });

  it('Stop cancels at once; what arrived stays, marked as stopped', async () => {
    const uri = await writePrompt('stop.prompt', '[[tokens=400]]\n');
    await emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'pace', tokenDelayMs: 20 }, times: 1 });
    const pending = run(uri);
    await waitFor('some streamed text', async () =>
      (await textOf(uri)).includes('{{role "model"}}\nthe quick brown') ? true : undefined,
    );
    assert.equal(await vscode.commands.executeCommand(Commands.stop, uri), true);
    const result = await pending;
    assert.equal(result?.status, 'stopped');
    assert.ok((result?.text.length ?? 0) > 0 && (result?.text.length ?? 0) < words(400).length);
    const text = await textOf(uri);
    assert.ok(text.includes(result?.text ?? '!'), 'the partial answer stays in the file');
    assert.match(text, /\{\{!-- bedrock: stopped by the user; the answer above is partial --\}\}/);
  });

  it('streams into a document beside the prompt when asked', async () => {
    const uri = await writePrompt('side.prompt', 'Hello side\n');
    const before = await textOf(uri);
    const result = await run(uri, { mode: 'document' });
    assert.equal(result?.status, 'complete');
    assert.equal(await textOf(uri), before, 'the prompt file is untouched');
    const doc = vscode.workspace.textDocuments.find(
      (d) => d.isUntitled && d.getText().includes('You wrote: "Hello side"'),
    );
    assert.ok(doc, 'a response document holds the answer');
    assert.match(doc.getText(), /stop: end_turn/);
  });

  describe('failures: one clear message, nothing lost', () => {
    it('throttling after the SDK retries: the file is untouched', async () => {
      const uri = await writePrompt('throttle.prompt', 'Hi\n');
      const before = await textOf(uri);
      await emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'http', error: 'throttling' }, times: 3 });
      const result = await run(uri);
      assert.equal(result?.status, 'failed');
      assert.equal(result?.error?.code, 'Throttled');
      assert.match(result?.error?.message ?? '', /after 3 attempts/);
      assert.equal(await textOf(uri), before);
    });

    it("Anthropic's use-case form not filed: Bedrock's 'not found' is explained, with the fix", async () => {
      const uri = await writePrompt('gated.prompt', 'Hi\n');
      await emulator.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'http', error: 'useCaseFormMissing' },
        times: 1,
      });
      const result = await run(uri);
      assert.equal(result?.error?.code, 'ModelAccess');
      assert.match(result?.error?.message ?? '', /has not filed Anthropic's use-case details yet.*Model catalog/);
    });

    it('access denied says how to request model access', async () => {
      const uri = await writePrompt('denied.prompt', 'Hi\n');
      await emulator.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'http', error: 'accessDenied' },
        times: 1,
      });
      const result = await run(uri);
      assert.equal(result?.error?.code, 'ModelAccess');
      assert.match(result?.error?.message ?? '', /IAM permissions .*bedrock:InvokeModel/);
    });

    it('a model that needs an inference profile is named with its profile', async () => {
      const uri = await writePrompt('profile.prompt', 'Hi\n');
      const result = await run(uri, { modelId: 'anthropic.claude-sonnet-4-20250514-v1:0' });
      assert.equal(result?.error?.code, 'NeedsInferenceProfile');
      assert.match(result?.error?.message ?? '', /us\.anthropic\.claude-sonnet-4-20250514-v1:0/);
    });

    it('model not ready and timeouts', async () => {
      const uri = await writePrompt('notready.prompt', 'Hi\n');
      await emulator.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'http', error: 'modelTimeout' },
        times: 1,
      });
      assert.equal((await run(uri))?.error?.code, 'ModelTimeout');
      await emulator.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'http', error: 'modelNotReady' },
        times: 3,
      });
      assert.equal((await run(uri))?.error?.code, 'ModelNotReady');
    });

    it('an exception inside the stream keeps the partial answer, marked as failed', async () => {
      const uri = await writePrompt('streamerr.prompt', '[[tokens=30]]\n');
      await emulator.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'streamException', exception: 'modelStreamErrorException', afterTokens: 5 },
        times: 1,
      });
      const result = await run(uri);
      assert.equal(result?.status, 'failed');
      assert.equal(result?.error?.code, 'StreamError');
      assert.equal(result?.text, 'the quick brown fox jumps');
      const text = await textOf(uri);
      assert.ok(text.includes('{{role "model"}}\nthe quick brown fox jumps\n{{!-- bedrock: failed:'), text);
    });

    it('a connection cut mid-stream is detected (whether the SDK throws or ends quietly) and the text stays', async () => {
      const uri = await writePrompt('cut.prompt', '[[tokens=30]]\n');
      // Paced, so the client has read each token before the cut: a destroyed stream drops what it had
      // buffered but not yet handed over, on a loaded machine as with real Bedrock.
      await emulator.addFault([
        { operation: 'ConverseStream', fault: { kind: 'cut', afterTokens: 6 }, times: 1 },
        { operation: 'ConverseStream', fault: { kind: 'pace', tokenDelayMs: 40 }, times: 1 },
      ]);
      const result = await run(uri);
      assert.equal(result?.status, 'failed');
      assert.equal(result?.error?.code, 'StreamInterrupted');
      assert.ok(
        'the quick brown fox jumps over'.startsWith(result?.text ?? '!') &&
          (result?.text.length ?? 0) >= 'the quick'.length,
        `kept "${result?.text}"`,
      );
      const text = await textOf(uri);
      assert.ok(
        text.includes(`{{role "model"}}\n${result?.text}\n{{!-- bedrock: failed: The connection to Bedrock was cut`),
        text,
      );
    });

    it('a stalled stream times out instead of hanging', async () => {
      await vscode.workspace
        .getConfiguration('bedrockPromptLab')
        .update('run.stallTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
      const uri = await writePrompt('stall.prompt', '[[tokens=30]]\n');
      await emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'stall', afterTokens: 3 }, times: 1 });
      const result = await run(uri);
      assert.equal(result?.status, 'failed');
      assert.equal(result?.error?.code, 'StreamStalled');
      assert.equal(result?.text, 'the quick brown');
    });

    it('a prompt with errors is not sent', async () => {
      const uri = await writePrompt('broken.prompt', '{{#if x}}\n');
      const before = (await emulator.requests()).length;
      const result = await run(uri);
      assert.equal(result, undefined);
      assert.equal((await emulator.requests()).length, before, 'nothing reached Bedrock');
    });
  });

  it('falls back to Converse for a model that cannot stream, and writes tool calls as turns the file can hold', async () => {
    const uri = await writePrompt(
      'tool.prompt',
      'Weather in Paris?\n',
      HAIKU,
      'tools: [get_weather]\ntoolDefs:\n  - name: get_weather\n    description: Weather\n    inputSchema:\n      city: string\n',
    );
    const result = await run(uri);
    assert.equal(result?.stopReason, 'tool_use');
    assert.deepEqual(
      result?.toolCalls.map((t) => [t.name, t.input]),
      [['get_weather', { city: 'example city' }]],
    );
    assert.match(
      await textOf(uri),
      /\{\{#toolUse id="tooluse_\w+" name="get_weather"\}\}\{"city":"example city"\}\{\{\/toolUse\}\}/,
    );
    const converseUri = await writePrompt('nostream.prompt', 'Hi\n', 'ai21.jamba-1-5-mini-v1:0');
    await emulator.addFault({
      operation: 'ConverseStream',
      fault: { kind: 'http', error: 'validation', message: 'The model is unsupported for streaming.' },
      times: 1,
    });
    const nostream = await run(converseUri);
    assert.equal(nostream?.status, 'complete');
    assert.equal(nostream?.streamed, false);
    assert.equal(nostream?.text, 'Jamba 1.5 Mini (emulated), turn 1. You wrote: "Hi"');
  });
});

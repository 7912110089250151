// The edit → run → compare loop, in the real VS Code against the local server: Dotprompt's scoping
// (no input box for names that are not inputs), conversation mapping, Run again / Continue, tool turns
// in the file, visible inputs, native structured output, precise diagnostics and the Run History view.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import type { RunResult } from '../../src/vscode/run/types';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_45 = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

async function writeFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile('loop', name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  return uri;
}

async function openPrompt(name: string, text: string): Promise<vscode.Uri> {
  const uri = await writeFile(name, text);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}

/**
 * A run that asks for a value would open an input box (or a pick for an enum): here that is a failure, said
 * with what was asked. The boxes are answered by dismissing them, so the test never waits on the clock.
 */
async function runWithoutAsking(uri: vscode.Uri, extra: Record<string, unknown> = {}): Promise<RunResult> {
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const saved = { showInputBox: window.showInputBox, showQuickPick: window.showQuickPick };
  const asked: string[] = [];
  window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    asked.push(options?.title ?? options?.prompt ?? 'an input box');
    return undefined;
  }) as typeof window.showInputBox;
  window.showQuickPick = (async (_items: unknown, options?: vscode.QuickPickOptions) => {
    asked.push(options?.title ?? 'a pick');
    return undefined;
  }) as typeof window.showQuickPick;
  let result: RunResult | undefined;
  try {
    result = await vscode.commands.executeCommand<RunResult | undefined>(Commands.run, {
      uri: uri.toString(),
      ...extra,
    });
  } finally {
    Object.assign(window, saved);
  }
  assert.deepEqual(asked, [], 'the run asked for a value (a name that is not an input?)');
  assert.ok(result, 'the run returned a result');
  assert.equal(result.status, 'complete', JSON.stringify(result.error));
  return result;
}

const textOf = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();
const lastSent = async (operation = 'ConverseStream') =>
  (await emulator.requests()).filter((r) => r.operation === operation).at(-1)?.body as Record<string, any>;

describe('the edit → run → compare loop', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
  });
  afterEach(() => emulator.clearFaults());

  describe('Dotprompt scoping: names that are not inputs are never asked for', () => {
    it('{{history}}, #each over arrays and objects (this, @index, @key), #with, partials with hash arguments, optional fields, #if-only values', async () => {
      await writeFile('_line-item.prompt', '- {{label}}: {{price}}\n');
      const uri = await openPrompt(
        'scoped.prompt',
        [
          '---',
          `model: ${HAIKU}`,
          'input:',
          '  schema:',
          '    items(array): {label: string, price: number}',
          '    prefs(object): {tone: string}',
          '    customer(object): {name: string}',
          '    deadline?: string',
          '  default:',
          '    items: [{label: Tea, price: 3}, {label: Cake, price: 5}]',
          '    prefs: {tone: warm}',
          '    customer: {name: Ada}',
          '---',
          '{{role "system"}}You write receipts.',
          '{{history}}',
          '{{role "user"}}',
          '{{#each items}}{{@index}}. {{this.label}} {{> line-item label=label price=price}}{{/each}}',
          '{{#each prefs}}{{@key}}={{this}}{{/each}}',
          '{{#with customer}}For {{name}}.{{/with}}',
          '{{#if context}}Context: {{context}}{{/if}}{{#if deadline}} Due {{deadline}}.{{/if}}',
          '',
        ].join('\n'),
      );
      await runWithoutAsking(uri);
      const sent = await lastSent();
      assert.match(sent.messages[0].content[0].text, /^0\. Tea - Tea: 3\n1\. Cake - Cake: 5\n\ntone=warm\nFor Ada\.$/);
      const lens = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const inputs = lens.find((l) => l.command?.command === Commands.editInputs)?.command?.title ?? '';
      // Optional inputs show as left out (—); names of items, block parameters, partial arguments and helpers are not inputs.
      assert.match(inputs, /deadline=—, context=—$/, inputs);
      assert.doesNotMatch(inputs, /(\) |, )(label|price|history|this|@\w+|name|tone)=/, inputs);
    });

    it('a batch run whose rows leave out an optional field answers every row', async () => {
      const prompt = await writeFile(
        'ticket.prompt',
        `---\nmodel: ${HAIKU}\ninput:\n  schema:\n    ticket: string\n    audience?: string\n---\nTicket: {{ticket}}{{#if audience}} (for {{audience}}){{/if}}\n`,
      );
      const data = await writeFile(
        'tickets.jsonl',
        '{"ticket":"a","audience":"ops"}\n{"ticket":"b"}\n{"ticket":"c"}\n',
      );
      const result = await vscode.commands.executeCommand<{ complete: boolean; failed: number; answered: number }>(
        Commands.runOverDataset,
        { uri: prompt.toString(), data: data.fsPath, resume: false },
      );
      assert.equal(result?.complete, true);
      assert.equal(result?.failed, 0);
      const lines = readFileSync(workspaceFile('loop', 'tickets.results.jsonl').fsPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { output?: string; error?: unknown });
      assert.deepEqual(
        lines.map((l) => l.error),
        [undefined, undefined, undefined],
      );
      assert.match(lines[0].output ?? '', /Ticket: a \(for ops\)/);
      assert.match(lines[1].output ?? '', /Ticket: b"/);
    });
  });

  it('a system turn between user turns reaches the server in `system`, with alternating messages', async () => {
    const uri = await openPrompt(
      'system-middle.prompt',
      `---\nmodel: ${HAIKU}\n---\n{{role "system"}}Be brief.\n{{role "user"}}First question.\n{{role "system"}}Answer in French.\n{{role "user"}}Second question.\n`,
    );
    await runWithoutAsking(uri);
    const sent = await lastSent();
    assert.deepEqual(sent.system, [{ text: 'Be brief.' }, { text: 'Answer in French.' }]);
    assert.deepEqual(sent.messages, [
      { role: 'user', content: [{ text: 'First question.' }, { text: 'Second question.' }] },
    ]);
  });

  describe('Run again and Continue', () => {
    it('Run twice in a row: two answers in the history, one in the file; Undo brings the first back', async () => {
      const uri = await openPrompt('twice.prompt', `---\nmodel: ${HAIKU}\n---\nSay hello.\n`);
      const before = (await api.runHistory.getChildren()).length;
      await runWithoutAsking(uri);
      const afterFirst = await textOf(uri);
      let lens = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(
        lens.some((l) => /Run again/.test(l.command?.title ?? '')),
        'the CodeLens offers Run again',
      );
      assert.ok(
        lens.some((l) => l.command?.command === Commands.continueConversation),
        'and Continue at the last user turn',
      );
      await emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'pace', tokenDelayMs: 1 }, times: 1 });
      await runWithoutAsking(uri);
      const text = await textOf(uri);
      assert.equal(text.split('{{role "model"}}').length - 1, 1, text);
      assert.equal(text.split('{{!-- bedrock: ').length - 1, 1, text);
      // The second request did not send the first answer back.
      assert.deepEqual((await lastSent()).messages, [{ role: 'user', content: [{ text: 'Say hello.' }] }]);
      await waitFor('two runs in the Run History view', async () =>
        (await api.runHistory.getChildren()).length >= before + 2 ? true : undefined,
      );
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('undo');
      assert.equal(await textOf(uri), afterFirst, 'one undo step brings the first answer back');
      lens = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(lens.length > 0);
    });

    it('Continue keeps the answer and sends the next message', async () => {
      const uri = await openPrompt('continue.prompt', `---\nmodel: ${HAIKU}\n---\nFirst.\n`);
      await runWithoutAsking(uri);
      const result = await vscode.commands.executeCommand<RunResult>(Commands.continueConversation, {
        uri,
        message: 'Second, with {{braces}}.',
      });
      assert.equal(result?.status, 'complete');
      const sent = await lastSent();
      assert.deepEqual(
        sent.messages.map((m: { role: string }) => m.role),
        ['user', 'assistant', 'user'],
      );
      assert.equal(sent.messages[2].content[0].text, 'Second, with {{braces}}.');
      assert.equal((await textOf(uri)).split('{{role "model"}}').length - 1, 2);
    });
  });

  it('a tool round trip through the file: the call is written, the result filled in, Run sends both back', async () => {
    const uri = await openPrompt(
      'tool.prompt',
      `---\nmodel: ${HAIKU}\ntools: [get_weather]\ntoolDefs:\n  - name: get_weather\n    description: Current weather for a city\n    inputSchema:\n      city: string\n---\nWhat is the weather in Paris?\n`,
    );
    const first = await runWithoutAsking(uri);
    assert.equal(first.toolCalls.length, 1);
    const id = first.toolCalls[0].toolUseId;
    let text = await textOf(uri);
    assert.ok(text.includes(`{{#toolUse id="${id}" name="get_weather"}}{"city":"example city"}{{/toolUse}}`), text);
    assert.ok(text.endsWith(`{{role "user"}}\n{{#toolResult id="${id}"}}\n\n{{/toolResult}}\n`), text);
    // The cursor waits in the result to fill in.
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    const at = editor!.document.offsetAt(editor!.selection.active);
    assert.equal(text.slice(at, at + 17), '\n{{/toolResult}}\n');
    // Nothing filled in yet: the answer can still be run again, but there is no next message to send.
    const lens = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lens.some((l) => /Run again/.test(l.command?.title ?? '')));
    assert.ok(
      !lens.some((l) => l.command?.command === Commands.continueConversation),
      'no Continue while results wait',
    );
    const sentBefore = (await emulator.requests()).length;
    assert.equal(
      await vscode.commands.executeCommand(Commands.continueConversation, { uri, message: 'hi' }),
      undefined,
    );
    assert.match(api.shownErrors.at(-1)?.message ?? '', /waiting for tool results/);
    assert.equal((await emulator.requests()).length, sentBefore, 'nothing was sent');
    await editor!.edit((b) => b.insert(editor!.selection.active, '{"temperatureC": 21, "sky": "clear"}'));
    const second = await runWithoutAsking(uri);
    assert.match(second.text, /The tool returned .*temperatureC.*21/);
    const sent = await lastSent();
    assert.deepEqual(sent.messages[1].content.at(-1), {
      toolUse: { toolUseId: id, name: 'get_weather', input: { city: 'example city' } },
    });
    assert.deepEqual(sent.messages[2].content, [
      { toolResult: { toolUseId: id, content: [{ json: { temperatureC: 21, sky: 'clear' } }] } },
    ]);
    text = await textOf(uri);
    assert.equal(text.split('{{role "model"}}').length - 1, 2);
  });

  describe('visible inputs', () => {
    it('the CodeLens shows the values a run uses; values are typed and checked before sending', async () => {
      const uri = await openPrompt(
        'inputs.prompt',
        `---\nmodel: ${HAIKU}\ninput:\n  schema:\n    topic: string\n    count: integer\n    tone?(enum): [warm, dry]\n---\nWrite {{count}} lines on {{topic}}{{#if tone}} in a {{tone}} tone{{/if}}.\n`,
      );
      await api.runs.inputs.set(uri, { topic: 'tea', count: 'three' });
      const before = (await emulator.requests()).length;
      await assert.rejects(api.runs.run({ uri: uri.toString() }), /`count` must be a whole number, not "three"/);
      assert.equal((await emulator.requests()).length, before, 'nothing was sent');
      await api.runs.inputs.set(uri, { topic: 'tea', count: 3, tone: 'dry' });
      const lens = await waitFor('the inputs CodeLens', async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).find(
          (l) => l.command?.command === Commands.editInputs && /count=3/.test(l.command.title),
        ),
      );
      assert.match(lens.command?.title ?? '', /topic="tea", count=3, tone="dry"/);
      await runWithoutAsking(uri);
      assert.equal((await lastSent()).messages[0].content[0].text, 'Write 3 lines on tea in a dry tone.');
    });
  });

  it('Run with…: a case from the tests file beside the prompt, picked in the quick pick, runs with its inputs', async () => {
    const uri = await openPrompt(
      'cases.prompt',
      `---\nmodel: ${HAIKU}\ninput:\n  schema:\n    topic: string\n---\nTell me about {{topic}}.\n`,
    );
    await writeFile(
      'cases.tests.yaml',
      'cases:\n  - name: about tea\n    input: {topic: green tea}\n    assert:\n      - contains: tea\n',
    );
    const pending = vscode.commands.executeCommand<RunResult | undefined>(Commands.runWithInputsFrom, uri);
    // The quick pick lists the case first: accept it as a person would (Enter), as soon as it shows
    // (accepting before it shows does nothing).
    let settled = false;
    void pending.then(() => (settled = true));
    await waitFor('the run to start from the picked case', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled || (await emulator.requests()).some((r) => JSON.stringify(r.body ?? '').includes('green tea'))
        ? true
        : undefined;
    });
    const result = await pending;
    assert.equal(result?.status, 'complete');
    assert.equal((await lastSent()).messages[0].content[0].text, 'Tell me about green tea.');
    assert.deepEqual(api.runs.inputs.values(uri), { topic: 'green tea' }, 'the values stay visible for the next run');
  });

  describe('JSON output', () => {
    const schema = 'output:\n  format: json\n  schema:\n    category(enum): [billing, shipping]\n    summary: string\n';

    it('models with structured output get outputConfig; the answer follows the schema', async () => {
      const uri = await openPrompt(
        'structured.prompt',
        `---\nmodel: ${SONNET_45}\n${schema}---\nClassify: my parcel is late.\n`,
      );
      const result = await runWithoutAsking(uri);
      assert.equal(result.structuredOutput, true);
      const sent = await lastSent();
      assert.equal(sent.outputConfig.textFormat.type, 'json_schema');
      assert.deepEqual(JSON.parse(sent.outputConfig.textFormat.structure.jsonSchema.schema).properties.category, {
        enum: ['billing', 'shipping'],
      });
      assert.deepEqual(sent.messages[0].content, [{ text: 'Classify: my parcel is late.' }]);
      assert.deepEqual(JSON.parse(result.text), { category: 'billing', summary: 'example summary' });
      assert.match(await textOf(uri), /· structured output --\}\}/);
    });

    it('an answer that does not match the schema is marked in the metrics and on the answer', async () => {
      // The stop sequence cuts the JSON after its first character: not JSON any more.
      const uri = await openPrompt(
        'mismatch.prompt',
        `---\nmodel: ${HAIKU}\nconfig:\n  stopSequences: ['"']\n${schema}---\nClassify: refund please.\n`,
      );
      const result = await runWithoutAsking(uri);
      assert.match(result.schemaProblem ?? '', /not JSON/);
      assert.match(await textOf(uri), /does not match output\.schema: the answer is not JSON/);
      const diagnostic = await waitFor('the answer diagnostic', () =>
        vscode.languages.getDiagnostics(uri).find((d) => d.code === 'output-schema'),
      );
      assert.match(diagnostic.message, /does not match output\.schema/);
      assert.equal(
        diagnostic.range.start.line,
        (await textOf(uri)).split('\n').findIndex((l) => l === '{{role "model"}}'),
      );
    });
  });

  it('the "Use Inference Profile" button switches the prompt to the model\'s profile', async () => {
    const model = 'anthropic.claude-sonnet-4-20250514-v1:0';
    const uri = await openPrompt('profile.prompt', `---\nmodel: ${model}\n---\nHi\n`);
    // The error a run on an inference-profile-only model gets, as the button receives it.
    const error = {
      code: 'NeedsInferenceProfile',
      message: 'x',
      actions: ['useInferenceProfile'],
      data: { modelId: model, uri: uri.toString() },
    };
    await api.runErrorAction('useInferenceProfile', error as never);
    assert.match(await textOf(uri), /^---\nmodel: us\.anthropic\.claude-sonnet-4-20250514-v1:0\n/);
  });

  it('an unclosed block is reported at its opening tag, with no misleading warnings', async () => {
    const uri = await openPrompt(
      'unclosed.prompt',
      `---\nmodel: ${HAIKU}\ninput:\n  schema:\n    context: string\n---\nIntro.\n{{#if context}}\nUse {{context}}.\n`,
    );
    const diagnostics = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Bedrock Prompt Lab');
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => [d.message, d.range.start.line]),
      [['`{{#if context}}` is never closed: add `{{/if}}`.', 7]],
    );
  });

  it('the open Run History view shows a new run when it ends, without Refresh', async () => {
    const uri = await openPrompt('history-live.prompt', `---\nmodel: ${HAIKU}\n---\nLive.\n`);
    // What the view would show each time it is told to refresh.
    const shown: number[] = [];
    const sub = api.runHistory.onDidChangeTreeData(async () => {
      const r = await api.runHistory.getChildren();
      shown.push(r.filter((x) => x.prompt.endsWith('history-live.prompt')).length);
    });
    try {
      await runWithoutAsking(uri);
      await waitFor('a refresh that shows the run', () => (shown.some((n) => n >= 1) ? true : undefined));
    } finally {
      sub.dispose();
    }
  });

  it('the Run History view lists the prompt runs; two answers open in the diff editor', async () => {
    const uri = await openPrompt('history.prompt', `---\nmodel: ${HAIKU}\n---\nOne.\n`);
    await runWithoutAsking(uri);
    await runWithoutAsking(uri);
    const runs = await waitFor('two runs listed', async () => {
      const r = await api.runHistory.getChildren();
      return r.filter((x) => x.prompt.endsWith('history.prompt')).length >= 2 ? r : undefined;
    });
    const item = api.runHistory.getTreeItem(runs[0]);
    assert.match(String(item.description), /claude-3-haiku.* s · \d+ tok · \$0\.\d+/);
    await vscode.commands.executeCommand(Commands.compareRuns, runs[0], [runs[0], runs[1]]);
    const tab = await waitFor('a diff editor', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && /↔/.test(t.label)),
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'bedrock-run');
    assert.match((await vscode.workspace.openTextDocument(input.modified)).getText(), /You wrote: "One\."/);
    await vscode.commands.executeCommand(Commands.compareRunWithCurrent, runs[0]);
    await waitFor('a diff with the current answer', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /current answer/.test(t.label)),
    );
  });
});

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/extension';
import { Commands } from '../../src/vscode/host/commandIds';
import { activateExtension, emulator, waitFor } from './helpers';

const VENDOR = 'bedrock-prompt-lab';
const NOVA = 'amazon.nova-micro-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
type Lm = typeof vscode.lm & { registerLanguageModelChatProvider?: unknown };
const supported = typeof (vscode.lm as Lm | undefined)?.registerLanguageModelChatProvider === 'function';

async function answerText(
  response: vscode.LanguageModelChatResponse,
): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, calls };
}

const lastSent = async (operation = 'ConverseStream') =>
  (await emulator.requests()).filter((r) => r.operation === operation).at(-1) as
    { modelId?: string; body?: any } | undefined;

describe(`Bedrock models in VS Code's chat (vscode.lm, VS Code ${vscode.version})`, () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  if (!supported) {
    it('a VS Code without the provider API offers nothing, and choosing models says which version is needed', async () => {
      // The newest shown error before, by identity: the list keeps the last 20, so its length can stay put.
      const before = api.shownErrors.at(-1);
      const result = await vscode.commands.executeCommand(Commands.chooseChatModels, [NOVA]);
      assert.equal(result, undefined);
      const error = await waitFor('the message', () => {
        const last = api.shownErrors.at(-1);
        return last !== before ? last : undefined;
      });
      assert.match(
        error.message,
        /cannot offer models from extensions in its chat: that needs VS Code 1\.104 or later/,
      );
      assert.deepEqual(vscode.workspace.getConfiguration('bedrockPromptLab').get('chat.models'), []);
    });
    return;
  }

  let models: vscode.LanguageModelChat[];
  before(async () => {
    await vscode.commands.executeCommand(Commands.chooseChatModels, [NOVA, HAIKU]);
    models = await waitFor('the chosen Bedrock models in vscode.lm', async () => {
      const found = await vscode.lm.selectChatModels({ vendor: VENDOR });
      return found.length === 2 ? found : undefined;
    });
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('bedrockPromptLab')
      .update('chat.models', undefined, vscode.ConfigurationTarget.Global);
    await emulator.clearFaults();
  });

  it('offers exactly the chosen models, with their names and capabilities', () => {
    const nova = models.find((m) => m.id === NOVA);
    const haiku = models.find((m) => m.id === HAIKU);
    assert.ok(nova && haiku, models.map((m) => m.id).join());
    assert.equal(nova.vendor, VENDOR);
    assert.equal(nova.name, 'Nova Micro');
    assert.equal(haiku.name, 'Claude 3 Haiku');
    // The context windows from the registry's dated table (Nova Micro 128K, Claude 3 Haiku 200K).
    assert.equal(nova.maxInputTokens, 128_000);
    assert.equal(haiku.maxInputTokens, 200_000);
  });

  it('streams an answer through ConverseStream, system and user turns mapped to Converse', async () => {
    const nova = models.find((m) => m.id === NOVA)!;
    const messages = [
      vscode.LanguageModelChatMessage.User('Hello from the chat'),
      vscode.LanguageModelChatMessage.Assistant('Hi.'),
      vscode.LanguageModelChatMessage.User('What is 2 + 2?'),
    ];
    const { text } = await answerText(
      await nova.sendRequest(
        messages,
        { modelOptions: { maxTokens: 200 } },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.match(text, /^Nova Micro \(emulated\), turn 2\. You wrote: "What is 2 \+ 2\?"/);
    const sent = await lastSent();
    assert.equal(sent?.modelId, NOVA);
    assert.deepEqual(sent?.body.messages, [
      { role: 'user', content: [{ text: 'Hello from the chat' }] },
      { role: 'assistant', content: [{ text: 'Hi.' }] },
      { role: 'user', content: [{ text: 'What is 2 + 2?' }] },
    ]);
    assert.equal(sent?.body.inferenceConfig.maxTokens, 200);
  });

  it('maps tool calls both ways: tools out, a tool call back, its result sent as a toolResult', async () => {
    const haiku = models.find((m) => m.id === HAIKU)!;
    const tools: vscode.LanguageModelChatTool[] = [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ];
    const ask = vscode.LanguageModelChatMessage.User('Weather in Paris?');
    const first = await answerText(
      await haiku.sendRequest(
        [ask],
        { tools, toolMode: vscode.LanguageModelChatToolMode.Required },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.equal(first.calls.length, 1, first.text);
    const call = first.calls[0];
    assert.equal(call.name, 'get_weather');
    assert.equal(typeof (call.input as { city?: unknown }).city, 'string');
    const sentTools = (await lastSent())?.body.toolConfig;
    assert.deepEqual(sentTools.toolChoice, { tool: { name: 'get_weather' } });
    assert.equal(sentTools.tools[0].toolSpec.name, 'get_weather');

    const second = await answerText(
      await haiku.sendRequest(
        [
          ask,
          vscode.LanguageModelChatMessage.Assistant([
            new vscode.LanguageModelToolCallPart(call.callId, call.name, call.input),
          ]),
          vscode.LanguageModelChatMessage.User([
            new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('{"tempC":18}')]),
          ]),
        ],
        { tools },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.match(second.text, /^The tool returned \[\{"text":"\{\\"tempC\\":18\}"\}\]/);
    const messages = (await lastSent())?.body.messages;
    assert.deepEqual(messages[1].content[0].toolUse.toolUseId, call.callId);
    assert.deepEqual(messages[2].content[0].toolResult, {
      toolUseId: call.callId,
      content: [{ text: '{"tempC":18}' }],
    });
  });

  it('MCP-style tool names and odd call ids are mapped to what Bedrock takes, and back', async () => {
    const haiku = models.find((m) => m.id === HAIKU)!;
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'github.create_issue', description: 'Open an issue', inputSchema: { type: 'object', properties: {} } },
      { name: 'mcp/server tool', description: 'Another', inputSchema: { type: 'object', properties: {} } },
    ];
    // A conversation with a call another provider made (its id holds a slash and a space).
    const history = [
      vscode.LanguageModelChatMessage.User('Open an issue'),
      vscode.LanguageModelChatMessage.Assistant([
        new vscode.LanguageModelToolCallPart('call/1 a', 'github.create_issue', { title: 'x' }),
      ]),
      vscode.LanguageModelChatMessage.User([
        new vscode.LanguageModelToolResultPart('call/1 a', [new vscode.LanguageModelTextPart('#12')]),
      ]),
      vscode.LanguageModelChatMessage.Assistant('Opened #12.'),
      vscode.LanguageModelChatMessage.User('And another one'),
    ];
    const answer = await answerText(
      await haiku.sendRequest(
        history,
        { tools, toolMode: vscode.LanguageModelChatToolMode.Required },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.equal(answer.calls.length, 1, answer.text);
    assert.ok(['github.create_issue', 'mcp/server tool'].includes(answer.calls[0].name), answer.calls[0].name);
    const body = (await lastSent())?.body;
    const valid = /^[a-zA-Z0-9_-]{1,64}$/;
    for (const t of body.toolConfig.tools) assert.match(t.toolSpec.name, valid);
    assert.match(body.messages[1].content[0].toolUse.toolUseId, valid);
    assert.equal(body.messages[1].content[0].toolUse.toolUseId, body.messages[2].content[0].toolResult.toolUseId);
  });

  it('a request over the size bound is refused before anything is sent, with a LanguageModelError', async () => {
    const nova = models.find((m) => m.id === NOVA)!;
    const before = (await emulator.requests()).length;
    await assert.rejects(
      (async () =>
        answerText(
          await nova.sendRequest(
            [vscode.LanguageModelChatMessage.User('x'.repeat(21 * 1024 * 1024))],
            {},
            new vscode.CancellationTokenSource().token,
          ),
        ))(),
      (err: Error) => err instanceof vscode.LanguageModelError && /at most 20 MB/.test(err.message),
    );
    assert.equal((await emulator.requests()).slice(before).filter((r) => r.operation.startsWith('Converse')).length, 0);
  });

  it('counts tokens with the service', async () => {
    const nova = models.find((m) => m.id === NOVA)!;
    const before = (await emulator.requests()).length;
    const n = await nova.countTokens('one two three four five six seven eight');
    assert.ok(n > 0, String(n));
    assert.ok(
      (await emulator.requests()).slice(before).some((r) => r.operation === 'CountTokens'),
      'CountTokens was called',
    );
  });

  it("Choose Models opens on the account's chat models with the chosen ones checked; accepting keeps them", async () => {
    const pending = vscode.commands.executeCommand<string[] | undefined>(Commands.chooseChatModels);
    let settled = false;
    void pending.then(() => (settled = true));
    // Accept as a person would (Enter), once the quick pick shows.
    await waitFor('the quick pick to be accepted', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled || undefined;
    });
    assert.deepEqual([...((await pending) ?? [])].sort(), [HAIKU, NOVA].sort());
    assert.deepEqual(
      [...(vscode.workspace.getConfiguration('bedrockPromptLab').get<string[]>('chat.models') ?? [])].sort(),
      [HAIKU, NOVA].sort(),
    );
  });

  it('a throttled request fails with the same message as a run', async () => {
    const nova = models.find((m) => m.id === NOVA)!;
    await emulator.addFault({ operation: 'ConverseStream', fault: { kind: 'http', error: 'throttling' }, times: 3 });
    await assert.rejects(
      (async () =>
        answerText(
          await nova.sendRequest(
            [vscode.LanguageModelChatMessage.User('Hi')],
            {},
            new vscode.CancellationTokenSource().token,
          ),
        ))(),
      (err: Error) =>
        err instanceof vscode.LanguageModelError &&
        err.code === vscode.LanguageModelError.Blocked.name &&
        /Bedrock is throttling requests \(still throttled after 3 attempts\)/.test(err.message),
    );
  });
});

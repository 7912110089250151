// AgentCore harnesses through the real SDK clients (client-bedrock-agentcore, -control) against the local
// server: the lab's harness runtime keeps a conversation in its session (only new turns are sent, and
// the harness answers from the history it kept), hands an inline function's call back and continues in
// the same session with the call and its result, and the control plane creates, updates and lists. A
// knowledge base answering in generate mode continues the service's session the same way.
import assert from 'node:assert/strict';
import { createClients } from '../../src/core/bedrock/awsSdk';
import { harnessRuntime } from '../../src/core/bedrock/harness';
import { AgentSessions } from '../../src/core/bedrock/agentSessions';
import { knowledgeBaseRuntime } from '../../src/core/bedrock/knowledgeBaseAnswer';
import { converseOnce } from '../../src/core/bedrock/invoke';
import type { BedrockClients } from '../../src/core/bedrock/clients';
import type { ConverseRequest } from '../../src/core/format/render';
import { startEmulator, type BedrockEmulator } from './index';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const ctx = { operation: 'test', modelId: MODEL };

describe('AgentCore harnesses through the real SDK clients (local server)', () => {
  let emu: BedrockEmulator;
  let clients: BedrockClients;
  const saved: Record<string, string | undefined> = {};
  const invocations = () => emu.requests.filter((r) => r.operation === 'InvokeHarness');
  /** A harness of its own, without tools: what the prompt leaves out, the harness's configuration supplies. */
  let harness: string;

  before(async () => {
    for (const [k, v] of Object.entries({ AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    emu = await startEmulator();
    clients = createClients({ endpoint: emu.url, region: 'us-east-1' }, 'test');
    const made = await clients.agents.createHarness({
      harnessName: 'plain_agent',
      executionRoleArn: 'arn:aws:iam::123456789012:role/AgentCoreHarness',
      model: { bedrockModelConfig: { modelId: MODEL } },
    });
    harness = made.arn;
    while ((await clients.agents.getHarness(made.id)).status !== 'READY') await new Promise((r) => setTimeout(r, 100));
  });
  after(async () => {
    clients.dispose();
    await emu.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('Continue carries the session on: only the new turn is sent, and the harness answers from its history', async () => {
    const sessions = new AgentSessions();
    const setting = { harness };
    const first: ConverseRequest = {
      modelId: MODEL,
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Hello there' }] }],
    };
    const runtime = harnessRuntime(clients.runtime, clients.agents, setting, sessions);
    const a1 = await converseOnce(runtime, first, ctx);
    assert.equal(a1.error, undefined, a1.error?.message);
    assert.match(a1.text, /turn 1\. You wrote: "Hello there"/);
    const sessionId = runtime.agentRun()!.sessionId;
    assert.ok(sessionId.length >= 33, 'a session id the service takes');

    // The answer as the file holds it after a run (spacing may differ), then the next question.
    const next: ConverseRequest = {
      ...first,
      messages: [
        ...first.messages!,
        { role: 'assistant', content: [{ text: `  ${a1.text}\n` }] },
        { role: 'user', content: [{ text: 'And again' }] },
      ],
    };
    const again = harnessRuntime(clients.runtime, clients.agents, setting, sessions);
    const a2 = await converseOnce(again, next, ctx);
    assert.equal(again.agentRun()!.sessionId, sessionId, 'the same session');
    const sent = invocations().at(-1)!.body as { messages: { content: { text?: string }[] }[] };
    assert.deepEqual(
      sent.messages.map((m) => m.content[0].text),
      ['And again'],
      'only the turn the harness has not seen',
    );
    assert.match(a2.text, /turn 2\. You wrote: "And again"/, 'the harness answered with the first turn in its history');

    // Run again (the first turn alone) starts afresh: it is not a continuation of anything.
    const fresh = harnessRuntime(clients.runtime, clients.agents, setting, sessions);
    await converseOnce(fresh, first, ctx);
    assert.notEqual(fresh.agentRun()!.sessionId, sessionId);
  });

  it("hands an inline function's call back, and takes its result in the same session with the call sent again", async () => {
    const sessions = new AgentSessions();
    const setting = { harness };
    const request: ConverseRequest = {
      modelId: MODEL,
      messages: [{ role: 'user', content: [{ text: 'Weather in Lisbon?' }] }],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather for a city.',
              inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
            },
          },
        ],
      },
    };
    const runtime = harnessRuntime(clients.runtime, clients.agents, setting, sessions);
    const asked = await converseOnce(runtime, request, ctx);
    assert.equal(asked.stopReason, 'tool_use');
    assert.equal(asked.toolCalls[0]?.name, 'get_weather');
    assert.deepEqual(runtime.agentRun()!.toolCalls, ['get_weather']);
    const tools = (invocations().at(-1)!.body as { tools: { type: string; name: string }[] }).tools;
    assert.deepEqual(
      tools.map((t) => [t.type, t.name]),
      [['inline_function', 'get_weather']],
    );

    const call = asked.toolCalls[0];
    const answered = harnessRuntime(clients.runtime, clients.agents, setting, sessions);
    const done = await converseOnce(
      answered,
      {
        ...request,
        messages: [
          ...request.messages!,
          {
            role: 'assistant',
            content: [{ toolUse: { toolUseId: call.toolUseId, name: call.name, input: call.input as never } }],
          },
          {
            role: 'user',
            content: [{ toolResult: { toolUseId: call.toolUseId, content: [{ text: '18 °C, sunny' }] } }],
          },
        ],
      },
      ctx,
    );
    assert.equal(answered.agentRun()!.sessionId, runtime.agentRun()!.sessionId, 'the same session');
    const sent = invocations().at(-1)!.body as { messages: { role: string; content: Record<string, unknown>[] }[] };
    assert.deepEqual(
      sent.messages.map((m) => [m.role, Object.keys(m.content[0])[0]]),
      [
        ['assistant', 'toolUse'],
        ['user', 'toolResult'],
      ],
      'the call and its result, nothing the session already holds',
    );
    assert.match(done.text, /The tool returned .*18 °C, sunny/);
  });

  it('creates a harness (CREATING, then READY), updates it to a new version, lists it; names and roles are checked', async () => {
    const created = await clients.agents.createHarness({
      harnessName: 'faq_bot',
      executionRoleArn: 'arn:aws:iam::123456789012:role/AgentCoreHarness',
      model: { bedrockModelConfig: { modelId: MODEL } },
      systemPrompt: [{ text: 'Answer FAQs.' }],
    });
    assert.equal(created.status, 'CREATING');
    assert.match(created.arn, /^arn:aws:bedrock-agentcore:us-east-1:123456789012:harness\/faq_bot-[a-zA-Z0-9]{10}$/);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await clients.agents.getHarness(created.id)).status, 'READY');
    const updated = await clients.agents.updateHarness({
      harnessId: created.id,
      systemPrompt: [{ text: 'Answer FAQs briefly.' }],
    });
    assert.equal(updated.status, 'UPDATING');
    assert.equal(updated.version, '2');
    const listed = await clients.agents.listHarnesses();
    assert.ok(listed.some((h) => h.arn === created.arn));
    await assert.rejects(
      clients.agents.createHarness({ harnessName: 'faq-bot', executionRoleArn: 'arn:aws:iam::123456789012:role/R' }),
      /harnessName failed to satisfy constraint|at 'harnessName'/,
    );
    await assert.rejects(
      clients.agents.createHarness({ harnessName: 'other_bot', executionRoleArn: 'not-a-role' }),
      /executionRoleArn/,
    );
  });

  it("a knowledge base in generate mode: Continue sends the service's session id back, a new conversation none", async () => {
    const sessions = new AgentSessions();
    const setting = { id: 'SUPPORTKB1', mode: 'generate' as const, numberOfResults: 2 };
    const first: ConverseRequest = {
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Can I get a refund on a gift card?' }] }],
    };
    const rag = () =>
      emu.requests.filter((r) => r.operation === 'RetrieveAndGenerateStream').at(-1)!.body as Record<string, unknown>;
    const a1 = await converseOnce(
      knowledgeBaseRuntime(clients.runtime, clients.knowledgeBases, setting, sessions),
      first,
      ctx,
    );
    assert.equal(a1.error, undefined, a1.error?.message);
    assert.equal(rag().sessionId, undefined, 'the service opens the session');
    await converseOnce(
      knowledgeBaseRuntime(clients.runtime, clients.knowledgeBases, setting, sessions),
      {
        ...first,
        messages: [
          ...first.messages!,
          { role: 'assistant', content: [{ text: a1.text }] },
          { role: 'user', content: [{ text: 'And store credit?' }] },
        ],
      },
      ctx,
    );
    assert.match(String(rag().sessionId), /^[0-9a-f]{32}$/, "the service's own session id, sent back");
    await converseOnce(knowledgeBaseRuntime(clients.runtime, clients.knowledgeBases, setting, sessions), first, ctx);
    assert.equal(rag().sessionId, undefined, 'Run again is a new conversation');
  });
});

// An agent runtime's answer is its own bytes: server-sent events split anywhere across chunks (JSON
// strings, Strands-style text deltas, bookkeeping events without text, anything else shown as sent), a
// JSON body (a string or a `result`), or plain text. The payload the prompt becomes, and the trace header
// read into a console link. The SDK is replaced by a stub of the one call here: the bytes are what a
// runtime may send, which the local server (one format) cannot all produce.
import assert from 'node:assert/strict';
import type { InvokeAgentRuntimeCommandInput } from '@aws-sdk/client-bedrock-agentcore';
import { agentRuntimeRuntime, runtimePayload, traceOf } from '../../../../src/core/bedrock/agentRuntime';
import { AgentSessions } from '../../../../src/core/bedrock/agentSessions';
import type { Agents, Runtime } from '../../../../src/core/bedrock/clients';
import { converseOnce } from '../../../../src/core/bedrock/invoke';

const RUNTIME = 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/support_runtime-AbCdEf1234';
const base = { region: async () => 'eu-west-1' } as unknown as Runtime;

/** A runtime that answers with these chunks and this content type, and records what it was sent. */
function answering(contentType: string, chunks: string[], sent: InvokeAgentRuntimeCommandInput[] = []) {
  const agents = {
    invokeRuntime: async (input: InvokeAgentRuntimeCommandInput) => {
      sent.push(input);
      return {
        contentType,
        runtimeSessionId: input.runtimeSessionId,
        traceId: 'Root=1-6751a2b3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
        response: (async function* () {
          for (const c of chunks) yield new TextEncoder().encode(c);
        })(),
        $metadata: {},
      };
    },
  } as unknown as Agents;
  return agentRuntimeRuntime(base, agents, { runtime: RUNTIME }, new AgentSessions());
}

const ask = (runtime: Runtime, text = 'Where is order 1042?') =>
  converseOnce(runtime, { modelId: 'm', messages: [{ role: 'user', content: [{ text }] }] }, { operation: 'test' });

describe('an agent runtime answering a prompt', () => {
  it('server-sent events split across chunks: strings, text deltas, bookkeeping skipped, other data as sent', async () => {
    const runtime = answering('text/event-stream', [
      'data: "Your order "\n\nda',
      'ta: {"event": {"contentBlockDelta": {"delta": {"text": "shipped"}}}}\n',
      '\ndata: {"event": {"messageStop": {"stopReason": "end_turn"}}}\n\n',
      'data: {"unknown": 1}\n\ndata: " today."',
    ]);
    const out = await ask(runtime);
    assert.equal(out.error, undefined);
    assert.equal(out.text, 'Your order shipped{"unknown": 1}\n today.');
    const run = runtime.agentRun()!;
    assert.equal(run.kind, 'runtime');
    assert.deepEqual(run.trace, {
      id: '1-6751a2b3-0123456789abcdef01234567',
      url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:traces/1-6751a2b3-0123456789abcdef01234567',
    });
  });

  it('a JSON body: a string, a `result`, else the JSON itself; plain text as it comes', async () => {
    assert.equal((await ask(answering('application/json', ['"Shipped', ' today."']))).text, 'Shipped today.');
    assert.equal((await ask(answering('application/json', ['{"result": "Shipped."}']))).text, 'Shipped.');
    assert.equal((await ask(answering('application/json', ['{"order": 1042}']))).text, '{\n  "order": 1042\n}');
    assert.equal((await ask(answering('text/plain', ['Ship', 'ped.']))).text, 'Shipped.');
  });

  it('sends the last user turn as {"prompt"} in JSON, in a session of the service’s length', async () => {
    const sent: InvokeAgentRuntimeCommandInput[] = [];
    await ask(answering('text/plain', ['ok'], sent), 'Hi there');
    assert.equal(sent[0].agentRuntimeArn, RUNTIME);
    assert.equal(sent[0].contentType, 'application/json');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(sent[0].payload as Uint8Array)), { prompt: 'Hi there' });
    assert.ok((sent[0].runtimeSessionId ?? '').length >= 33);
  });

  it('the payload: the last turn (and what a new session misses), or the turns with payload: converse', () => {
    const request = {
      modelId: 'm',
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user' as const, content: [{ text: 'Hi' }] },
        { role: 'assistant' as const, content: [{ text: 'Hello!' }] },
        { role: 'user' as const, content: [{ text: 'Bye' }] },
      ],
    };
    const prompt = runtimePayload(request, { runtime: RUNTIME }, 0);
    assert.deepEqual(prompt.payload, { prompt: 'Bye' });
    assert.match(prompt.note ?? '', /a new session got the last user turn only: set `payload: converse`/);
    assert.equal(runtimePayload(request, { runtime: RUNTIME }, 2).note, undefined, 'a continued session has the rest');
    assert.deepEqual(runtimePayload(request, { runtime: RUNTIME, payload: 'converse' }, 2).payload, {
      messages: [{ role: 'user', content: [{ text: 'Bye' }] }],
    });
    assert.throws(
      () =>
        runtimePayload(
          {
            modelId: 'm',
            messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array() } } }] }],
          },
          { runtime: RUNTIME },
          0,
        ),
      /takes JSON, and image blocks/,
    );
    assert.equal(traceOf(undefined, 'us-east-1'), undefined);
  });
});

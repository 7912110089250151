import assert from 'node:assert/strict';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { Runtime } from '../../../../src/core/bedrock/clients';
import { streamAnswer } from '../../../../src/core/bedrock/invoke';
import { consumeStream } from '../../../../src/core/bedrock/stream';
import {
  estimateCost,
  estimateRun,
  formatEstimate,
  formatUsd,
  priceFor,
  requestChars,
  type PriceTable,
} from '../../../../src/core/bedrock/pricing';
import { TextBatcher } from '../../../../src/core/shared/batcher';

async function* events(
  list: ConverseStreamOutput[],
  opts: { throwAfter?: Error } = {},
): AsyncGenerator<ConverseStreamOutput> {
  for (const e of list) {
    await Promise.resolve();
    yield e;
  }
  if (opts.throwAfter) throw opts.throwAfter;
}

const delta = (text: string): ConverseStreamOutput => ({
  contentBlockDelta: { contentBlockIndex: 0, delta: { text } },
});
const stop: ConverseStreamOutput = { messageStop: { stopReason: 'end_turn' } };
const meta: ConverseStreamOutput = {
  metadata: {
    usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 3 },
    metrics: { latencyMs: 12 },
  },
};

function opts(signal = new AbortController().signal, abort: () => void = () => undefined, stallTimeoutMs = 1000) {
  let t = 0;
  return {
    signal,
    stallTimeoutMs,
    startedAt: 0,
    now: () => (t += 10),
    errorContext: { operation: 'run', modelId: 'm' },
    abort,
  };
}

describe('consuming a Converse stream', () => {
  it('collects text, usage, stop reason and timings', async () => {
    const seen: string[] = [];
    const o = await consumeStream(
      events([
        { messageStart: { role: 'assistant' } },
        delta('Hel'),
        delta('lo'),
        { contentBlockStop: { contentBlockIndex: 0 } },
        stop,
        meta,
      ]),
      { onText: (t) => seen.push(t) },
      opts(),
    );
    assert.equal(o.status, 'complete');
    assert.equal(o.text, 'Hello');
    assert.deepEqual(seen, ['Hel', 'lo']);
    assert.equal(o.stopReason, 'end_turn');
    assert.deepEqual(o.usage, { inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 3 });
    assert.equal(o.serverLatencyMs, 12);
    assert.equal(o.timeToFirstTokenMs, 10);
    assert.ok(o.latencyMs > (o.timeToFirstTokenMs ?? 0));
  });

  it('joins tool input fragments and reasoning', async () => {
    const o = await consumeStream(
      events([
        { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'think' } } } },
        { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 't1', name: 'get' } } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"a":' } } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '1}' } } } },
        { contentBlockStop: { contentBlockIndex: 1 } },
        { messageStop: { stopReason: 'tool_use' } },
      ]),
      {},
      opts(),
    );
    assert.equal(o.reasoning, 'think');
    assert.deepEqual(o.toolCalls, [{ toolUseId: 't1', name: 'get', input: { a: 1 } }]);
  });

  it('a stream that ends without messageStop is an interrupted stream', async () => {
    const o = await consumeStream(events([delta('part')]), {}, opts());
    assert.equal(o.status, 'failed');
    assert.equal(o.error?.code, 'StreamInterrupted');
    assert.equal(o.text, 'part');
  });

  it('an exception inside the stream keeps the text and names the exception', async () => {
    const err = Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
    const o = await consumeStream(events([delta('part')], { throwAfter: err }), {}, opts());
    assert.equal(o.error?.code, 'Throttled');
    assert.match(o.error?.message ?? '', /what arrived is kept/);
  });

  it('a stall aborts the request and fails with StreamStalled', async () => {
    const ac = new AbortController();
    // Like the SDK: after the first event nothing arrives, and an abort ends the iterator quietly.
    async function* stalled(): AsyncGenerator<ConverseStreamOutput> {
      yield delta('a');
      await new Promise((resolve) => ac.signal.addEventListener('abort', resolve));
    }
    const o = await consumeStream(
      stalled(),
      {},
      opts(ac.signal, () => ac.abort(), 30),
    );
    assert.equal(o.status, 'failed');
    assert.equal(o.error?.code, 'StreamStalled');
    assert.equal(o.text, 'a');
  });

  it('stop: an aborted stream is "stopped", not failed', async () => {
    const ac = new AbortController();
    ac.abort();
    const o = await consumeStream(events([delta('x')]), {}, opts(ac.signal));
    assert.equal(o.status, 'stopped');
    assert.equal(o.error, undefined);
  });
});

describe('batching editor edits', () => {
  it('coalesces text into few edits, in order', async () => {
    const applied: string[] = [];
    const b = new TextBatcher(async (t) => {
      applied.push(t);
      await new Promise((r) => setTimeout(r, 5));
    }, 20);
    for (let i = 0; i < 200; i++) {
      b.push(`${i} `);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    await b.close();
    assert.equal(applied.join(''), Array.from({ length: 200 }, (_, i) => `${i} `).join(''));
    assert.ok(applied.length < 40, `${applied.length} edits`);
    assert.equal(b.edits, applied.length);
  });

  it('closeTakingRest waits for the edit in flight and hands back, unapplied, what came after it', async () => {
    const applied: string[] = [];
    let release!: () => void;
    const b = new TextBatcher(async (t) => {
      applied.push(t);
      await new Promise<void>((r) => (release = r));
    }, 0);
    b.push('first ');
    await new Promise((r) => setTimeout(r, 5)); // the first edit is now in flight
    b.push('second ');
    b.push('third');
    const rest = b.closeTakingRest();
    release();
    assert.equal(await rest, 'second third');
    assert.deepEqual(applied, ['first ']);
    b.push('after close');
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(applied, ['first ']);
  });
});

describe('cost estimates', () => {
  const table: PriceTable = {
    source: 'test table',
    sourceDate: '2026-01-01',
    models: { 'amazon.nova-lite-v1:0': { input: 0.001, output: 0.002 } },
  };
  it('prices base ids, profiles and context-length variants', () => {
    assert.equal(priceFor('us.amazon.nova-lite-v1:0', table)?.price.input, 0.001);
    assert.equal(priceFor('amazon.nova-lite-v1:0:300k', table)?.price.input, 0.001);
    assert.equal(priceFor('unknown.model', table), undefined);
  });
  it('uses overrides first, and counts cache tokens', () => {
    const c = estimateCost(
      'amazon.nova-lite-v1:0',
      { inputTokens: 1000, outputTokens: 1000, totalTokens: 2000 },
      table,
    );
    assert.ok(Math.abs((c?.usd ?? 0) - 0.003) < 1e-12);
    const o = estimateCost('amazon.nova-lite-v1:0', { inputTokens: 1000, outputTokens: 0, totalTokens: 1000 }, table, {
      'amazon.nova-lite-v1:0': { input: 1, output: 1 },
    });
    assert.equal(o?.usd, 1);
    assert.match(o?.source ?? '', /setting/);
    assert.equal(formatUsd(0.00345), '$0.00345');
    // Plain decimals everywhere: the metrics comment once wrote ~$5.0e-6 where the CodeLens wrote $0.000005.
    assert.equal(formatUsd(5e-6), '$0.000005');
    assert.equal(formatUsd(5.24e-6), '$0.0000052');
    assert.equal(formatUsd(1.5e-9), '$0.0000000015');
    assert.equal(formatUsd(0.25), '$0.2500');
    assert.doesNotMatch(formatUsd(3e-12), /e/);
  });
  it('estimates a run before it is sent: input from the request text, output bounded by maxTokens', () => {
    const chars = requestChars({
      system: [{ text: 'a'.repeat(100) }],
      messages: [{ content: [{ text: 'b'.repeat(300) }, { image: {} }] }],
    });
    assert.equal(chars, 400);
    const e = estimateRun('us.amazon.nova-lite-v1:0', 1000, chars, 200, table);
    assert.equal(e?.inputTokens, 100_000);
    assert.equal(e?.maxOutputTokens, 200_000);
    assert.ok(Math.abs((e?.inputUsd ?? 0) - 0.1) < 1e-12 && Math.abs((e?.maxUsd ?? 0) - 0.5) < 1e-12);
    assert.equal(formatEstimate(e!), '≈ $0.1000 to $0.5000');
    assert.equal(formatEstimate(e!, 0.5), '≈ $0.0500 to $0.2500');
    assert.match(
      formatEstimate(estimateRun('amazon.nova-lite-v1:0', 10, 400, undefined, table)!),
      /^at least \$0\.00100 \(no maxOutputTokens/,
    );
    assert.equal(estimateRun('unknown.model', 10, 400, 10, table), undefined);
    assert.equal(formatEstimate(estimateRun('amazon.nova-lite-v1:0', 1, 12, 1, table)!), '≈ $0.000003 to $0.000005');
  });
});

describe('streamAnswer: ConverseStream, or Converse for a model that cannot stream', () => {
  const request = { modelId: 'm', messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
  const validation = (message: string) => Object.assign(new Error(message), { name: 'ValidationException' });
  function runtime(streamResult: () => Promise<unknown>, calls: string[]): Runtime {
    return {
      converse: async () => {
        calls.push('converse');
        return {
          output: { message: { role: 'assistant', content: [{ text: 'whole answer' }] } },
          stopReason: 'end_turn',
          $metadata: {},
        };
      },
      converseStream: async () => {
        calls.push('converseStream');
        return (await streamResult()) as never;
      },
      countTokens: async () => ({ inputTokens: 1, $metadata: {} }),
      region: async () => 'us-east-1',
    } as unknown as Runtime;
  }

  it('streams, and reports text only after the service accepted the request', async () => {
    const calls: string[] = [];
    const out = await streamAnswer(
      runtime(async () => ({ stream: events([delta('a'), delta('b'), stop]) }), calls),
      request,
      { onText: (t) => calls.push(`text ${t}`) },
      { ...opts(), onAccepted: () => void calls.push('accepted') },
    );
    assert.deepEqual(calls, ['converseStream', 'accepted', 'text a', 'text b']);
    assert.equal(out.streamed, true);
    assert.equal(out.text, 'ab');
  });

  it('falls back to Converse on the service\'s "unsupported for streaming" refusal, by its code', async () => {
    const calls: string[] = [];
    const out = await streamAnswer(
      runtime(async () => {
        throw validation('The model is unsupported for streaming.');
      }, calls),
      request,
      { onText: (t) => calls.push(`text ${t}`) },
      { ...opts(), onAccepted: () => void calls.push('accepted') },
    );
    assert.deepEqual(calls, ['converseStream', 'converse', 'accepted', 'text whole answer']);
    assert.deepEqual([out.streamed, out.status, out.stopReason], [false, 'complete', 'end_turn']);
  });

  it('any other refusal is thrown before anything is accepted or written; a known non-streamer goes straight to Converse', async () => {
    const calls: string[] = [];
    await assert.rejects(
      streamAnswer(
        runtime(async () => {
          throw validation('A conversation must start with a user message.');
        }, calls),
        request,
        {},
        { ...opts(), onAccepted: () => void calls.push('accepted') },
      ),
      /must start with a user message/,
    );
    assert.deepEqual(calls, ['converseStream']);
    const direct: string[] = [];
    await streamAnswer(
      runtime(async () => ({}), direct),
      request,
      {},
      { ...opts(), stream: false },
    );
    assert.deepEqual(direct, ['converse']);
  });
});

// One-shot Converse through the extension's SDK adapter: with SDK retries (runs) and without (batch runs
// and prompt tests, where the adaptive limiter is the only retry layer and must see every throttle).
import assert from 'node:assert/strict';
import { createClients } from '../../src/core/bedrock/awsSdk';
import { converseOnce } from '../../src/core/bedrock/invoke';
import { startEmulator, type BedrockEmulator } from './index';

describe('converseOnce through the SDK adapter', () => {
  let emu: BedrockEmulator;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    emu = await startEmulator();
    // The credential chain reads the environment, as it does in VS Code.
    for (const [k, v] of Object.entries({ AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await emu.stop();
  });

  const request = {
    modelId: 'amazon.nova-micro-v1:0',
    messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }],
  };
  const ctx = { operation: 'test', modelId: 'amazon.nova-micro-v1:0' };
  const converseCalls = () => emu.requests.filter((r) => r.operation === 'Converse').length;

  it('with retries: false makes one attempt and reports the throttle', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: emu.url }, 'test');
    try {
      emu.faults.add({ operation: 'Converse', fault: { kind: 'http', error: 'throttling' }, times: 1 });
      const before = converseCalls();
      const o = await converseOnce(clients.runtime, request, ctx, { retries: false });
      assert.equal(o.error?.code, 'Throttled');
      assert.equal(converseCalls() - before, 1);
      const ok = await converseOnce(clients.runtime, request, ctx);
      assert.equal(ok.error, undefined);
      assert.match(ok.text, /^Nova Micro \(emulated\)/);
      assert.ok((ok.usage?.outputTokens ?? 0) > 0);
    } finally {
      clients.dispose();
    }
  });

  it('by default lets the SDK retry a throttle', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: emu.url }, 'test');
    try {
      emu.faults.add({ operation: 'Converse', fault: { kind: 'http', error: 'throttling' }, times: 1 });
      const before = converseCalls();
      const o = await converseOnce(clients.runtime, request, ctx);
      assert.equal(o.error, undefined);
      assert.equal(converseCalls() - before, 2);
    } finally {
      clients.dispose();
    }
  });
});

// Nothing hangs: a server that accepts the connection and never answers, a port where nothing listens,
// and a model that times out inside the stream, through the real SDK clients and the extension's adapter.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClients } from '../../src/core/bedrock/awsSdk';
import { toBedrockError } from '../../src/core/bedrock/errors';
import { consumeStream } from '../../src/core/bedrock/stream';
import { startEmulator, type BedrockEmulator } from './index';

const request = { modelId: 'amazon.nova-micro-v1:0', messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
const ctx = { operation: 'run amazon.nova-micro-v1:0', modelId: 'amazon.nova-micro-v1:0' };

describe('nothing hangs: timeouts, refused connections, in-stream timeouts', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentUrl: string;
  let emu: BedrockEmulator;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    for (const [k, v] of Object.entries({
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    // Accepts every connection, reads what comes, answers nothing.
    silent = createServer((s) => {
      sockets.push(s);
      s.on('data', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    emu = await startEmulator();
  });
  after(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));
    await emu.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('a silent endpoint: ConverseStream and Converse give up with a message that names the endpoint', async () => {
    const clients = createClients(
      { endpoint: silentUrl, region: 'us-east-1', firstByteTimeoutMs: 400, converseTimeoutMs: 600 },
      'test',
    );
    try {
      const started = Date.now();
      const err = await clients.runtime.converseStream(request).then(
        () => assert.fail('no stream was expected'),
        (e: unknown) => e,
      );
      assert.ok(Date.now() - started < 5000, 'it gave up in time');
      const e = toBedrockError(err, ctx);
      assert.equal(e.code, 'Timeout');
      assert.match(
        e.message,
        new RegExp(
          `Bedrock \\(${silentUrl.replace(/[.]/g, '\\.')}\\) did not start streaming within 0 s|did not start streaming`,
        ),
      );
      assert.match(e.message, /firstByteTimeoutSeconds/);
      const conv = toBedrockError(
        await clients.runtime.converse(request).then(
          () => assert.fail('no answer was expected'),
          (x: unknown) => x,
        ),
        ctx,
      );
      assert.equal(conv.code, 'Timeout');
      assert.match(conv.message, /did not answer within/);
    } finally {
      clients.dispose();
    }
  });

  it('Stop ends a call to a silent endpoint at once', async () => {
    const clients = createClients({ endpoint: silentUrl, region: 'us-east-1', firstByteTimeoutMs: 60_000 }, 'test');
    try {
      const abort = new AbortController();
      const started = Date.now();
      const pending = clients.runtime.converseStream(request, abort.signal).then(
        () => 'stream',
        (e: unknown) => e,
      );
      setTimeout(() => abort.abort(), 200);
      const err = await pending;
      assert.ok(Date.now() - started < 3000, `stopped after ${Date.now() - started} ms`);
      assert.equal(toBedrockError(err, ctx).code, 'Cancelled');
    } finally {
      clients.dispose();
    }
  });

  it('a refused connection names the endpoint (and is not an unknown error)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const clients = createClients({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' }, 'test');
    try {
      const e = toBedrockError(
        await clients.runtime.converse(request, undefined, { retries: false }).then(
          () => assert.fail('refused'),
          (x: unknown) => x,
        ),
        ctx,
      );
      assert.equal(e.code, 'EndpointUnreachable');
      assert.match(
        e.message,
        new RegExp(`Nothing answers at the Bedrock endpoint 127\\.0\\.0\\.1:${port} \\(connection refused\\)`),
      );
    } finally {
      clients.dispose();
    }
  });

  it('a model timeout inside the stream has its own message, without raw JSON', async () => {
    const clients = createClients({ endpoint: emu.url, region: 'us-east-1' }, 'test');
    try {
      emu.addFault({
        operation: 'ConverseStream',
        fault: {
          kind: 'streamException',
          exception: 'modelTimeoutException',
          afterTokens: 2,
          message: 'Model has timed out in processing the request.',
        },
        times: 1,
      });
      const abort = new AbortController();
      const { stream } = await clients.runtime.converseStream(
        { ...request, messages: [{ role: 'user', content: [{ text: '[[tokens=20]]' }] }] },
        abort.signal,
      );
      const out = await consumeStream(
        stream!,
        {},
        {
          signal: abort.signal,
          stallTimeoutMs: 10_000,
          startedAt: Date.now(),
          errorContext: ctx,
          abort: () => abort.abort(),
        },
      );
      assert.equal(out.status, 'failed');
      assert.equal(out.error?.code, 'ModelTimeout');
      assert.match(
        out.error?.message ?? '',
        /^The model timed out while processing the request\..*what arrived is kept/s,
      );
      assert.doesNotMatch(out.error?.message ?? '', /[{}]|cut/);
      assert.equal(out.text, 'the quick');
    } finally {
      clients.dispose();
    }
  });
});

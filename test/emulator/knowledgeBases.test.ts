// Knowledge bases through the real bedrock-agent and bedrock-agent-runtime clients: the list with each one's
// type, its data sources, retrieval ranked by the lexical stand-in, and a sync that indexes a new document.
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createClients } from '../../src/core/bedrock/awsSdk';
import { passagesOf } from '../../src/core/bedrock/passages';
import { startEmulator, type BedrockEmulator } from './server';
import { waitFor } from '../support/waitFor';
import { BUCKET } from './sdkClients';

describe('emulator: knowledge bases through the real SDK clients', () => {
  let emu: BedrockEmulator;
  let clients: ReturnType<typeof createClients>;
  before(async () => {
    emu = await startEmulator({ jobDurationMs: 300 });
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    clients = createClients({ region: 'us-east-1', endpoint: emu.url }, 'test');
  });
  after(async () => {
    clients.dispose();
    await emu.stop();
  });

  it('lists the knowledge bases with their types, and a data source with its last sync', async () => {
    const kbs = await clients.knowledgeBases.list();
    assert.deepEqual(
      kbs.map((k) => [k.id, k.name, k.type, k.status]),
      [
        ['SUPPORTKB1', 'support-docs', 'VECTOR', 'ACTIVE'],
        ['MANAGEDKB1', 'handbook-managed', 'MANAGED', 'ACTIVE'],
        ['KENDRAKB01', 'policies-kendra', 'KENDRA', 'ACTIVE'],
      ],
    );
    const [source] = await clients.knowledgeBases.dataSources('SUPPORTKB1');
    assert.equal(source.name, 'support-handbook-s3');
    assert.equal(source.lastSync?.status, 'COMPLETE');
    assert.ok(source.lastSync?.startedAt instanceof Date);
  });

  it("filters on each document's metadata file with Retrieve's operators, and refuses a filter it cannot read", async () => {
    const sources = async (filter: Record<string, unknown>) =>
      passagesOf(
        await clients.knowledgeBases.retrieve('SUPPORTKB1', 'days business delivery shipping warranty refund', {
          numberOfResults: 20,
          filter,
        }),
      ).map((p) => p.sourceName);
    assert.deepEqual([...new Set(await sources({ equals: { key: 'category', value: 'warranty' } }))], ['warranty.md']);
    assert.deepEqual([...new Set(await sources({ in: { key: 'category', value: ['shipping', 'refunds'] } }))].sort(), [
      'refund-policy.md',
      'shipping.md',
    ]);
    assert.deepEqual(
      await sources({
        andAll: [
          { notEquals: { key: 'category', value: 'shipping' } },
          {
            startsWith: { key: 'x-amz-bedrock-kb-source-uri', value: 's3://bedrock-prompt-lab-data/knowledge-base/w' },
          },
        ],
      }).then((s) => [...new Set(s)]),
      ['warranty.md'],
    );
    await assert.rejects(
      clients.knowledgeBases.retrieve('SUPPORTKB1', 'refund', { filter: { near: { key: 'category', value: 'x' } } }),
      /Invalid filter/,
    );
  });

  it('reranks: keeps the number asked for, scored by how much of the query each passage holds', async () => {
    const out = passagesOf(
      await clients.knowledgeBases.retrieve('SUPPORTKB1', 'express shipping costs euros', {
        numberOfResults: 5,
        reranking: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0', numberOfResults: 1 },
      }),
    );
    assert.equal(out.length, 1);
    assert.equal(out[0].sourceName, 'shipping.md');
    assert.equal(out[0].score, 1, 'every query word is in the passage');
  });

  it('retrieves the passages that match best, best first, with their S3 source and a score', async () => {
    const passages = passagesOf(
      await clients.knowledgeBases.retrieve('SUPPORTKB1', 'I was charged twice, do I get a refund?', {
        numberOfResults: 2,
      }),
    );
    assert.equal(passages.length, 2);
    assert.equal(passages[0].source, `s3://${BUCKET}/knowledge-base/refund-policy.md`);
    assert.equal(passages[0].sourceName, 'refund-policy.md');
    assert.match(passages[0].text, /charged twice/);
    assert.ok(passages[0].score! > passages[1].score! && passages[0].score! < 1);
    await assert.rejects(
      clients.knowledgeBases.retrieve('KBNOPE', 'x'),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });

  it('a sync indexes what was uploaded to the data source', async () => {
    const s3 = (await import('@aws-sdk/client-s3')).S3Client;
    const client = new s3({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true });
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'knowledge-base/returns-abroad.md',
        Body: '# Returns abroad\n\nParcels returned from Norway need a customs form CN23.\n',
      }),
    );
    client.destroy();
    const before = passagesOf(await clients.knowledgeBases.retrieve('SUPPORTKB1', 'customs form Norway'));
    assert.equal(before.length, 0, 'not indexed before the sync');
    const job = await clients.knowledgeBases.sync('SUPPORTKB1', 'SUPPORTDS1');
    await waitFor(
      'the sync to complete',
      async () =>
        (await clients.knowledgeBases.syncStatus('SUPPORTKB1', 'SUPPORTDS1', job)).status === 'COMPLETE' || undefined,
    );
    const after = passagesOf(await clients.knowledgeBases.retrieve('SUPPORTKB1', 'customs form Norway'));
    assert.equal(after[0]?.sourceName, 'returns-abroad.md');
  });
});

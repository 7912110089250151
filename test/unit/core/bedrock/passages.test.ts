import assert from 'node:assert/strict';
import { passagesOf, passagesText } from '../../../../src/core/bedrock/passages';

describe('what a knowledge base retrieved', () => {
  it('reads each passage with its source, whatever the kind of location, and its score', () => {
    assert.deepEqual(
      passagesOf({
        retrievalResults: [
          {
            content: { text: 'Refunds within 30 days.' },
            location: { type: 'S3', s3Location: { uri: 's3://b/docs/refund-policy.md' } },
            score: 0.8,
          },
          {
            content: { text: 'Shipping is free.' },
            location: { type: 'WEB', webLocation: { url: 'https://example.com/help/shipping?lang=en' } },
          },
          {
            content: {
              type: 'ROW',
              row: [
                { columnName: 'order', columnValue: '7', type: 'STRING' },
                { columnName: 'status', columnValue: 'shipped', type: 'STRING' },
              ],
            },
            location: { type: 'SQL', sqlLocation: { query: 'SELECT * FROM orders' } },
          },
        ],
      }),
      [
        {
          text: 'Refunds within 30 days.',
          source: 's3://b/docs/refund-policy.md',
          sourceName: 'refund-policy.md',
          score: 0.8,
        },
        { text: 'Shipping is free.', source: 'https://example.com/help/shipping?lang=en', sourceName: 'shipping' },
        {
          text: 'order: 7, status: shipped',
          source: 'SQL: SELECT * FROM orders',
          sourceName: 'SQL: SELECT * FROM orders',
        },
      ],
    );
    assert.deepEqual(passagesOf({ retrievalResults: undefined }), []);
  });

  it('lists them as plain text: rank, source and score, then the passage indented as it is', () => {
    assert.equal(
      passagesText('refunds?', 'docs', [
        { text: '<script>x</script>\n# not a heading', source: 's3://b/a.md', sourceName: 'a.md', score: 0.5 },
      ]),
      'Query: refunds?\nKnowledge base: docs\n1 passage(s), best first\n\n1. s3://b/a.md  (score 0.500)\n   <script>x</script>\n   # not a heading\n',
    );
  });
});

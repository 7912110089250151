// S3, path-style, enough for dataset uploads: buckets, PutObject (plain or aws-chunked with trailing
// checksums, as the SDK sends streams), multipart uploads, HeadObject, GetObject, ListObjectsV2.
import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext } from './http';

export interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType?: string;
}

export class S3Store {
  readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly uploads = new Map<string, { bucket: string; key: string; parts: Map<number, Buffer> }>();

  constructor(buckets: string[] = ['bedrock-prompt-lab-data']) {
    for (const b of buckets) this.buckets.set(b, new Map());
  }

  /** Writes an object as the service would (a job's output); the bucket must exist. */
  put(bucket: string, key: string, text: string): void {
    this.buckets.get(bucket)?.set(key, {
      body: Buffer.from(text),
      etag: `"${createHash('md5').update(text).digest('hex')}"`,
      lastModified: new Date(),
    });
  }

  object(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Whether `s3://bucket/key` (or a prefix of objects ending in /) exists. */
  exists(uri: string): boolean {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
    if (!m) return false;
    const objects = this.buckets.get(m[1]);
    if (!objects) return false;
    if (m[2] === '' || m[2].endsWith('/')) return true;
    return objects.has(m[2]);
  }

  handle(ctx: RequestContext): void {
    const [bucket, ...rest] = ctx.segments;
    const key = rest.join('/');
    const q = ctx.query;
    const objects = bucket ? this.buckets.get(bucket) : undefined;
    if (!bucket)
      return this.xml(
        ctx,
        200,
        `<ListAllMyBucketsResult><Buckets>${[...this.buckets.keys()].map((b) => `<Bucket><Name>${b}</Name><CreationDate>2024-11-20T10:00:00.000Z</CreationDate></Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`,
      );
    if (ctx.method === 'PUT' && !key && !q.has('partNumber')) {
      if (!objects) this.buckets.set(bucket, new Map());
      return this.empty(ctx, 200, { location: `/${bucket}` });
    }
    if (!objects) return this.error(ctx, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
    if (ctx.method === 'HEAD' && !key) return this.empty(ctx, 200);
    if (ctx.method === 'GET' && !key) return this.list(ctx, bucket, objects);
    if (ctx.method === 'POST' && q.has('uploads')) {
      const uploadId = randomUUID().replace(/-/g, '');
      this.uploads.set(uploadId, { bucket, key, parts: new Map() });
      return this.xml(
        ctx,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${esc(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    const uploadId = q.get('uploadId');
    if (uploadId) {
      const upload = this.uploads.get(uploadId);
      if (!upload) return this.error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.', key);
      if (ctx.method === 'PUT') {
        const body = decodeBody(ctx);
        upload.parts.set(Number(q.get('partNumber')), body);
        return this.empty(ctx, 200, { etag: `"${md5(body)}"` });
      }
      if (ctx.method === 'DELETE') {
        this.uploads.delete(uploadId);
        return this.empty(ctx, 204);
      }
      if (ctx.method === 'POST') {
        const numbers = [...ctx.body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) =>
          Number(m[1]),
        );
        const body = Buffer.concat(numbers.map((n) => upload.parts.get(n) ?? Buffer.alloc(0)));
        const etag = `"${md5(body)}-${numbers.length}"`;
        objects.set(key, { body, etag, lastModified: new Date() });
        this.uploads.delete(uploadId);
        return this.xml(
          ctx,
          200,
          `<CompleteMultipartUploadResult><Location>/${bucket}/${esc(key)}</Location><Bucket>${bucket}</Bucket><Key>${esc(key)}</Key><ETag>${esc(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
    }
    if (ctx.method === 'PUT') {
      const body = decodeBody(ctx);
      const etag = `"${md5(body)}"`;
      objects.set(key, {
        body,
        etag,
        lastModified: new Date(),
        contentType: String(ctx.req.headers['content-type'] ?? '') || undefined,
      });
      return this.empty(ctx, 200, { etag });
    }
    const obj = objects.get(key);
    if (!obj) {
      if (ctx.method === 'HEAD') return this.empty(ctx, 404);
      return this.error(ctx, 404, 'NoSuchKey', 'The specified key does not exist.', key);
    }
    const headers = {
      etag: obj.etag,
      'last-modified': obj.lastModified.toUTCString(),
      'content-length': String(obj.body.length),
      'content-type': obj.contentType ?? 'application/octet-stream',
    };
    if (ctx.method === 'HEAD') return this.empty(ctx, 200, headers);
    if (ctx.method === 'GET') {
      ctx.res.writeHead(200, { ...headers, 'x-amz-request-id': ctx.requestId });
      ctx.res.end(obj.body);
      return;
    }
    if (ctx.method === 'DELETE') {
      objects.delete(key);
      return this.empty(ctx, 204);
    }
    return this.error(ctx, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', key);
  }

  private list(ctx: RequestContext, bucket: string, objects: Map<string, StoredObject>): void {
    const prefix = ctx.query.get('prefix') ?? '';
    const max = Number(ctx.query.get('max-keys') ?? 1000);
    const start = ctx.query.get('continuation-token') ?? '';
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > start).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > page.length;
    const contents = page
      .map((k) => {
        const o = objects.get(k)!;
        return `<Contents><Key>${esc(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    this.xml(
      ctx,
      200,
      `<ListBucketResult><Name>${bucket}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${esc(page[page.length - 1])}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
    );
  }

  private xml(ctx: RequestContext, status: number, body: string): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
    ctx.res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(text),
      'x-amz-request-id': ctx.requestId,
    });
    ctx.res.end(text);
  }

  private empty(ctx: RequestContext, status: number, headers: Record<string, string> = {}): void {
    ctx.res.writeHead(status, {
      ...headers,
      'content-length': headers['content-length'] ?? '0',
      'x-amz-request-id': ctx.requestId,
    });
    ctx.res.end();
  }

  private error(ctx: RequestContext, status: number, code: string, message: string, resource: string): void {
    if (ctx.method === 'HEAD') return this.empty(ctx, status);
    this.xml(
      ctx,
      status,
      `<Error><Code>${code}</Code><Message>${message}</Message><Resource>${esc(resource)}</Resource><RequestId>${ctx.requestId}</RequestId></Error>`,
    );
  }
}

/** The SDK streams bodies as aws-chunked with a trailing checksum: decode to the plain bytes. */
function decodeBody(ctx: RequestContext): Buffer {
  const encoding = String(ctx.req.headers['content-encoding'] ?? '');
  const sha = String(ctx.req.headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return ctx.body;
  const out: Buffer[] = [];
  let pos = 0;
  const b = ctx.body;
  while (pos < b.length) {
    const eol = b.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(b.subarray(pos, eol).toString('latin1').split(';')[0], 16);
    pos = eol + 2;
    if (!size) break;
    out.push(b.subarray(pos, pos + size));
    pos += size + 2;
  }
  return Buffer.concat(out);
}

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('hex');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

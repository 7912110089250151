// S3 locations: the one parser and formatter for `s3://bucket/key` (batch inference, customization jobs,
// dataset uploads). Bucket names follow S3's general-purpose rules; keys are kept as written.

export interface S3Location {
  bucket: string;
  /** The key or key prefix; '' for the bucket itself. */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const BUCKET_RULE = 'Bucket names are 3–63 lowercase letters, digits, dots and hyphens.';

export function isBucketName(name: string): boolean {
  return BUCKET.test(name) && !name.includes('..');
}

/** `s3://bucket/a/b` → { bucket, key: 'a/b' }; undefined when it is not an S3 URI with a valid bucket. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri.trim());
  if (!m || !isBucketName(m[1])) return undefined;
  return { bucket: m[1], key: m[2] ?? '' };
}

/** Why `uri` is not usable as an S3 location (an input box's validation), or undefined. */
export function s3UriProblem(uri: string, example = 's3://bucket/prefix/'): string | undefined {
  if (!uri.trim().startsWith('s3://')) return `An S3 URI: ${example}`;
  const m = /^s3:\/\/([^/]*)/.exec(uri.trim());
  return parseS3Uri(uri) ? undefined : `"${m?.[1] ?? ''}" is not a bucket name. ${BUCKET_RULE}`;
}

/** A key prefix that ends with one `/` (none for the bucket root), without a leading one. */
export function asPrefix(key: string): string {
  const trimmed = key.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export function s3Uri(bucket: string, key = ''): string {
  return `s3://${bucket}/${key}`;
}

// Where a Bedrock batch inference job's files go in S3, and where its results come back from. Light and
// pure: the main bundle uses it to name the job and build its URIs before the dataset engine loads.
import { asPrefix, parseS3Uri, s3Uri } from '../bedrock/s3Uri';

export interface JobLayout {
  bucket: string;
  /** `<prefix>/<jobName>/`: every file of the job lives under it. */
  prefix: string;
  /** The one input object (the rendered records). */
  inputKey: string;
  inputUri: string;
  outputUri: string;
}

/** The layout under `s3://bucket/prefix/` for a job; undefined when `base` is not an S3 URI. */
export function jobLayout(base: string, jobName: string): JobLayout | undefined {
  const at = parseS3Uri(base);
  if (!at) return undefined;
  const prefix = `${asPrefix(at.key)}${jobName}/`;
  return {
    bucket: at.bucket,
    prefix,
    inputKey: `${prefix}input/records.jsonl`,
    inputUri: s3Uri(at.bucket, `${prefix}input/`),
    outputUri: s3Uri(at.bucket, `${prefix}output/`),
  };
}

/** Bedrock writes a job's results under `<output>/<job id>/`; undefined when the job has no S3 output. */
export function resultsLocation(
  outputS3Uri: string | undefined,
  jobArn: string,
): { bucket: string; prefix: string } | undefined {
  const at = parseS3Uri(outputS3Uri ?? '');
  if (!at) return undefined;
  return { bucket: at.bucket, prefix: `${asPrefix(at.key)}${jobArn.split('/').pop()}/` };
}

/** A result file of the job (`*.jsonl.out`), not its manifest. */
export function isResultKey(key: string): boolean {
  return key.endsWith('.out') && !key.endsWith('manifest.json.out');
}

/**
 * `<prompt name>-<yyyymmddhhmmssSSS>`, within Bedrock's job name rules (letters, digits, hyphens; 63 at
 * most). Milliseconds: jobs started in the same second (CI matrix steps) get names of their own.
 */
export function jobNameFor(promptFileName: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:T.Z]/g, '')
    .slice(0, 17);
  const base = promptFileName
    .replace(/\.prompt$/, '')
    .replace(/[^a-zA-Z0-9-]/g, '-')
    .slice(0, 40);
  return `${base}-${stamp}`;
}

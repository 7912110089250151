// A completed customization job's loss curves, read from the metrics files it wrote to its S3 output
// (src/core/bedrock/trainingMetrics.ts says where and how). Shared by the editor's chart and any front end.
import type { Storage } from '../core/bedrock/clients';
import { lossCurveFiles, readLossCsv, type LossCurves } from '../core/bedrock/trainingMetrics';
import { s3Uri } from '../core/bedrock/s3Uri';
import { BedrockError } from '../core/shared/bedrockError';

const missing = (err: unknown) => ['NoSuchKey', 'NotFound'].includes((err as { name?: string }).name ?? '');

export async function loadLossCurves(
  storage: Pick<Storage, 'readText'>,
  job: { jobArn: string; jobName: string; outputS3Uri?: string },
  signal?: AbortSignal,
): Promise<LossCurves & { trainingFile: string; validationFile: string }> {
  if (!job.outputS3Uri)
    throw new BedrockError('Validation', `${job.jobName} has no output location to read metrics from.`);
  const files = lossCurveFiles(job.outputS3Uri, job.jobArn);
  const trainingFile = s3Uri(files.training.bucket, files.training.key);
  const validationFile = s3Uri(files.validation.bucket, files.validation.key);
  let trainingText: string;
  try {
    trainingText = await storage.readText(files.training.bucket, files.training.key, signal);
  } catch (err) {
    if (missing(err))
      throw new BedrockError(
        'Validation',
        `${job.jobName} wrote no training metrics at ${trainingFile}: the job writes them when it completes. If it has, check that the output location was not cleaned up.`,
      );
    throw err;
  }
  const validationText = await storage
    .readText(files.validation.bucket, files.validation.key, signal)
    .catch((err: unknown) => (missing(err) ? '' : Promise.reject(err)));
  return {
    training: await readLossCsv(trainingText, 'training_loss', trainingFile),
    validation: validationText ? await readLossCsv(validationText, 'validation_loss', validationFile) : [],
    trainingFile,
    validationFile,
  };
}

// A customization job's loss curves: where the job writes them in its S3 output and how to read them.
// The layout and the columns are the user guide's "Analyze the results of a model customization job":
//   {output}/model-customization-job-{job id}/training_artifacts/step_wise_training_metrics.csv
//   {output}/model-customization-job-{job id}/validation_artifacts/post_fine_tuning_validation/validation/validation_metrics.csv
// with step_number, epoch_number, training_loss (or validation_loss) and perplexity.
import { rowsOfText } from '../io/rows';
import { asPrefix, parseS3Uri, type S3Location } from './s3Uri';
import type { LossCurves, LossPoint } from './lossCurve';

export type { LossCurves, LossPoint } from './lossCurve';

/** The two metrics files of a job, from its output location and its ARN (whose last part is the job id). */
export function lossCurveFiles(outputS3Uri: string, jobArn: string): { training: S3Location; validation: S3Location } {
  const output = parseS3Uri(outputS3Uri);
  if (!output) throw new Error(`The job's output location "${outputS3Uri}" is not an S3 URI.`);
  const folder = `${asPrefix(output.key)}model-customization-job-${jobArn.split('/').pop() ?? ''}/`;
  return {
    training: { bucket: output.bucket, key: `${folder}training_artifacts/step_wise_training_metrics.csv` },
    validation: {
      bucket: output.bucket,
      key: `${folder}validation_artifacts/post_fine_tuning_validation/validation/validation_metrics.csv`,
    },
  };
}

/**
 * The points of one metrics file, in step order. Rows whose numbers do not parse are left out, and a file
 * without the loss column is an error that names the columns it has.
 */
export async function readLossCsv(
  text: string,
  column: 'training_loss' | 'validation_loss',
  file: string,
): Promise<LossPoint[]> {
  const points: LossPoint[] = [];
  let columns: string[] | undefined;
  for await (const row of rowsOfText(text, `${file}.csv`)) {
    if (row.problem) continue;
    columns ??= Object.keys(row.input);
    const step = Number(row.input.step_number);
    const epoch = Number(row.input.epoch_number);
    const loss = Number(row.input[column]);
    if (row.input[column] === undefined || row.input[column] === '') continue;
    if ([step, loss].every(Number.isFinite)) points.push({ step, epoch: Number.isFinite(epoch) ? epoch : 0, loss });
  }
  if (columns && !columns.includes(column))
    throw new Error(`${file} has no ${column} column (it has ${columns.join(', ')}).`);
  return points.sort((a, b) => a.step - b.step);
}

/** One line for a message or a test: where each curve starts and ends. */
export function lossSummary(curves: LossCurves): string {
  const line = (name: string, points: LossPoint[]) =>
    points.length === 0
      ? undefined
      : `${name} loss ${round(points[0].loss)} → ${round(points[points.length - 1].loss)} over ${points.length} point${points.length === 1 ? '' : 's'} (${new Set(points.map((p) => p.epoch)).size} epoch${new Set(points.map((p) => p.epoch)).size === 1 ? '' : 's'})`;
  return (
    [line('Training', curves.training), line('validation', curves.validation)].filter(Boolean).join('; ') ||
    'No loss figures in the metrics files.'
  );
}

function round(n: number): string {
  return Number(n.toPrecision(3)).toString();
}

import assert from 'node:assert/strict';
import { lossCurveFiles, lossSummary, readLossCsv } from '../../../../src/core/bedrock/trainingMetrics';

describe("a customization job's loss curves", () => {
  it('are read from the layout the user guide gives, under the output location and the job id', () => {
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/abc123def456';
    for (const output of ['s3://bucket/out', 's3://bucket/out/'])
      assert.deepEqual(lossCurveFiles(output, arn), {
        training: {
          bucket: 'bucket',
          key: 'out/model-customization-job-abc123def456/training_artifacts/step_wise_training_metrics.csv',
        },
        validation: {
          bucket: 'bucket',
          key: 'out/model-customization-job-abc123def456/validation_artifacts/post_fine_tuning_validation/validation/validation_metrics.csv',
        },
      });
    assert.throws(() => lossCurveFiles('bucket/out', arn), /"bucket\/out" is not an S3 URI/);
  });

  it('take the loss column in step order, leave out rows without a number, and name a missing column', async () => {
    const csv =
      'step_number,epoch_number,training_loss,perplexity\n2,1,1.5,4.4\n0,1,2.25,9.4\n1,1,,x\nnope,1,3,3\n3,2,0.42,1.5\n';
    assert.deepEqual(await readLossCsv(csv, 'training_loss', 's3://b/t.csv'), [
      { step: 0, epoch: 1, loss: 2.25 },
      { step: 2, epoch: 1, loss: 1.5 },
      { step: 3, epoch: 2, loss: 0.42 },
    ]);
    await assert.rejects(
      readLossCsv('step_number,epoch_number,loss\n0,1,2\n', 'validation_loss', 's3://b/v.csv'),
      /s3:\/\/b\/v\.csv has no validation_loss column \(it has step_number, epoch_number, loss\)/,
    );
  });

  it('are summed up in one line: where each curve starts and ends', () => {
    assert.equal(
      lossSummary({
        training: [
          { step: 0, epoch: 1, loss: 2.2 },
          { step: 19, epoch: 2, loss: 0.42 },
        ],
        validation: [{ step: 19, epoch: 2, loss: 0.51 }],
      }),
      'Training loss 2.2 → 0.42 over 2 points (2 epochs); validation loss 0.51 → 0.51 over 1 point (1 epoch)',
    );
    assert.equal(lossSummary({ training: [], validation: [] }), 'No loss figures in the metrics files.');
  });
});

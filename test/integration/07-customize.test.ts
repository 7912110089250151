import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { CreateDatasetResult } from '../../src/vscode/commands/createDataset';
import type { UploadResult } from '../../src/vscode/commands/customize';
import type { ExtensionApi } from '../../src/vscode/extension';
import type { LossChartPanel } from '../../src/vscode/webview/lossChartPanel';
import { activateExtension, answeringQuickPicks, emulator, waitFor, workspaceFile } from './helpers';

const BUCKET = 'bedrock-prompt-lab-data';

async function s3Object(key: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  try {
    return (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString()) ?? '';
  } finally {
    s3.destroy();
  }
}

describe('the customization loop against the local server', () => {
  let api: ExtensionApi;
  let dataset: CreateDatasetResult;
  before(async () => {
    api = await activateExtension();
    await vscode.workspace.fs.writeFile(
      workspaceFile('cust', 'rows.jsonl'),
      Buffer.from(
        Array.from({ length: 40 }, (_, i) => JSON.stringify({ prompt: `Q${i}?`, completion: `A${i}.` })).join('\n'),
      ),
    );
    dataset = (await vscode.commands.executeCommand<CreateDatasetResult>(Commands.createDataset, {
      sources: ['cust/rows.jsonl'],
      targetModel: 'amazon.nova-micro-v1:0:128k',
      customization: 'FINE_TUNING',
      outputPath: 'out/cust',
      validationSplit: 0.2,
      showReport: false,
    }))!;
    assert.equal(dataset.ok, true, dataset.failure);
  });

  let upload: UploadResult;
  it('uploads the dataset to S3, byte for byte', async () => {
    upload = (await vscode.commands.executeCommand<UploadResult>(Commands.uploadDataset, {
      folder: 'out/cust',
      bucket: BUCKET,
      prefix: 'it/nova',
    }))!;
    assert.deepEqual(
      [upload.trainS3Uri, upload.validationS3Uri],
      [`s3://${BUCKET}/it/nova/train.jsonl`, `s3://${BUCKET}/it/nova/validation.jsonl`],
    );
    assert.equal(await s3Object('it/nova/train.jsonl'), readFileSync(dataset.trainFile!, 'utf8'));
    assert.equal(await s3Object('it/nova/validation.jsonl'), readFileSync(dataset.validationFile!, 'utf8'));
  });

  it('refuses to upload a file holding a secret', async () => {
    await vscode.workspace.fs.writeFile(
      workspaceFile('out', 'leaky', 'train.jsonl'),
      Buffer.from(`${JSON.stringify({ prompt: 'key?', completion: 'AKIAZ7ADS5GCLR2X4QHN' })}\n`),
    );
    const before = (await emulator.requests()).filter((r) => r.operation.startsWith('S3 PUT')).length;
    const result = await vscode.commands.executeCommand(Commands.uploadDataset, {
      folder: 'out/leaky',
      bucket: BUCKET,
      prefix: 'it/leaky',
    });
    assert.equal(result, undefined);
    assert.equal(
      (await emulator.requests()).filter((r) => r.operation.startsWith('S3 PUT')).length,
      before,
      'nothing left the machine',
    );
  });

  let jobArn: string;
  it('starts a customization job with the right request, and follows it to completion in the sidebar', async () => {
    jobArn = (await vscode.commands.executeCommand<string>(Commands.startCustomizationJob, {
      baseModelId: 'amazon.nova-micro-v1:0:128k',
      customizationType: 'FINE_TUNING',
      trainingS3Uri: upload.trainS3Uri,
      validationS3Uri: upload.validationS3Uri,
      outputS3Uri: `s3://${BUCKET}/it/nova/output/`,
      jobName: 'it-nova-1',
      customModelName: 'it-nova-custom',
      roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
    }))!;
    assert.match(jobArn, /:model-customization-job\//);
    const sent = (await emulator.requests()).find((r) => r.operation === 'CreateModelCustomizationJob')?.body as Record<
      string,
      any
    >;
    assert.equal(sent.baseModelIdentifier, 'amazon.nova-micro-v1:0:128k');
    assert.equal(sent.customizationType, 'FINE_TUNING');
    assert.deepEqual(sent.trainingDataConfig, { s3Uri: upload.trainS3Uri });
    assert.deepEqual(sent.validationDataConfig, { validators: [{ s3Uri: upload.validationS3Uri }] });
    assert.deepEqual(sent.hyperParameters, { epochCount: '2', learningRate: '0.00001', learningRateWarmupSteps: '10' });
    assert.ok(sent.clientRequestToken, 'the SDK adds an idempotency token');
    const item = () => api.jobs.getChildren().find((j) => j.jobArn === jobArn);
    assert.equal(item()?.status, 'InProgress');
    assert.match(
      String(api.jobs.getTreeItem(item()!).description),
      /^InProgress · (validation|data processing|training), stage [123] of 3 · amazon\.nova-micro-v1:0:128k$/,
    );
    await waitFor(
      'the jobs view to show the training stage',
      async () => (
        await vscode.commands.executeCommand(Commands.refreshJobs),
        /training, stage 3 of 3/.test(String(item() && api.jobs.getTreeItem(item()!).description)) || undefined
      ),
      20_000,
    );
    await waitFor(
      'the job to complete',
      async () =>
        (await vscode.commands.executeCommand(Commands.refreshJobs), item()?.status === 'Completed') ? true : undefined,
      20_000,
    );
    assert.equal(api.jobs.getTreeItem(item()!).contextValue, 'job.Completed');
  });

  it("Show Training Loss draws the completed job's training and validation loss from the metrics files in its output", async () => {
    const job = api.jobs.getChildren().find((j) => j.jobArn === jobArn)!;
    const panel = await vscode.commands.executeCommand<LossChartPanel>(Commands.showTrainingLoss, job);
    assert.ok(panel, api.shownErrors.at(-1)?.message);
    assert.ok([...api.lossCharts].includes(panel));
    assert.deepEqual(await panel.whenRendered(), {
      type: 'rendered',
      heading: 'Loss of it-nova-1',
      trainingPoints: 20,
      validationPoints: 2,
    });
    assert.equal(
      panel.shown.summary,
      'Training loss 2.2 → 0.42 over 20 points (2 epochs); validation loss 2 → 0.51 over 2 points (2 epochs)',
    );
    assert.match(
      panel.shown.sources[0],
      /^s3:\/\/bedrock-prompt-lab-data\/it\/nova\/output\/model-customization-job-[0-9a-f]{12}\/training_artifacts\/step_wise_training_metrics\.csv$/,
    );
    assert.ok(
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'Loss: it-nova-1')),
      'the chart opened in a tab of its own',
    );
    panel.dispose();
  });

  it('starts a distillation job: the student, its teacher and the prompts; no hyperparameters or validation file', async () => {
    const { result: arn, asked } = await answeringQuickPicks(['Distillation', 'amazon.nova-pro-v1:0'], () =>
      vscode.commands.executeCommand<string>(Commands.startCustomizationJob, {
        baseModelId: 'amazon.nova-micro-v1:0:128k',
        maxResponseLengthForInference: 800,
        trainingS3Uri: upload.trainS3Uri,
        outputS3Uri: `s3://${BUCKET}/it/distil/output/`,
        jobName: 'it-distil-1',
        customModelName: 'it-distilled',
        roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
      }),
    );
    assert.deepEqual(asked[0].labels, ['Fine-tuning', 'Distillation'], 'what Bedrock offers this model');
    assert.deepEqual(
      asked[1].labels,
      ['amazon.nova-premier-v1:0', 'amazon.nova-pro-v1:0', '$(edit) Another model or inference profile…'],
      'the teachers paired with the student first',
    );
    const sent = (await emulator.requests())
      .filter((r) => r.operation === 'CreateModelCustomizationJob')
      .map((r) => r.body as Record<string, any>)
      .find((b) => b.jobName === 'it-distil-1')!;
    assert.equal(sent.customizationType, 'DISTILLATION');
    assert.deepEqual(sent.customizationConfig, {
      distillationConfig: {
        teacherModelConfig: { teacherModelIdentifier: 'amazon.nova-pro-v1:0', maxResponseLengthForInference: 800 },
      },
    });
    assert.deepEqual(sent.trainingDataConfig, { s3Uri: upload.trainS3Uri });
    assert.equal(sent.hyperParameters, undefined);
    assert.equal(sent.validationDataConfig, undefined);
    const job = api.jobs.getChildren().find((j) => j.jobArn === arn)!;
    const tooltip = (await api.jobs.resolveTreeItem(api.jobs.getTreeItem(job), job)).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Distillation of `amazon\.nova-micro-v1:0:128k` taught by `amazon\.nova-pro-v1:0`/);
    assert.match(tooltip.value, /validation: \w+ → data processing: \w+ → training: \w+/);
  });

  it('a reinforcement fine-tuning job is graded by a Lambda; a grader that is not a Lambda ARN is refused before sending', async () => {
    const arn = (await vscode.commands.executeCommand<string>(Commands.startCustomizationJob, {
      baseModelId: 'amazon.nova-2-lite-v1:0',
      customizationType: 'REINFORCEMENT_FINE_TUNING',
      lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade-answers',
      rftHyperParameters: 'epochCount=2 reasoningEffort=low',
      trainingS3Uri: upload.trainS3Uri,
      outputS3Uri: `s3://${BUCKET}/it/rft/output/`,
      jobName: 'it-rft-1',
      customModelName: 'it-rft',
      roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
    }))!;
    assert.match(arn, /model-customization-job\/amazon\.nova-2-lite-v1:0\//);
    const sent = (await emulator.requests())
      .filter((r) => r.operation === 'CreateModelCustomizationJob')
      .map((r) => r.body as Record<string, any>)
      .find((b) => b.jobName === 'it-rft-1')!;
    assert.deepEqual(sent.customizationConfig, {
      rftConfig: {
        graderConfig: { lambdaGrader: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade-answers' } },
        hyperParameters: { epochCount: 2, reasoningEffort: 'low' },
      },
    });
    const count = (await emulator.requests()).filter((r) => r.operation === 'CreateModelCustomizationJob').length;
    const refused = await vscode.commands.executeCommand(Commands.startCustomizationJob, {
      baseModelId: 'amazon.nova-2-lite-v1:0',
      customizationType: 'REINFORCEMENT_FINE_TUNING',
      lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:grade-answers',
      rftHyperParameters: 'epochCount=two',
      trainingS3Uri: upload.trainS3Uri,
      outputS3Uri: `s3://${BUCKET}/it/rft/output/`,
      jobName: 'it-rft-2',
      customModelName: 'it-rft-2',
      roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
    });
    assert.equal(refused, undefined);
    assert.match(api.shownErrors.at(-1)?.message ?? '', /epochCount must be a whole number above 0; got "two"/);
    assert.equal(
      (await emulator.requests()).filter((r) => r.operation === 'CreateModelCustomizationJob').length,
      count,
      'nothing sent',
    );
  });

  it('stops a running job', async () => {
    const second = (await vscode.commands.executeCommand<string>(Commands.startCustomizationJob, {
      baseModelId: 'amazon.nova-micro-v1:0:128k',
      customizationType: 'FINE_TUNING',
      trainingS3Uri: upload.trainS3Uri,
      outputS3Uri: `s3://${BUCKET}/it/nova/output/`,
      jobName: 'it-nova-2',
      customModelName: 'it-nova-custom-2',
      roleArn: 'arn:aws:iam::123456789012:role/BedrockCustomization',
    }))!;
    const job = api.jobs.getChildren().find((j) => j.jobArn === second)!;
    await vscode.commands.executeCommand(Commands.stopJob, job);
    await waitFor('the job to stop', async () =>
      (await vscode.commands.executeCommand(Commands.refreshJobs),
      api.jobs.getChildren().find((j) => j.jobArn === second)?.status === 'Stopped')
        ? true
        : undefined,
    );
  });

  it('provisions the custom model, which the explorer then lists and can run', async () => {
    const job = api.jobs.getChildren().find((j) => j.jobArn === jobArn)!;
    assert.ok(job.customModelArn);
    const pt = await vscode.commands.executeCommand<string>(Commands.createProvisionedThroughput, {
      modelArn: job.customModelArn,
      name: 'it-nova-pt',
      confirm: true,
    });
    assert.match(pt ?? '', /:provisioned-model\//);
    await waitFor(
      'the throughput to be in service',
      async () => {
        await vscode.commands.executeCommand(Commands.refreshModels);
        return api.catalogue.current?.provisionedThroughputs.items.find(
          (p) => p.name === 'it-nova-pt' && p.status === 'InService',
        )
          ? true
          : undefined;
      },
      15_000,
    );
    assert.ok(api.catalogue.current?.customModels.items.some((m) => m.name === 'it-nova-custom'));
    const prompt = workspaceFile('cust', 'try.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nHello tuned model\n'),
    );
    const result = (await vscode.commands.executeCommand(Commands.run, { uri: prompt.toString(), modelId: pt })) as
      { status: string; text: string } | undefined;
    assert.equal(result?.status, 'complete');
    assert.equal(result?.text, 'Nova Micro (emulated), turn 1. You wrote: "Hello tuned model"');
  });
});

// Advanced Prompt Optimization jobs in the real VS Code against the local server: the job starts from a
// prompt and its tests file (the input uploaded to S3), the Prompt Optimization Jobs view follows it to
// its end (PartiallyCompleted: one model fails there), and Bring Optimization Results Back writes the
// variant beside the prompt and opens the evaluation report.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const PROMPT =
  '---\nmodel: amazon.nova-lite-v1:0\ninput:\n  schema:\n    customer: string\n    message: string\n---\n{{role "system"}}\nYou draft replies.\n\n{{role "user"}}\nReply to {{customer}}: {{message}}\n';
const TESTS = `judge: amazon.nova-lite-v1:0
cases:
  - name: late parcel
    input: {customer: Ana, message: My parcel is late.}
    assert:
      - reference: Sorry, Ana, your parcel is on its way.
  - name: damaged lamp
    input: {customer: Ben, message: The lamp is cracked.}
    assert:
      - reference: Apologies, Ben, a new lamp ships today.
`;

describe('Advanced Prompt Optimization jobs against the local server', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activateExtension();
  });

  it('starts a job from the prompt and its cases, follows it in the view, and brings the variant and the report back', async () => {
    const prompt = workspaceFile('runs', 'advpo-reply.prompt');
    await vscode.workspace.fs.writeFile(prompt, Buffer.from(PROMPT));
    await vscode.workspace.fs.writeFile(workspaceFile('runs', 'advpo-reply.tests.yaml'), Buffer.from(TESTS));
    const started = await vscode.commands.executeCommand<{ jobArn: string; inputUri: string }>(
      Commands.startOptimizationJob,
      {
        uri: prompt.toString(),
        models: ['amazon.nova-pro-v1:0', 'meta.llama3-1-8b-instruct-v1:0'],
        method: 'steering',
        criteria: ['The reply apologises.'],
        shorten: false,
        s3Uri: 's3://bedrock-prompt-lab-data/advpo-it/',
        jobName: 'advpo-reply-it',
      },
    );
    assert.ok(started, api.shownErrors.at(-1)?.message);
    assert.equal(
      started.inputUri,
      's3://bedrock-prompt-lab-data/advpo-it/advpo-reply-it/input/optimization-input.jsonl',
    );
    const create = (await emulator.requests()).find((r) => r.operation === 'CreateAdvancedPromptOptimizationJob')
      ?.body as { modelConfigurations: { modelId: string }[] };
    assert.deepEqual(
      create.modelConfigurations.map((m) => m.modelId),
      ['amazon.nova-pro-v1:0', 'meta.llama3-1-8b-instruct-v1:0'],
    );

    const running = (await api.optimizationJobs.refresh()).find((j) => j.jobArn === started.jobArn);
    assert.ok(running, 'the job is in the view');
    const runningItem = api.optimizationJobs.getTreeItem(running);
    assert.equal(runningItem.label, 'advpo-reply-it');
    const ended = await waitFor(
      'the job to end in the Prompt Optimization Jobs view',
      async () => {
        const job = (await api.optimizationJobs.refresh()).find((j) => j.jobArn === started.jobArn);
        return job && job.status !== 'InProgress' ? job : undefined;
      },
      20_000,
    );
    assert.equal(ended.status, 'PartiallyCompleted', 'one model fails on the local server');
    const item = api.optimizationJobs.getTreeItem(ended);
    assert.equal(item.contextValue, 'optimizationJob.PartiallyCompleted');
    assert.match(String(item.description), /^PartiallyCompleted · /);

    const collected = await vscode.commands.executeCommand<{
      variants: {
        modelId: string;
        file?: string;
        status: string;
        before: { averageScore?: number };
        after: { averageScore?: number };
      }[];
      evaluations: string[];
    }>(Commands.collectOptimizationJob, ended);
    assert.ok(collected, api.shownErrors.at(-1)?.message);
    assert.deepEqual(
      collected.variants.map((v) => [v.modelId, v.status, v.file]),
      [
        ['amazon.nova-pro-v1:0', 'SUCCESS', 'runs/advpo-reply.nova-pro.prompt'],
        ['meta.llama3-1-8b-instruct-v1:0', 'FAILED', undefined],
      ],
    );
    assert.equal(collected.variants[0].before.averageScore, 0.5);
    const variant = Buffer.from(
      await vscode.workspace.fs.readFile(workspaceFile('runs', 'advpo-reply.nova-pro.prompt')),
    ).toString('utf8');
    assert.match(variant, /^---\nmodel: amazon\.nova-pro-v1:0\n/);
    assert.match(variant, /Reply to \{\{customer\}\}: \{\{message\}\}\nAnswer in one precise, complete sentence\.\n$/);
    const panel = await waitFor('the evaluation report', () =>
      [...api.evaluationPanels].find((p) => p.recordFile.endsWith(collected.evaluations[0].split('/').pop()!)),
    );
    // The report draws the scores before and after as it draws any evaluation: its chart and a cell per sample.
    const drawn = panel.rendered ?? (await panel.nextRender());
    assert.equal(drawn.type, 'rendered');
    assert.ok(drawn.charts >= 1, `a chart (${JSON.stringify(drawn)})`);
    assert.equal(drawn.cells, 4, 'two samples, before and after, on the one model that succeeded');
  });
});

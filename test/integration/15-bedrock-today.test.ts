// Bedrock as it is today, in the real VS Code against the local server: Choose Project… (ListProjects) and the
// project on every call and in the status bar; prompt routers in the Models view and the model a router chose;
// Run with Service Tier… and Compare Service Tiers…, priced at the tier; citations after the answer and in the
// run record; guardrails listed, checked (ApplyGuardrail), put in a prompt, and what they did on a run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { RunResult } from '../../src/vscode/run/types';
import type { ModelNode } from '../../src/vscode/views/modelsTree';
import type { CompareColumnResult } from '../../src/vscode/webview/comparePanel';
import type { GuardrailReport } from '../../src/core/bedrock/guardrails';
import { activateExtension, answeringQuickPicks, emulator, waitFor, workspaceFile } from './helpers';

describe('Bedrock as it is today: projects, routers, tiers, citations, guardrails', () => {
  const prompt = workspaceFile('runs', 'projects.prompt');
  const lastCall = async () => (await emulator.requests()).filter((r) => r.operation === 'ConverseStream').at(-1);
  const sentProject = async () =>
    ((await lastCall())?.body as { projectIdentifier?: string } | undefined)?.projectIdentifier;
  const run = (modelId?: string) =>
    vscode.commands.executeCommand<RunResult | undefined>(Commands.run, { uri: prompt.toString(), modelId });
  const settings = () => vscode.workspace.getConfiguration('bedrockPromptLab');

  before(async () => {
    await activateExtension();
    await vscode.workspace.fs.writeFile(prompt, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nSay hello.\n'));
    await vscode.window.showTextDocument(prompt);
  });
  after(async () => {
    await settings().update('project', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Choose Project… offers the active projects; the pick is the workspace setting, shown and sent', async () => {
    const api = await activateExtension();
    const { result, asked } = await answeringQuickPicks(['support-bot'], () =>
      vscode.commands.executeCommand<string>(Commands.chooseProject),
    );
    assert.equal(result, 'proj_support01');
    assert.deepEqual(asked[0].labels, ['$(home) Default project', 'support-bot'], 'archived projects are not offered');
    assert.equal(settings().inspect('project')?.workspaceValue, 'proj_support01');
    await waitFor('the status bar to show the project', () => api.awsStatusText().includes('proj_support01'));
    assert.match(api.awsStatusText(), /\$\(project\) proj_support01$/);
    assert.equal((await run())?.status, 'complete');
    assert.equal(await sentProject(), 'proj_support01');

    await answeringQuickPicks(['$(home) Default project'], () =>
      vscode.commands.executeCommand(Commands.chooseProject),
    );
    assert.equal(settings().inspect('project')?.workspaceValue, undefined);
    await waitFor('the status bar to drop the project', () => !api.awsStatusText().includes('proj_'));
    assert.equal((await run())?.status, 'complete');
    assert.equal(await sentProject(), undefined);
  });

  it('the Models view lists the prompt routers; a run on one names the model it chose', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
    const section = await waitFor('the prompt routers section', () =>
      api.models.getChildren().find((n) => n.kind === 'section' && n.section === 'routers'),
    );
    assert.equal(api.models.getTreeItem(section).label, 'Prompt routers');
    const routers = api.models
      .getChildren(section)
      .filter((n): n is Extract<ModelNode, { kind: 'router' }> => n.kind === 'router');
    assert.deepEqual(
      routers.map((r) => api.models.getTreeItem(r).label),
      ['Anthropic Prompt Router', 'Amazon Nova Prompt Router', 'tickets-router'],
    );
    const nova = routers[1];
    assert.match(
      String(api.models.getTreeItem(nova).description),
      /^Bedrock · amazon\.nova-pro-v1:0 or amazon\.nova-lite-v1:0$/,
    );

    const result = await vscode.commands.executeCommand<RunResult | undefined>(Commands.runWithModel, nova);
    assert.equal(result?.status, 'complete', result?.error?.message);
    assert.equal(result?.modelId, nova.router.arn);
    assert.equal(result?.routedTo, 'us.amazon.nova-lite-v1:0');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(
      text,
      /bedrock: us\.amazon\.nova-lite-v1:0 \(chosen by prompt router default-prompt-router\/amazon\.nova:1\)/,
      'the metrics comment in the editor names the chosen model',
    );
    assert.equal(
      await vscode.commands.executeCommand(Commands.useModelInPrompt, nova),
      nova.router.arn,
      '"Use in prompt" writes the router ARN',
    );
    assert.match(
      vscode.window.activeTextEditor?.document.getText() ?? '',
      /^model: arn:aws:bedrock:[^\n]*default-prompt-router\/amazon\.nova:1$/m,
    );
    await vscode.commands.executeCommand(Commands.useModelInPrompt, 'amazon.nova-micro-v1:0');
  });

  it('Run with Service Tier…: the pickers say the tiers share a quota; the tier is sent, shown and priced', async () => {
    const { result: priority, asked } = await answeringQuickPicks(['priority', 'standard'], () =>
      vscode.commands.executeCommand<RunResult>(Commands.runWithServiceTier, { uri: prompt.toString() }),
    );
    assert.deepEqual(asked[0].labels, ['default', 'priority', 'flex', 'reserved']);
    assert.match(asked[0].placeHolder ?? '', /share one on-demand quota/);
    assert.equal(priority?.status, 'complete', priority?.error?.message);
    assert.equal(priority?.serviceTier, 'priority', 'the tier the service says served it');
    const body = (await lastCall())?.body as {
      serviceTier?: { type: string };
      performanceConfig?: { latency: string };
    };
    assert.deepEqual(body.serviceTier, { type: 'priority' });
    assert.deepEqual(body.performanceConfig, { latency: 'standard' });
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /· priority tier · ~\$/);
    const standard = await run();
    assert.equal(standard?.serviceTier, 'default');
    assert.ok(standard?.costUsd && priority?.costUsd);
    assert.equal(Number((priority.costUsd / standard.costUsd).toFixed(2)), 1.75, 'priced at the priority premium');
  });

  it('Compare Service Tiers puts the same model on two tiers side by side, each priced at its tier', async () => {
    const results = await vscode.commands.executeCommand<CompareColumnResult[]>(Commands.compareServiceTiers, {
      uri: prompt.toString(),
      tiers: ['default', 'flex'],
    });
    assert.deepEqual(
      results?.map((r) => [r.modelId, r.serviceTier, r.status]),
      [
        ['amazon.nova-micro-v1:0', 'default', 'complete'],
        ['amazon.nova-micro-v1:0', 'flex', 'complete'],
      ],
    );
    const sent = (await emulator.requests())
      .filter((r) => r.operation === 'ConverseStream')
      .slice(-2)
      .map((r) => (r.body as { serviceTier?: { type: string } }).serviceTier?.type)
      .sort();
    assert.deepEqual(sent, ['default', 'flex']);
    assert.equal(Number((results![1].costUsd! / results![0].costUsd!).toFixed(2)), 0.5, 'flex at its discount');
  });

  it("a document attached with citations on: the answer's citations show after it and stay in the run record", async () => {
    const cited = workspaceFile('runs', 'cited.prompt');
    await vscode.workspace.fs.writeFile(
      workspaceFile('runs', 'policy.txt'),
      Buffer.from('Refunds are issued within 14 days of a return. Shipping costs are not refunded.'),
    );
    await vscode.workspace.fs.writeFile(
      cited,
      Buffer.from(
        '---\nmodel: us.anthropic.claude-sonnet-4-5-20250929-v1:0\nbedrock.citations: true\n---\n{{media url="policy.txt"}}\nHow long do refunds take?\n',
      ),
    );
    await vscode.window.showTextDocument(cited);
    const result = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: cited.toString() });
    assert.equal(result?.status, 'complete', result?.error?.message);
    assert.equal(result?.citations?.[0]?.document, 'policy');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(
      text,
      /\{\{!-- citations:\n\[1\] policy, characters 0–59: "Refunds are issued within 14 days of a return\. Shipping cost"\n --\}\}/,
    );
    const record = JSON.parse(
      Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(result!.historyFile!))).toString('utf8'),
    ) as { response?: { citations?: unknown[] } };
    assert.equal(record.response?.citations?.length, 1, 'the run record keeps the citations');
  });

  it('Check with Guardrail…: the selection through a picked guardrail; Use in Prompt; a run shows what it blocked', async () => {
    const note = workspaceFile('runs', 'reply.txt');
    await vscode.workspace.fs.writeFile(note, Buffer.from('Thanks! Write to ana@example.com with questions.\n'));
    const editor = await vscode.window.showTextDocument(note);
    editor.selection = new vscode.Selection(0, 0, 0, 48);
    const { result: report, asked } = await answeringQuickPicks(['support-safety', '1', 'As output'], () =>
      vscode.commands.executeCommand<GuardrailReport>(Commands.checkWithGuardrail),
    );
    assert.deepEqual(
      asked.map((a) => a.labels),
      [
        ['support-safety', '$(pulse) No guardrail: score it with guardrail checks'],
        ['DRAFT', '1'],
        ['As input', 'As output'],
      ],
    );
    assert.equal(report?.intervened, true);
    assert.deepEqual(report?.findings, [
      'PII EMAIL "ana@example.com": masked (output)',
      'guardrail gr5upp0rt01 v1: named in the request',
    ]);
    const sent = (await emulator.requests()).filter((r) => r.operation === 'ApplyGuardrail').at(-1)?.body as {
      source: string;
      content: { text: { text: string } }[];
    };
    assert.equal(sent.source, 'OUTPUT');
    assert.equal(sent.content[0].text.text, 'Thanks! Write to ana@example.com with questions.', 'the selection only');

    const guarded = workspaceFile('runs', 'guarded.prompt');
    await vscode.workspace.fs.writeFile(
      guarded,
      Buffer.from('---\n# the support bot\nmodel: amazon.nova-micro-v1:0\n---\nWhich stocks should I buy?\n'),
    );
    await vscode.window.showTextDocument(guarded);
    await vscode.commands.executeCommand(Commands.useGuardrailInPrompt, { identifier: 'gr5upp0rt01', version: '1' });
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(
      text,
      /^---\n# the support bot\nmodel: amazon\.nova-micro-v1:0\nbedrock\.guardrail:\n  identifier: gr5upp0rt01\n  version: "1"\n  trace: enabled\n---\n/,
    );
    const result = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: guarded.toString() });
    assert.equal(result?.stopReason, 'guardrail_intervened');
    assert.equal(result?.guardrail?.intervened, true);
    assert.match(
      vscode.window.activeTextEditor?.document.getText() ?? '',
      /\{\{!-- guardrail:\nintervened: Guardrail blocked\.\ndenied topic "Investment advice": blocked \(input\)\n/,
    );
  });

  it("the Models view lists the account's guardrails; Use in Prompt asks the version and sets bedrock.guardrail", async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
    const section = await waitFor('the guardrails section', () =>
      api.models.getChildren().find((n) => n.kind === 'section' && n.section === 'guardrails'),
    );
    const nodes = api.models.getChildren(section);
    assert.deepEqual(
      nodes.map((n) => [api.models.getTreeItem(n).label, api.models.getTreeItem(n).description]),
      [['support-safety', 'gr5upp0rt01 · READY']],
    );
    const target = workspaceFile('runs', 'to-guard.prompt');
    await vscode.workspace.fs.writeFile(target, Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nHi\n'));
    await vscode.window.showTextDocument(target);
    const { result: version, asked } = await answeringQuickPicks(['DRAFT'], () =>
      vscode.commands.executeCommand(Commands.useGuardrailInPrompt, nodes[0]),
    );
    assert.equal(version, 'DRAFT');
    assert.deepEqual(asked[0].labels, ['DRAFT', '1']);
    assert.match(
      vscode.window.activeTextEditor?.document.getText() ?? '',
      /^---\nmodel: amazon\.nova-micro-v1:0\nbedrock\.guardrail:\n  identifier: gr5upp0rt01\n  version: DRAFT\n  trace: enabled\n---\nHi\n$/,
    );
  });

  it('a custom model deployed for on-demand use: shown under its model with its state, run on its ARN, moved to another model, deleted', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
    const customSection = await waitFor('the custom models section', () =>
      api.models.getChildren().find((n) => n.kind === 'section' && n.section === 'custom'),
    );
    const custom = api.models.getChildren(customSection).find((n) => n.kind === 'custom')!;
    const arn = await vscode.commands.executeCommand<string>(Commands.deployCustomModel, custom, 'tone-on-demand');
    assert.match(arn ?? '', /:custom-model-deployment\//);
    const deployments = () =>
      api.models
        .getChildren(api.models.getChildren(customSection).find((n) => n.kind === 'custom')!)
        .filter((n): n is Extract<ModelNode, { kind: 'deployment' }> => n.kind === 'deployment');
    assert.equal(api.models.getTreeItem(deployments()[0]).description, 'on demand · Creating');
    const active = await waitFor(
      'the deployment to be Active',
      async () => {
        await vscode.commands.executeCommand(Commands.refreshModels);
        const d = deployments()[0];
        return d?.deployment.status === 'Active' ? d : undefined;
      },
      15_000,
      300,
    );
    assert.equal(api.models.getTreeItem(active).label, 'tone-on-demand');
    await vscode.window.showTextDocument(prompt);
    const result = await vscode.commands.executeCommand<RunResult>(Commands.runWithModel, active);
    assert.equal(result?.status, 'complete', result?.error?.message);
    assert.equal(result?.modelId, arn);
    assert.equal((await lastCall())?.modelId, arn);

    // Update Deployment… offers the other custom models of the same base model; the deployment keeps
    // its ARN and moves under the model it now serves once the update completes.
    const { result: updated, asked } = await answeringQuickPicks(['support-tone-nova-lite-distilled'], () =>
      vscode.commands.executeCommand<boolean>(Commands.updateDeployment, active),
    );
    assert.equal(updated, true, api.shownErrors.at(-1)?.message);
    assert.deepEqual(asked[0].labels, ['support-tone-nova-lite-distilled']);
    const sent = (await emulator.requests()).filter((r) => r.operation === 'UpdateCustomModelDeployment').at(-1);
    assert.deepEqual(sent?.body, { modelArn: active.deployment.modelArn.replace('a1b2c3d4e5f6', 'f6e5d4c3b2a1') });
    const moved = await waitFor(
      'the deployment to serve the distilled model',
      async () => {
        await vscode.commands.executeCommand(Commands.refreshModels);
        const distilled = api.models
          .getChildren(customSection)
          .find((n) => n.kind === 'custom' && n.model.name === 'support-tone-nova-lite-distilled')!;
        return api.models.getChildren(distilled).find((n) => n.kind === 'deployment');
      },
      15_000,
      300,
    );
    assert.equal(moved.kind === 'deployment' && moved.deployment.arn, arn, 'the same deployment ARN');
    assert.equal(deployments().length, 0, 'no longer under the first model');
    assert.equal(await vscode.commands.executeCommand(Commands.deleteDeployment, moved, true), true);
  });

  it('imported models: listed beside custom models with how they run; one Converse does not serve runs through InvokeModel', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand(Commands.refreshModels);
    const section = await waitFor('the imported models section', () =>
      api.models.getChildren().find((n) => n.kind === 'section' && n.section === 'imported'),
    );
    const sections = api.models.getChildren().map((n) => (n.kind === 'section' ? n.label : ''));
    assert.equal(sections.indexOf('Imported models'), sections.indexOf('Custom models') + 1, 'beside custom models');
    const items = api.models.getChildren(section).map((n) => api.models.getTreeItem(n));
    assert.deepEqual(
      items.map((i) => [i.label, i.description]),
      [
        ['support-llama-import', 'llama · Converse'],
        ['support-gpt-oss-import', 'gpt_oss · InvokeModel (chat completion)'],
      ],
    );
    const gptOss = api.models.getChildren(section).find((n) => n.kind === 'imported' && !n.model.converse)!;
    await vscode.window.showTextDocument(prompt);
    const result = await vscode.commands.executeCommand<RunResult>(Commands.runWithModel, gptOss);
    assert.equal(result?.status, 'complete', result?.error?.message);
    const invoke = (await emulator.requests()).filter((r) => r.operation === 'InvokeModel').at(-1);
    assert.deepEqual((invoke?.body as { messages?: unknown })?.messages, [{ role: 'user', content: 'Say hello.' }]);
    const text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.match(text, /support-gpt-oss-import \(emulated\), turn 1\. You wrote: "Say hello\."/);
  });

  it('Import Model… imports Hugging Face weights from S3, follows the job, and lists the model with how it runs', async () => {
    const api = await activateExtension();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    const put = (Key: string, Body: string) =>
      s3.send(new PutObjectCommand({ Bucket: 'bedrock-prompt-lab-data', Key, Body }));
    try {
      await put('weights/qwen3-support/config.json', JSON.stringify({ model_type: 'qwen3' }));
      await put('weights/qwen3-support/tokenizer_config.json', JSON.stringify({ chat_template: '{{ messages }}' }));
      await put('weights/empty/README.md', 'no weights here');
    } finally {
      s3.destroy();
    }
    const role = 'arn:aws:iam::123456789012:role/BedrockImport';
    const jobArn = await vscode.commands.executeCommand<string>(Commands.importModel, {
      s3Uri: 's3://bedrock-prompt-lab-data/weights/qwen3-support/',
      name: 'it-qwen3-import',
      roleArn: role,
      pollMs: 200,
    });
    assert.match(jobArn ?? '', /:model-import-job\//, api.shownErrors.at(-1)?.message);
    const sent = (await emulator.requests()).find((r) => r.operation === 'CreateModelImportJob')?.body;
    assert.deepEqual(
      { ...(sent as Record<string, unknown>), jobName: undefined, clientRequestToken: undefined },
      {
        jobName: undefined,
        clientRequestToken: undefined,
        importedModelName: 'it-qwen3-import',
        roleArn: role,
        modelDataSource: { s3DataSource: { s3Uri: 's3://bedrock-prompt-lab-data/weights/qwen3-support/' } },
      },
    );
    const imported = api.catalogue.current?.importedModels.items.find((m) => m.name === 'it-qwen3-import');
    assert.deepEqual(imported && { architecture: imported.architecture, converse: imported.converse }, {
      architecture: 'qwen3',
      converse: true,
    });

    const failed = await vscode.commands.executeCommand(Commands.importModel, {
      s3Uri: 's3://bedrock-prompt-lab-data/weights/empty/',
      name: 'it-empty-import',
      roleArn: role,
      pollMs: 200,
    });
    assert.equal(failed, undefined);
    assert.match(
      api.shownErrors.at(-1)?.message ?? '',
      /The import of it-empty-import failed: No config\.json under s3:\/\/bedrock-prompt-lab-data\/weights\/empty\/: import the model's Hugging Face files/,
    );
  });
});

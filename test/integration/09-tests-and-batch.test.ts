import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { BatchOutputLine, BatchRunResult } from '../../src/core/batch/runBatch';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, emulatorUrl, EXTENSION_ID, waitFor, workspaceFile } from './helpers';

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BatchOutputLine);

describe('prompt tests in the Test Explorer', () => {
  let api: ExtensionApi;
  const prompt = workspaceFile('runs', 'classify.prompt');
  const tests = workspaceFile('runs', 'classify.tests.yaml');
  before(async () => {
    api = await activateExtension();
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\ninput:\n  schema:\n    ticket: string\n---\n{{role "user"}}\nClassify: {{ticket}}\n',
      ),
    );
    await vscode.workspace.fs.writeFile(
      tests,
      Buffer.from(
        [
          'judge: amazon.nova-micro-v1:0',
          'cases:',
          '  - name: echoes the ticket',
          '    input: { ticket: refund please }',
          '    assert:',
          '      - contains: refund please',
          '      - regex: /^claude 3 haiku/i',
          '      - maxOutputTokens: 100',
          '      - rubric: Mentions the ticket',
          '  - name: wrong expectation',
          '    input: { ticket: broken zipper }',
          '    assert:',
          '      - contains: product_defect',
          '      - equals: product_defect',
          '  - name: judge says no',
          '    input: { ticket: rude words }',
          '    assert:',
          '      - rubric: "Is polite [[tool-boolean=false]]"',
          '',
        ].join('\n'),
      ),
    );
  });
  after(() => emulator.clearFaults());

  it('lists the file and its cases, and reports pass and fail with expected and actual', async () => {
    const finished = new Promise<import('../../src/vscode/testing/promptTests').CaseResult[]>((resolve) => {
      const sub = api.tests.onDidFinishRun((r) => (sub.dispose(), resolve(r)));
    });
    await api.tests.discover();
    const file = api.tests.controller.items.get(tests.toString());
    assert.ok(file, 'the tests file is listed');
    assert.equal(file.label, 'classify.prompt');
    assert.equal(file.error, undefined);
    const labels: string[] = [];
    file.children.forEach((c) => labels.push(`${c.label}@${c.range?.start.line}`));
    assert.deepEqual(labels.sort(), ['echoes the ticket@2', 'judge says no@14', 'wrong expectation@9']);
    // Through VS Code's own Testing command, as the Test Explorer's "Run Tests" button does.
    await vscode.commands.executeCommand('testing.runAll');
    const results = await finished;
    const byName = Object.fromEntries(
      results.filter((r) => r.file.endsWith('classify.tests.yaml')).map((r) => [r.name, r]),
    );
    assert.equal(byName['echoes the ticket'].state, 'passed', byName['echoes the ticket'].messages.join('\n'));
    assert.equal(byName['wrong expectation'].state, 'failed');
    assert.deepEqual(byName['wrong expectation'].messages, [
      'Expected the answer to contain "product_defect".',
      'Expected the answer to equal the expected text (spaces at either end are ignored).',
    ]);
    assert.equal(byName['judge says no'].state, 'failed');
    assert.match(byName['judge says no'].messages[0], /^Judge: does not meet "Is polite/);
    const judged = (await emulator.requests()).filter(
      (r) => r.modelId === 'amazon.nova-micro-v1:0' && r.operation === 'Converse',
    );
    assert.ok(judged.length >= 2, 'the judge model was called for each rubric');
  });

  it('offers the tests on the prompt as a CodeLens that runs them', async () => {
    await api.tests.discover();
    await vscode.window.showTextDocument(prompt);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', prompt);
    const lens = lenses.find((l) => l.command?.title.includes('Test ('));
    assert.equal(lens?.command?.title, '$(beaker) Test (3 cases)');
    // The model lens shows the next run's estimated cost (Claude 3 Haiku has a price in the table).
    assert.match(
      lenses.find((l) => l.command?.title.startsWith('anthropic.claude-3-haiku'))?.command?.title ?? '',
      /^anthropic\.claude-3-haiku-20240307-v1:0 · at least \$0\.\d+ \+ output$/,
    );
    const results = (await vscode.commands.executeCommand<import('../../src/vscode/testing/promptTests').CaseResult[]>(
      lens!.command!.command,
      ...(lens!.command!.arguments ?? []),
    ))!;
    assert.deepEqual(results.map((r) => r.state).sort(), ['failed', 'failed', 'passed']);
  });

  it('in continuous run, re-runs the cases when their prompt is saved', async () => {
    const file = api.tests.controller.items.get(tests.toString())!;
    const cts = new vscode.CancellationTokenSource();
    const watching = api.tests.watch(new vscode.TestRunRequest([file], undefined, undefined, true), cts.token);
    const rerun = new Promise<import('../../src/vscode/testing/promptTests').CaseResult[]>((resolve) => {
      const sub = api.tests.onDidFinishRun((r) => (sub.dispose(), resolve(r)));
    });
    const doc = await vscode.workspace.openTextDocument(prompt);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(prompt, doc.lineAt(doc.lineCount - 2).range, 'Sort this: {{ticket}}');
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    const results = await rerun;
    assert.equal(results.length, 3);
    assert.match(
      results.find((r) => r.name === 'echoes the ticket')?.output ?? '',
      /You wrote: "Sort this: refund please"/,
    );
    cts.cancel();
    await watching;
  });

  it('runs one case on another model, to check a migration', async () => {
    const [result] = await api.tests.run({
      ids: [`${tests.toString()}#echoes the ticket`],
      modelId: 'us.amazon.nova-lite-v1:0',
    });
    assert.equal(result.modelId, 'us.amazon.nova-lite-v1:0');
    assert.equal(result.state, 'failed', 'the regex expects Claude 3 Haiku');
    assert.match(result.output ?? '', /^Nova Lite \(emulated\)/);
  });

  it('can be cancelled: cases not yet started are skipped', async () => {
    await vscode.workspace
      .getConfiguration('bedrockPromptLab')
      .update('tests.concurrency', 1, vscode.ConfigurationTarget.Global);
    await emulator.addFault({ operation: 'Converse', fault: { kind: 'delay', ms: 600 }, times: 10 });
    const cts = new vscode.CancellationTokenSource();
    const before = (await emulator.requests()).length;
    const running = api.tests.run({ ids: [tests.toString()] }, cts.token);
    // Cancel once the first case is on its way (the server holds it 600 ms): the others have not started.
    await waitFor('the first case sent', async () =>
      (await emulator.requests()).slice(before).some((r) => r.operation === 'Converse'),
    );
    cts.cancel();
    const results = await running;
    await emulator.clearFaults();
    await vscode.workspace
      .getConfiguration('bedrockPromptLab')
      .update('tests.concurrency', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(results.length, 3);
    assert.ok(results.filter((r) => r.state === 'skipped').length >= 2, results.map((r) => r.state).join());
  });

  it('reports a case that leaves a variable without a value as errored, naming it, without calling the model', async () => {
    const needs = workspaceFile('runs', 'needs.prompt');
    const needsTests = workspaceFile('runs', 'needs.tests.yaml');
    await vscode.workspace.fs.writeFile(
      needs,
      Buffer.from('---\nmodel: amazon.nova-micro-v1:0\n---\nTranslate {{text}} into {{language}}.\n'),
    );
    await vscode.workspace.fs.writeFile(
      needsTests,
      Buffer.from(
        'cases:\n  - name: forgot the language\n    input: { text: hello }\n    assert:\n      - contains: hola\n',
      ),
    );
    const before = (await emulator.requests()).length;
    const [result] = await api.tests.run({ ids: [needsTests.toString()] });
    assert.equal(result.state, 'errored');
    assert.match(
      result.messages[0],
      /forgot the language": no value for \{\{language\}\}, and the prompt has no default.*keys given: text/,
    );
    assert.equal((await emulator.requests()).length, before);
  });

  it("New Prompt Tests creates a tests file with a first case from the prompt's inputs, which lists and runs", async () => {
    const fresh = workspaceFile('runs', 'greet.prompt');
    await vscode.workspace.fs.writeFile(
      fresh,
      Buffer.from(
        '---\nmodel: amazon.nova-micro-v1:0\ninput:\n  schema:\n    name: string\n  default:\n    name: Ada\n---\nSay hello to {{name}} in {{language}}.\n',
      ),
    );
    const created = (await vscode.commands.executeCommand<vscode.Uri>(Commands.newPromptTests, fresh))!;
    assert.equal(created.fsPath, workspaceFile('runs', 'greet.tests.yaml').fsPath);
    const text = (await vscode.workspace.openTextDocument(created)).getText();
    assert.match(text, /input:\n {6}name: "Ada"\n {6}language: "example language"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, created.fsPath, 'the new file is opened');
    const results = await api.tests.run({ ids: [created.toString()] });
    assert.deepEqual(
      results.map((r) => [r.name, r.state]),
      [['first case', 'passed']],
    );
  });

  it('opens a result prompt-lab wrote (the real CLI) in the Testing view, case by case, and names cases it lacks', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const before = (await emulator.requests()).length;
    const ran = spawnSync(
      process.execPath,
      [cli, 'test', 'runs/classify.tests.yaml', '--reporter', 'json', '-o', 'result.json'],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: root,
          AWS_ENDPOINT_URL: emulatorUrl(),
          AWS_ACCESS_KEY_ID: 'AKIDLOCALEMULATOR',
          AWS_SECRET_ACCESS_KEY: 'local-emulator-secret',
          AWS_REGION: 'us-east-1',
        },
      },
    );
    assert.equal(ran.status, 1, ran.stderr);
    const written = JSON.parse(readFileSync(path.join(root, 'result.json'), 'utf8')) as {
      cases: { id: string; name: string; state: string }[];
    };
    // A case the workspace does not have (renamed since the CI run).
    written.cases.push({ ...written.cases[0], id: 'runs/classify.tests.yaml#renamed since', name: 'renamed since' });
    await vscode.workspace.fs.writeFile(workspaceFile('result.json'), Buffer.from(JSON.stringify(written)));
    const sent = (await emulator.requests()).length;

    const results = await api.tests.openResult(workspaceFile('result.json'));
    assert.deepEqual(
      results?.map((r) => [r.name, r.state]),
      written.cases.slice(0, -1).map((c) => [c.name, c.state]),
    );
    assert.deepEqual(
      results?.map((r) => r.state),
      ['passed', 'failed', 'failed'],
    );
    assert.equal(results?.[0].id, `${tests.toString()}#echoes the ticket`, 'matched to the workspace case');
    assert.ok(sent > before, 'the CLI ran against the local server');
    assert.equal((await emulator.requests()).length, sent, 'opening a result sends nothing');

    await vscode.workspace.fs.writeFile(workspaceFile('not-a-result.json'), Buffer.from('{"cases": []}'));
    await assert.rejects(
      api.tests.openResult(workspaceFile('not-a-result.json')),
      /not-a-result\.json is not a prompt-lab test result \(version 1\)/,
    );
  });

  it('gates runs on a saved baseline: a case that passed there and fails now is a regression, within maxRegression or not', async () => {
    const baselineFile = workspaceFile('.prompt-lab', 'baseline.json');
    const root = vscode.workspace.workspaceFolders![0];
    const doc = await vscode.workspace.openTextDocument(prompt);
    const setBody = async (body: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(prompt, doc.lineAt(doc.lineCount - 2).range, body);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    };
    await setBody('Classify: {{ticket}}');
    await api.tests.run({ ids: [tests.toString()] });
    const saved = await vscode.commands.executeCommand<string[]>(Commands.saveTestBaseline);
    assert.deepEqual(saved, [baselineFile.fsPath]);
    const kept = JSON.parse(readFileSync(baselineFile.fsPath, 'utf8')) as {
      version: number;
      cases: { id: string; state: string }[];
    };
    assert.equal(kept.version, 1);
    assert.deepEqual(
      kept.cases
        .filter((c) => c.id.startsWith('runs/classify.tests.yaml#'))
        .map((c) => `${c.id}: ${c.state}`)
        .sort(),
      [
        'runs/classify.tests.yaml#echoes the ticket: passed',
        'runs/classify.tests.yaml#judge says no: failed',
        'runs/classify.tests.yaml#wrong expectation: failed',
      ],
    );

    // The real CLI reads what the editor saved as its --baseline.
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const ci = spawnSync(
      process.execPath,
      [cli, 'test', 'runs/classify.tests.yaml', '--baseline', '.prompt-lab/baseline.json'],
      {
        cwd: root.uri.fsPath,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: root.uri.fsPath,
          AWS_ENDPOINT_URL: emulatorUrl(),
          AWS_ACCESS_KEY_ID: 'AKIDLOCALEMULATOR',
          AWS_SECRET_ACCESS_KEY: 'local-emulator-secret',
          AWS_REGION: 'us-east-1',
        },
      },
    );
    assert.match(ci.stderr, /Pass rate 33\.3% → 33\.3% \(\+0\.0 points\)/, ci.stderr);

    // An edit that drops the ticket from the prompt: the case that echoed it fails now.
    await setBody('Classify the ticket.');
    try {
      const results = await api.tests.run({ ids: [tests.toString()] });
      const echoed = results.find((r) => r.name === 'echoes the ticket')!;
      assert.equal(echoed.state, 'failed');
      assert.equal(echoed.regressed, true);
      assert.equal(results.find((r) => r.name === 'wrong expectation')?.regressed, undefined, 'it failed before too');
      const gate = api.tests.lastGate.get(root.uri.toString());
      assert.equal(gate?.baseline, '.prompt-lab/baseline.json');
      assert.deepEqual(gate?.comparison.newlyFailing, ['runs/classify.tests.yaml#echoes the ticket']);
      assert.equal(
        gate?.problem,
        'the pass rate fell from 33.3% to 0.0%, more than bedrockPromptLab.tests.maxRegression 0.0%',
      );
      assert.equal(
        gate?.warning,
        'Prompt tests regressed against the baseline (.prompt-lab/baseline.json): the pass rate fell from 33.3% to 0.0%, more than bedrockPromptLab.tests.maxRegression 0.0%.',
      );

      // Within the allowed drop (33 points of 50), the comparison is kept but the run does not warn.
      await vscode.workspace
        .getConfiguration('bedrockPromptLab', root.uri)
        .update('tests.maxRegression', 0.5, vscode.ConfigurationTarget.Workspace);
      await api.tests.run({ ids: [tests.toString()] });
      const lenient = api.tests.lastGate.get(root.uri.toString());
      assert.equal(lenient?.comparison.newlyFailing.length, 1);
      assert.equal(lenient?.problem, undefined);
      assert.equal(lenient?.warning, undefined);
    } finally {
      await vscode.workspace
        .getConfiguration('bedrockPromptLab', root.uri)
        .update('tests.maxRegression', undefined, vscode.ConfigurationTarget.Workspace);
      await setBody('Classify: {{ticket}}');
      await vscode.workspace.fs.delete(baselineFile);
    }
  });

  it('a baseline path that leads outside the folder through a symbolic link is refused, and nothing is written there', async () => {
    const root = vscode.workspace.workspaceFolders![0];
    const outside = mkdtempSync(path.join(os.tmpdir(), 'bpl-outside-'));
    const link = path.join(root.uri.fsPath, 'linked-out');
    symlinkSync(outside, link);
    const settings = vscode.workspace.getConfiguration('bedrockPromptLab', root.uri);
    await settings.update('tests.baseline', 'linked-out/baseline.json', vscode.ConfigurationTarget.Workspace);
    try {
      await api.tests.run({ ids: [tests.toString()] });
      await assert.rejects(
        Promise.resolve(api.tests.saveBaseline()),
        /The test baseline linked-out\/baseline\.json leads outside the workspace folder/,
      );
      assert.equal(existsSync(path.join(outside, 'baseline.json')), false);
    } finally {
      await settings.update('tests.baseline', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(link);
    }
  });

  it('shows a broken tests file as an error on its item', async () => {
    const broken = workspaceFile('runs', 'broken.tests.yaml');
    await vscode.workspace.fs.writeFile(workspaceFile('runs', 'broken.prompt'), Buffer.from('Hello\n'));
    await vscode.workspace.fs.writeFile(broken, Buffer.from('cases:\n  - name: x\n    assert:\n      - contain: hi\n'));
    await api.tests.discover();
    const item = api.tests.controller.items.get(broken.toString());
    assert.match(
      String((item?.error as vscode.MarkdownString | undefined)?.value ?? item?.error),
      /line 4: Unknown assertion `contain`: did you mean `contains`\?/,
    );
    const [diagnostic] = vscode.languages.getDiagnostics(broken);
    assert.equal(diagnostic?.range.start.line, 3, 'the problem is also marked in the file');
    assert.match(diagnostic.message, /did you mean `contains`/);
  });
});

describe('batch runs over a dataset', () => {
  let api: ExtensionApi;
  const prompt = workspaceFile('runs', 'summarize.prompt');
  before(async () => {
    api = await activateExtension();
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\ninput:\n  schema:\n    text: string\n---\nSummarize: {{text}}\n',
      ),
    );
  });
  afterEach(() => emulator.clearFaults());

  const rows = (n: number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => JSON.stringify({ text: `item ${i}` })).join('\n') + '\n');

  it('writes every row, in order, through a throttling storm', async () => {
    const data = workspaceFile('runs', 'items.jsonl');
    await vscode.workspace.fs.writeFile(data, rows(60));
    await emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'throttling' }, times: 40 });
    const before = (await emulator.requests()).filter((r) => r.operation === 'Converse').length;
    const result = (await vscode.commands.executeCommand<BatchRunResult>(Commands.runOverDataset, {
      uri: prompt.toString(),
      data: data.fsPath,
      concurrency: 8,
      resume: false,
    }))!;
    assert.equal(result.complete, true);
    assert.equal(result.failed, 0);
    // Throttling got past the SDK's own retries, and the run gave way: fewer calls at once, then back off.
    assert.ok(result.stats.throttled > 0, `throttled ${result.stats.throttled}x`);
    assert.ok(result.stats.lowestConcurrency < 8, `lowest concurrency ${result.stats.lowestConcurrency}`);
    // The cost was estimated before sending: 60 rows of about 20 characters, 4 characters a token.
    const estimate = (result as BatchRunResult & { estimate?: { inputTokens: number; maxUsd?: number } }).estimate;
    assert.ok(estimate && estimate.inputTokens >= 60 * 4 && estimate.inputTokens <= 60 * 10, JSON.stringify(estimate));
    const out = workspaceFile('runs', 'items.results.jsonl').fsPath;
    const lines = readJsonl(out);
    assert.deepEqual(
      lines.map((l) => l.row),
      Array.from({ length: 60 }, (_, i) => i),
    );
    assert.equal(lines[17].output, 'Claude 3 Haiku (emulated), turn 1. You wrote: "Summarize: item 17"');
    assert.deepEqual(lines[17].input, { text: 'item 17' });
    assert.ok(
      (lines[17].usage?.outputTokens ?? 0) > 0 && lines[17].costUsd !== undefined && lines[17].latencyMs !== undefined,
    );
    assert.equal(existsSync(`${out}.partial`), false);
    const sent = (await emulator.requests()).filter((r) => r.operation === 'Converse').length - before;
    assert.ok(sent >= 100, `${sent} requests: 60 rows and the 40 throttled attempts`);
  });

  it('resumes an interrupted run without sending the finished rows again', async () => {
    const data = workspaceFile('runs', 'resume.csv');
    await vscode.workspace.fs.writeFile(
      data,
      Buffer.from('text\n' + Array.from({ length: 10 }, (_, i) => `"row, ${i}"`).join('\n') + '\n'),
    );
    const out = workspaceFile('runs', 'resume.results.jsonl');
    // What an interrupted run leaves: rows 0-5 answered (row 2 throttled, to be retried).
    const done = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify(
        i === 2
          ? {
              row: 2,
              input: { text: 'row, 2' },
              modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
              error: { code: 'Throttled', message: 'x' },
            }
          : {
              row: i,
              input: { text: `row, ${i}` },
              modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
              output: `earlier ${i}`,
            },
      ),
    );
    await vscode.workspace.fs.writeFile(vscode.Uri.file(`${out.fsPath}.partial`), Buffer.from(done.join('\n') + '\n'));
    const before = (await emulator.requests()).length;
    const result = (await vscode.commands.executeCommand<BatchRunResult>(Commands.runOverDataset, {
      uri: prompt.toString(),
      data: data.fsPath,
      resume: true,
    }))!;
    assert.equal(result.resumed, 5);
    const sent = (await emulator.requests())
      .slice(before)
      .filter((r) => r.operation === 'Converse')
      .map((r) => JSON.stringify(r.body));
    assert.equal(sent.length, 5, 'rows 2, 6, 7, 8, 9');
    const lines = readJsonl(out.fsPath);
    assert.equal(lines.length, 10);
    assert.equal(lines[0].output, 'earlier 0');
    assert.match(lines[2].output ?? '', /You wrote: "Summarize: row, 2"/);
  });

  it('stops on missing access instead of failing every row, and says how to resume', async () => {
    const data = workspaceFile('runs', 'denied.jsonl');
    await vscode.workspace.fs.writeFile(data, rows(30));
    await emulator.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'accessDenied' }, times: 100 });
    const result = await vscode.commands.executeCommand(Commands.runOverDataset, {
      uri: prompt.toString(),
      data: data.fsPath,
      resume: false,
    });
    assert.equal(result, undefined);
    assert.match(
      api.shownErrors.at(-1)?.message ?? '',
      /don't have access to anthropic.claude-3-haiku-20240307-v1:0.*run again to resume/s,
    );
    assert.equal(existsSync(workspaceFile('runs', 'denied.results.jsonl').fsPath), false);
  });

  it('names a column the prompt needs that no row has, before sending anything', async () => {
    const data = workspaceFile('runs', 'wrong-column.csv');
    await vscode.workspace.fs.writeFile(data, Buffer.from('body,id\nhello,1\nworld,2\n'));
    const before = (await emulator.requests()).length;
    const result = await vscode.commands.executeCommand(Commands.runOverDataset, {
      uri: prompt.toString(),
      data: data.fsPath,
      resume: false,
    });
    assert.equal(result, undefined);
    assert.match(
      api.shownErrors.at(-1)?.message ?? '',
      /No row of wrong-column.csv has "text", which the prompt uses without a default\. The rows have: body, id\./,
    );
    assert.equal((await emulator.requests()).length, before);
  });

  it('round-trips a Bedrock batch inference job: records to S3, the job in the sidebar, results back in the same format', async () => {
    const data = workspaceFile('runs', 'large.jsonl');
    await vscode.workspace.fs.writeFile(data, rows(120));
    const jobArn = (await vscode.commands.executeCommand<string>(Commands.startBatchInference, {
      uri: prompt.toString(),
      data: data.fsPath,
      s3Uri: 's3://bedrock-prompt-lab-data/batch/',
      roleArn: 'arn:aws:iam::123456789012:role/BedrockBatch',
      jobName: 'summaries-it',
    }))!;
    assert.match(jobArn, /model-invocation-job\//);
    const create = (await emulator.requests()).find((r) => r.operation === 'CreateModelInvocationJob') as {
      body: { modelInvocationType: string; inputDataConfig: { s3InputDataConfig: { s3Uri: string } } };
    };
    assert.equal(create.body.modelInvocationType, 'Converse');
    assert.equal(
      create.body.inputDataConfig.s3InputDataConfig.s3Uri,
      's3://bedrock-prompt-lab-data/batch/summaries-it/input/',
    );
    const listed = await waitFor(
      'the job to complete in the Batch Inference Jobs view',
      async () => {
        const jobs = await api.batchJobs.refresh();
        const job = jobs.find((j) => j.jobArn === jobArn);
        return job && ['Completed', 'PartiallyCompleted', 'Failed'].includes(job.status) ? job : undefined;
      },
      20_000,
    );
    assert.equal(listed.status, 'Completed');
    const item = api.batchJobs.getTreeItem(listed);
    assert.equal(item.label, 'summaries-it');
    assert.match(String(item.description), /^Completed · 120\/120 · anthropic.claude-3-haiku/);
    assert.equal(item.contextValue, 'batchJob.Completed');
    const back = (await vscode.commands.executeCommand<{ outputPath: string; lines: BatchOutputLine[] }>(
      Commands.downloadBatchResults,
      jobArn,
    ))!;
    const lines = readJsonl(back.outputPath);
    assert.equal(back.outputPath, workspaceFile('runs', 'large.results.jsonl').fsPath);
    assert.equal(lines.length, 120);
    assert.deepEqual(lines[99].input, { text: 'item 99' });
    assert.equal(lines[99].output, 'Claude 3 Haiku (emulated), turn 1. You wrote: "Summarize: item 99"');
    assert.equal(lines.filter((l) => l.error).length, 0);
  });

  it('refuses a batch inference job under the service minimum, pointing to Run Over Dataset', async () => {
    const data = workspaceFile('runs', 'few.jsonl');
    await vscode.workspace.fs.writeFile(data, rows(12));
    const before = (await emulator.requests()).length;
    const jobArn = await vscode.commands.executeCommand(Commands.startBatchInference, {
      uri: prompt.toString(),
      data: data.fsPath,
      s3Uri: 's3://bedrock-prompt-lab-data/batch/',
      roleArn: 'arn:aws:iam::123456789012:role/B',
    });
    assert.equal(jobArn, undefined);
    assert.match(
      api.shownErrors.at(-1)?.message ?? '',
      /at least 100 records per job; few.jsonl has 12\. Run the rows on demand instead \(Run Over Dataset, prompt-lab rows\)/,
    );
    assert.equal((await emulator.requests()).length, before, 'nothing was uploaded');
  });
});

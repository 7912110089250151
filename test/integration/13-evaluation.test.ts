// "Bedrock: Evaluate Prompt on Models…" in the real VS Code against the local server: the record saved in
// the workspace, the report webview loaded (its script ran under the CSP and asked for the report), the
// comparison with an earlier run, and a budget that stops the run part way.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { EvaluateResult } from '../../src/vscode/webview/evaluationPanel';
import type { RunComparison } from '../../src/core/eval/evaluation';
import { activateExtension, workspaceFile } from './helpers';

const NOVA = 'amazon.nova-micro-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const TITAN = 'amazon.titan-text-express-v1';
const prompt = (verb: string) =>
  `---\nmodel: ${NOVA}\ninput:\n  schema:\n    word: string\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\n${verb} {{word}}\n`;

describe('evaluating a prompt on several models', () => {
  const write = (name: string, text: string) =>
    vscode.workspace.fs.writeFile(workspaceFile('evals', name), Buffer.from(text));
  const evaluate = (o: Record<string, unknown>) =>
    vscode.commands.executeCommand<EvaluateResult | undefined>(Commands.evaluatePrompt, {
      uri: workspaceFile('evals', 'echo.prompt').toString(),
      ...o,
    });

  before(async () => {
    await activateExtension();
    await write('echo.prompt', prompt('Say'));
    await write('echo.loud.prompt', prompt('Shout'));
    await write(
      'echo.tests.yaml',
      `cases:\n${['alpha', 'beta'].map((w) => `  - name: says ${w}\n    input: { word: ${w} }\n    assert:\n      - contains: Say ${w}\n`).join('')}  - name: is Nova\n    input: { word: gamma }\n    assert:\n      - contains: Nova\n`,
    );
  });

  it('runs variants × models × cases, saves the record, and shows the report with the recommendation', async () => {
    const api = await activateExtension();
    const result = (await evaluate({ models: [NOVA, HAIKU, TITAN], confirmed: {} }))!;
    assert.ok(result, JSON.stringify(api.shownErrors.at(-1)?.message));
    const { record, file, panel } = result;
    assert.equal(record.complete, true);
    assert.deepEqual(
      record.configs.map((c) => [c.id, !!c.ruledOut]),
      [
        [`base@${NOVA}`, false],
        [`base@${HAIKU}`, false],
        [`base@${TITAN}`, true],
        [`loud@${NOVA}`, false],
        [`loud@${HAIKU}`, false],
        [`loud@${TITAN}`, true],
      ],
    );
    assert.equal(record.samples.length, 12);
    assert.ok(file.includes('.prompt-lab'), file);
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(file))).toString()) as {
      id: string;
    };
    assert.equal(saved.id, record.id);
    // The webview's script ran under the CSP and drew the report: the recommendation, both charts
    // (Chart.js), a heat-map cell per case and configuration run.
    const drawn = panel.rendered ?? (await panel.nextRender());
    assert.deepEqual(drawn, { type: 'rendered', heading: `Recommended: base · ${NOVA}`, charts: 2, cells: 12 });
    await panel.ready;
    assert.ok([...api.evaluationPanels].includes(panel));
    assert.equal(panel.shown?.record.id, record.id);
    const { recommend } = await import('../../src/core/eval/evaluation');
    assert.equal(recommend(record).chosen, `base@${NOVA}`);
    panel.dispose();
  });

  it('compares with an earlier run after an edit: the cases that flipped', async () => {
    const first = (await evaluate({ models: [NOVA], confirmed: {}, noVariants: false }))!;
    first.panel.dispose();
    await write('echo.loud.prompt', prompt('Say'));
    try {
      const second = (await evaluate({ models: [NOVA], confirmed: {} }))!;
      await second.panel.ready;
      assert.ok(
        second.panel.shown!.history.some((h) => h.file === first.file),
        'the earlier run is offered',
      );
      // What choosing it in the "Compare with an earlier run…" list sends.
      const redrawn = second.panel.nextRender();
      const result = (await second.panel.receive({ type: 'compareWith', file: first.file })) as RunComparison;
      assert.equal((await redrawn).cells, 6, 'the report is drawn again with the comparison');
      assert.deepEqual(
        result.flipped.map((f) => [f.config, f.caseName, f.to]),
        [
          [`loud@${NOVA}`, 'says alpha', 'passed'],
          [`loud@${NOVA}`, 'says beta', 'passed'],
        ],
      );
      assert.equal(
        await second.panel.receive({ type: 'compareWith', file: '/etc/passwd' }),
        undefined,
        'only listed runs',
      );
      second.panel.dispose();
    } finally {
      await write('echo.loud.prompt', prompt('Shout'));
    }
  });

  it('a budget stops taking calls part way; the report shows what finished, marked partial', async () => {
    const result = (await evaluate({ models: [NOVA, HAIKU], confirmed: { budgetUsd: 0.0000001 }, repeat: 2 }))!;
    assert.equal(result.record.complete, false);
    assert.equal(result.record.stoppedBecause, 'budget');
    assert.ok(
      result.record.samples.length > 0 && result.record.samples.length < 24,
      String(result.record.samples.length),
    );
    result.panel.dispose();
  });

  it('asked step by step: a data file with reference answers, its field, the judge, and only the models able to take the prompt', async () => {
    await vscode.workspace.fs.writeFile(
      workspaceFile('evals', 'answers.csv'),
      Buffer.from('word,expected\nalpha,Say alpha\nbeta,Shout beta\n'),
    );
    // Each dialog answered as a user would, and what it offered kept.
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const saved = {
      showQuickPick: window.showQuickPick,
      showOpenDialog: window.showOpenDialog,
      showInformationMessage: window.showInformationMessage,
    };
    const asked: { title: string; items: string[] }[] = [];
    const answers: ((labels: string[]) => string | string[])[] = [
      (labels) => labels.find((l) => l.includes('A data file'))!,
      (labels) => {
        assert.equal(labels[0], 'expected', 'the likeliest reference field first');
        return 'expected';
      },
      (labels) => labels.find((l) => l.startsWith('Judge'))!,
      () => NOVA,
      () => [NOVA, HAIKU],
    ];
    window.showQuickPick = (async (
      items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
      options?: vscode.QuickPickOptions,
    ) => {
      const list = await items;
      const labels = list.map((i) => i.label);
      asked.push({ title: options?.title ?? '', items: labels });
      const answer = answers.shift()!(labels);
      const pick = (label: string) => list.find((i) => i.label === label)!;
      return Array.isArray(answer) ? answer.map(pick) : pick(answer);
    }) as unknown as typeof window.showQuickPick;
    window.showOpenDialog = async () => [workspaceFile('evals', 'answers.csv')];
    window.showInformationMessage = (async (message: string, ...rest: unknown[]) =>
      message.startsWith('Evaluate:')
        ? 'Run'
        : saved.showInformationMessage(
            message,
            ...(rest as string[]),
          )) as unknown as typeof window.showInformationMessage;
    let result: EvaluateResult | undefined;
    try {
      result = await evaluate({ noVariants: true });
    } finally {
      Object.assign(window, saved);
    }
    assert.deepEqual(
      asked.map((a) => a.title),
      [
        'Evaluate on which cases?',
        "Which field holds the reference answer? (the others are the prompt's inputs)",
        'Compare each answer with its reference how?',
        'Which model judges the answers?',
        asked[4].title,
      ],
    );
    assert.match(
      asked[4].title,
      /^Evaluate echo on which models\? \(\d+ that cannot take this prompt are not offered\)$/,
    );
    assert.ok(asked[4].items.includes(NOVA) && asked[4].items.includes(HAIKU));
    assert.ok(!asked[4].items.includes(TITAN), 'Titan Text takes no system prompt: not offered');
    const record = result!.record;
    assert.deepEqual(
      record.samples.filter((x) => x.config === `base@${NOVA}`).map((x) => `${x.caseId}: ${x.state}`),
      ['evals/answers.csv#line 2: passed', 'evals/answers.csv#line 3: failed'],
    );
    assert.ok(
      record.samples.every((x) => x.assertions.some((a) => a.label === 'agrees with the reference answer')),
      'graded by the judge against the reference',
    );
    result!.panel.dispose();
  });

  it('a custom model beside its base model, costed by the hour over the volume; the report exports as Markdown', async () => {
    const throughput = 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/pt1a2b3c4d5e';
    const result = (await evaluate({
      models: [throughput],
      confirmed: {},
      noVariants: true,
      hourlyUsd: { [throughput]: 20 },
      callsPerMonth: 146000,
    }))!;
    const { record, panel } = result;
    assert.deepEqual(
      record.configs.map((c) => c.id),
      [`base@${throughput}`, 'base@amazon.nova-lite-v1:0'],
      'the base model is added to compare with',
    );
    const { summarizeConfig } = await import('../../src/core/eval/evaluation');
    assert.ok(Math.abs(summarizeConfig(record.configs[0], record.samples).costPer1kUsd! - 100) < 1e-9);
    // "Export Markdown" in the report: the file the user names in the save dialog.
    const window = vscode.window as { showSaveDialog: typeof vscode.window.showSaveDialog };
    const saveDialog = window.showSaveDialog;
    const target = workspaceFile('evals', 'report.md');
    window.showSaveDialog = async () => target;
    try {
      const written = await panel.receive({ type: 'exportMarkdown', margin: 0.05, objective: 'cost' });
      assert.equal(written, target.fsPath);
    } finally {
      window.showSaveDialog = saveDialog;
    }
    const markdown = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    assert.match(markdown, /\*\*base · amazon\.nova-lite-v1:0\*\*/, 'the base model is recommended: cheaper, as good');
    assert.match(
      markdown,
      /support-tone-nova-lite: provisioned throughput \(1 model unit\) at \$20\.00 an hour, \$14,600\.00 a month, over 146,000 calls a month\./,
    );
    panel.dispose();
  });

  it('runs as Bedrock batch jobs when chosen: the answers judged into the same report, without latency figures', async () => {
    const settings = vscode.workspace.getConfiguration('bedrockPromptLab');
    await settings.update('batch.s3Uri', 's3://bedrock-prompt-lab-data/evals/', vscode.ConfigurationTarget.Global);
    await settings.update(
      'batch.roleArn',
      'arn:aws:iam::123456789012:role/BatchRole',
      vscode.ConfigurationTarget.Global,
    );
    try {
      // 3 cases × 34 repeats: 102 calls, over the 100 a job needs.
      const result = (await evaluate({
        models: [NOVA],
        noVariants: true,
        repeat: 34,
        confirmed: { batch: true },
        batchPollMs: 200,
      }))!;
      assert.ok(result, 'the evaluation finished');
      const { record, panel } = result;
      assert.equal(record.settings.backend, 'batch');
      assert.equal(record.complete, true);
      assert.equal(record.samples.length, 102);
      assert.ok(record.samples.every((x) => x.latencyMs === undefined && x.costUsd !== undefined));
      assert.deepEqual([...new Set(record.samples.map((x) => `${x.caseId}: ${x.state}`))].sort(), [
        'evals/echo.tests.yaml#is Nova: passed',
        'evals/echo.tests.yaml#says alpha: passed',
        'evals/echo.tests.yaml#says beta: passed',
      ]);
      const drawn = panel.rendered ?? (await panel.nextRender());
      assert.equal(drawn.heading, `Recommended: base · ${NOVA}`);
      panel.dispose();
    } finally {
      await settings.update('batch.s3Uri', undefined, vscode.ConfigurationTarget.Global);
      await settings.update('batch.roleArn', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

// Optimize Against Tests… against the local server (whose emulated optimizer appends a line naming what
// the failing cases expected): each round's scores go to the log, the best rewrite opens in a diff beside
// the prompt, nothing is written until Apply, Apply is one edit (undo brings the prompt back), and
// stopping after a round keeps the best so far.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const PROMPT =
  '---\nmodel: amazon.nova-lite-v1:0\n# kept as written\ninput:\n  schema:\n    customer: string\n    message: string\n---\n{{role "system"}}\nYou draft replies.\n\n{{role "user"}}\nReply to {{customer}}: {{message}}\n';
const TESTS = `cases:
  - name: damaged lamp
    input: {customer: Ben, message: The lamp is cracked.}
    assert:
      - contains: sorry
  - name: wrong size
    input: {customer: Chloe, message: I got a small.}
    assert:
      - contains: next step
  - name: late parcel
    input: {customer: Ana, message: Late.}
    assert:
      - contains: sorry
`;

interface Optimized {
  applied: boolean;
  ended: string;
  heldOut: string;
  conclusion: string;
  rounds: { round: number }[];
  best?: { text: string; round: number };
}

describe('Optimize Against Tests… against the local server', () => {
  let api: ExtensionApi;
  const prompt = workspaceFile('runs', 'reply.prompt');
  const tests = workspaceFile('runs', 'reply.tests.yaml');
  const read = async () => Buffer.from(await vscode.workspace.fs.readFile(prompt)).toString('utf8');
  /**
   * The prompt's text set as a user would, through its document (edit, save): a write behind an open
   * document's back leaves VS Code with a stale view of the file, and its next save is refused as a conflict.
   */
  const setPrompt = async (text: string) => {
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === prompt.toString())) {
      await vscode.workspace.fs.writeFile(prompt, Buffer.from(text));
      return;
    }
    const doc = await vscode.workspace.openTextDocument(prompt);
    if (doc.getText() !== text) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(prompt, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    if (doc.isDirty) assert.ok(await doc.save(), 'the prompt saved');
    assert.equal(await read(), text);
  };
  before(async () => {
    api = await activateExtension();
  });
  beforeEach(async () => {
    await setPrompt(PROMPT);
    await vscode.workspace.fs.writeFile(tests, Buffer.from(TESTS));
  });

  it('shows the best rewrite in a diff, writes nothing until applied, then applies it as one undoable edit', async () => {
    const options = { uri: prompt.toString(), model: 'amazon.nova-pro-v1:0', budgetUsd: 0, validationSplit: 0.34 };
    const discarded = await vscode.commands.executeCommand<Optimized>(Commands.optimizeAgainstTests, {
      ...options,
      apply: false,
    });
    assert.ok(discarded, api.shownErrors.at(-1)?.message);
    assert.equal(discarded.applied, false);
    assert.equal(discarded.best?.round, 1);
    assert.match(discarded.conclusion, /The best rewrite \(round 1\) scores 100% .* on the training cases/);
    assert.match(
      discarded.conclusion,
      /held-out case\(s\) it scores 100% with 1\/1 passing against 0% with 0\/1 passing: the gain holds/,
    );
    const diff = await waitFor('the diff with the rewrite', () =>
      vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.scheme === 'bedrock-proposed' && e.document.uri.path.endsWith('reply.prompt'),
      ),
    );
    assert.equal(diff.document.getText(), discarded.best?.text);
    assert.match(
      diff.document.getText(),
      /Reply to \{\{customer\}\}: \{\{message\}\}\nMake sure the answer covers: "sorry", "next step"\.\n$/,
    );
    assert.equal(await read(), PROMPT, 'nothing written');
    const asked = (await emulator.requests())
      .filter((r) => r.operation === 'Converse')
      .map((r) => r.body as { toolConfig?: { toolChoice?: { tool?: { name?: string } } } })
      .filter((b) => b.toolConfig?.toolChoice?.tool?.name === 'propose_rewrites');
    assert.ok(asked.length >= 1, 'the proposer was asked through its forced tool');

    const applied = await vscode.commands.executeCommand<Optimized>(Commands.optimizeAgainstTests, {
      ...options,
      apply: true,
    });
    assert.equal(applied?.applied, true, api.shownErrors.at(-1)?.message);
    assert.equal(await read(), `${PROMPT}Make sure the answer covers: "sorry", "next step".\n`);
    const doc = await vscode.workspace.openTextDocument(prompt);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), PROMPT, 'undo brings the prompt back');
    await doc.save();
  });

  it('stopped after a round, it keeps the best so far and says it was stopped', async () => {
    // `notContains: Reply` never passes (the answer echoes the prompt), so only stopping ends the rounds.
    await vscode.workspace.fs.writeFile(
      tests,
      Buffer.from(
        `cases:\n  - name: apology\n    input: {customer: Ana, message: Late.}\n    assert:\n      - contains: sorry\n      - notContains: Reply\n`,
      ),
    );
    const stopped = await vscode.commands.executeCommand<Optimized>(Commands.optimizeAgainstTests, {
      uri: prompt.toString(),
      model: 'amazon.nova-pro-v1:0',
      budgetUsd: 0,
      rounds: 5,
      candidates: 1,
      validationSplit: 0,
      stopAfterRound: 1,
      apply: false,
    });
    assert.ok(stopped, api.shownErrors.at(-1)?.message);
    assert.equal(stopped.ended, 'cancelled');
    assert.equal(stopped.rounds.length, 2, 'round 0 (the prompt as it is) and round 1');
    assert.equal(stopped.best?.round, 1);
    assert.match(stopped.conclusion, /Stopped: this is the best so far\./);
    assert.equal(await read(), PROMPT);
  });

  it('refuses a prompt without tests, with the fix', async () => {
    const lonely = workspaceFile('runs', 'lonely.prompt');
    await vscode.workspace.fs.writeFile(lonely, Buffer.from(PROMPT));
    await vscode.commands.executeCommand(Commands.optimizeAgainstTests, {
      uri: lonely.toString(),
      model: 'amazon.nova-pro-v1:0',
      budgetUsd: 0,
    });
    await waitFor('the error', () =>
      api.shownErrors.find((e) =>
        /lonely\.tests\.yaml does not exist: the optimizer scores rewrites against the prompt's test cases\. Write some \(New Prompt Tests\) or Generate Test Cases… first\./.test(
          e.message,
        ),
      ),
    );
  });

  describe('Optimize with Bedrock… (OptimizePrompt)', () => {
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const saved = {
      showInformationMessage: window.showInformationMessage,
      showWarningMessage: window.showWarningMessage,
    };
    afterEach(() => Object.assign(window, saved));

    it('from the ✨ Optimize CodeLens: the analysis streams beside the prompt, the result opens in a diff, Apply writes it', async () => {
      const doc = await vscode.workspace.openTextDocument(prompt);
      await vscode.window.showTextDocument(doc);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', prompt);
      const lens = lenses.find((l) => l.command?.title === '$(sparkle) Optimize');
      assert.ok(lens?.command, `the lens is there (${lenses.map((l) => l.command?.title).join(' | ')})`);
      // What the analysis document showed, each time it changed: it grows as the events arrive.
      const seen: string[] = [];
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'bedrock-optimizer') seen.push(e.document.getText());
      });
      const asked: string[] = [];
      window.showInformationMessage = (async (message: string) => {
        asked.push(message);
        return 'Apply';
      }) as unknown as typeof window.showInformationMessage;
      let result: { applied: boolean; analysisUri: string; rebuilt: { notes: string[] } } | undefined;
      try {
        result = await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
      } finally {
        sub.dispose();
      }
      assert.equal(result?.applied, true, api.shownErrors.at(-1)?.message);
      assert.match(
        asked[0],
        /^Apply the optimized prompt to reply\.prompt\? The turns are kept as they were \(system, user\)\.$/,
      );
      const guidance = 'Follow these instructions step by step and answer precisely.';
      assert.equal(
        await read(),
        PROMPT.replace('{{role "system"}}\n', `{{role "system"}}\n${guidance}\n`).replace(
          '{{role "user"}}\n',
          `{{role "user"}}\n${guidance}\n`,
        ),
      );
      const analysis = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.analysisUri));
      assert.match(
        analysis.getText(),
        /^OptimizePrompt: reply\.prompt for amazon\.nova-lite-v1:0\n\n- The prompt has 2 turn\(s\) and reads \{\{customer\}\}, \{\{message\}\}; it targets Nova Lite\.\n- Adding step-by-step guidance to each turn\.\n\nThe optimized prompt is in the diff/,
      );
      assert.ok(
        seen.some((t) => t.includes('it targets Nova Lite') && !t.includes('The optimized prompt is in the diff')),
        `the analysis showed before the result (${seen.length} change(s))`,
      );
      assert.ok(
        vscode.window.visibleTextEditors.some(
          (e) => e.document.uri.scheme === 'bedrock-proposed' && e.document.uri.path.endsWith('reply.prompt'),
        ),
        'the diff is open',
      );
      const sent = (await emulator.requests()).filter((r) => r.operation === 'OptimizePrompt').at(-1)?.body as {
        targetModelId: string;
        input: { textPrompt: { text: string } };
      };
      assert.equal(sent.targetModelId, 'amazon.nova-lite-v1:0');
      assert.equal(
        sent.input.textPrompt.text,
        '{{role "system"}}\nYou draft replies.\n\n{{role "user"}}\nReply to {{customer}}: {{message}}',
      );
    });

    it('says before Apply that the optimizer renamed a variable, and leaves the prompt as it was when discarded', async () => {
      const renaming = PROMPT.replace('You draft replies.', 'You draft replies. [[optimizer-renames]]');
      await setPrompt(renaming);
      const warned: string[] = [];
      window.showWarningMessage = (async (message: string, ...items: string[]) => {
        warned.push(`${message} [${items.join('|')}]`);
        return 'Discard';
      }) as unknown as typeof window.showWarningMessage;
      const result = await vscode.commands.executeCommand<{ applied: boolean }>(Commands.optimizeWithBedrock, {
        uri: prompt.toString(),
      });
      assert.equal(result?.applied, false, api.shownErrors.at(-1)?.message);
      assert.equal(
        warned[0],
        'The optimized prompt drops {{customer}}. The optimized prompt reads {{customer_value}}, which the prompt does not declare (a rename of {{customer}}?). Apply it anyway? [Apply Anyway|Discard]',
      );
      assert.equal(await read(), renaming);
    });
  });
});

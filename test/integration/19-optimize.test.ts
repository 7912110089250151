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
  before(async () => {
    api = await activateExtension();
  });
  beforeEach(async () => {
    await vscode.workspace.fs.writeFile(prompt, Buffer.from(PROMPT));
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
});

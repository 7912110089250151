import vscode = require('vscode');
import { formatEstimate } from '../../core/bedrock/pricing';
import { estimateRunCost } from '../host/pricing';
import { isPartialPath } from '../../core/format/document';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { promptEngine } from '../../core/format/loadEngine';
import { Commands } from '../host/commandIds';
import { inputsSummary } from './inputStore';
import type { RunController } from './runController';

/** ▶ Run (or ■ Stop while running) at the top of every .prompt file, and Run on the last user turn. */
export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  private readonly testsSub?: vscode.Disposable;

  constructor(
    private readonly runs: RunController,
    private readonly analyses: PromptAnalyses,
    private readonly tests?: { caseCount(uri: vscode.Uri): number | undefined; onDidChangeFiles: vscode.Event<void> },
  ) {
    this.sub = vscode.Disposable.from(
      runs.onDidChange(() => this.changed.fire()),
      runs.inputs.onDidChange(() => this.changed.fire()),
    );
    this.testsSub = tests?.onDidChangeFiles(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    // Partials (`_name.prompt`) are pieces of other prompts, not runnable on their own.
    if (isPartialPath(doc.uri.path)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (this.runs.isRunning(doc.uri)) {
      return [
        new vscode.CodeLens(top, {
          title: '$(debug-stop) Stop',
          command: Commands.stop,
          arguments: [doc.uri],
          tooltip: 'Stop the answer; what arrived stays',
        }),
      ];
    }
    const again = promptEngine().appendedAnswerStart(doc.getText()) !== undefined;
    const lenses = [
      new vscode.CodeLens(top, {
        title: again ? '$(refresh) Run again' : '$(play) Run',
        command: Commands.run,
        arguments: [doc.uri],
        tooltip: again
          ? 'Run the prompt again: the last answer is replaced by the new one (it stays in the run history, and Undo brings it back) (Ctrl+Alt+Enter)'
          : 'Run this prompt through Bedrock (Ctrl+Alt+Enter)',
      }),
    ];
    lenses.push(
      new vscode.CodeLens(top, {
        title: '$(split-horizontal) Compare models',
        command: Commands.compareModels,
        arguments: [doc.uri],
        tooltip: 'Run this prompt on several models side by side',
      }),
    );
    const cases = this.tests?.caseCount(doc.uri);
    if (cases)
      lenses.push(
        new vscode.CodeLens(top, {
          title: `$(beaker) Test (${cases} case${cases === 1 ? '' : 's'})`,
          command: Commands.runPromptTests,
          arguments: [doc.uri],
          tooltip: 'Run the cases of the tests file beside this prompt',
        }),
      );
    const model = this.analyses.get(doc).model;
    if (model) {
      // The next run's likely cost, before it is sent: the template's text (comments and markers
      // removed) as input, maxOutputTokens as the bound on the output.
      const analysis = this.analyses.get(doc);
      const body = doc
        .getText()
        .slice(analysis.bodyStart)
        .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![^}]*\}\}|\{\{~?\s*role\s+"\w+"\s*~?\}\}/g, '');
      const maxTokens = (analysis.frontmatter.config as { maxOutputTokens?: unknown } | undefined)?.maxOutputTokens;
      const estimate = estimateRunCost(
        model.modelId,
        1,
        body.length,
        typeof maxTokens === 'number' ? maxTokens : undefined,
      );
      const cost = estimate ? ` · ${formatEstimate(estimate).replace(/ \(no maxOutputTokens.*$/, ' + output')}` : '';
      lenses.push(
        new vscode.CodeLens(top, {
          title: `${model.modelId}${cost}`,
          command: 'bedrockPromptLab.models.focus',
          tooltip: `The model this prompt runs on; pick another in the Models view.${estimate ? ` Estimated cost of a run: ${formatEstimate(estimate)} (input at 4 characters a token; output up to maxOutputTokens; prices: ${estimate.source}).` : ''}`,
        }),
        new vscode.CodeLens(top, {
          title: '$(sparkle) Optimize',
          command: Commands.optimizeWithBedrock,
          arguments: [{ uri: doc.uri.toString() }],
          tooltip: `Bedrock's OptimizePrompt rewrites this prompt for ${model.modelId}: its analysis streams beside the prompt, the result opens in a diff to apply`,
        }),
      );
    }
    // The values the next run uses, where the user looks first; a click edits them.
    const analysis = this.analyses.get(doc);
    const view = this.runs.inputs.view(doc.uri, analysis);
    if (view.length > 0) {
      // On the frontmatter's `input:` line when there is one (the top line is busy), else at the top.
      const inputKey = analysis.keyRanges.find((k) => k.path === 'input')?.range.start.line;
      const at = inputKey !== undefined ? new vscode.Range(inputKey, 0, inputKey, 0) : top;
      const missing = view.filter((v) => v.required && v.source === 'unset').map((v) => v.name);
      lenses.push(
        new vscode.CodeLens(at, {
          title: `$(symbol-variable) ${inputsSummary(view)}`,
          command: Commands.editInputs,
          arguments: [doc.uri],
          tooltip: `The inputs the next run uses: click to change them.${missing.length > 0 ? ` Not set yet (asked on Run): ${missing.join(', ')}.` : ''}`,
        }),
        new vscode.CodeLens(at, {
          title: '$(beaker) Run with…',
          command: Commands.runWithInputsFrom,
          arguments: [doc.uri],
          tooltip: 'Run with the inputs of a test case or a row of a data file',
        }),
      );
    }
    const roles = analysis.roles;
    const lastUser = [...roles].reverse().find((r) => r.role === 'user');
    if (lastUser && lastUser.range.start.line > 0 && roles.some((r) => r.role === 'model')) {
      const range = new vscode.Range(lastUser.range.start.line, 0, lastUser.range.start.line, 0);
      // Tool results to fill in: the next step is writing them (then Run), not a new message.
      if (!(again && promptEngine().waitsForToolResults(doc.getText())))
        lenses.push(
          again
            ? new vscode.CodeLens(range, {
                title: '$(comment-discussion) Continue…',
                command: Commands.continueConversation,
                arguments: [doc.uri],
                tooltip: 'Keep the answer and send your next message',
              })
            : new vscode.CodeLens(range, {
                title: '$(play) Send',
                command: Commands.run,
                arguments: [doc.uri],
                tooltip: 'Send the conversation with this message',
              }),
        );
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.testsSub?.dispose();
    this.changed.dispose();
  }
}

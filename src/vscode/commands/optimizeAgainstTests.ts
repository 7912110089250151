// Optimize Against Tests…: rewrites of the prompt's template scored on its test cases (app/optimizeAgainstTests.ts,
// the same use case as `prompt-lab optimize`). Each round's scores and cost go to the log as they finish and
// the notification says where it is; Cancel stops and keeps the best so far. The winner opens in a diff
// against the prompt, and Apply writes it as one edit the user can undo, only if the prompt did not change
// meanwhile (applyProposal).
import vscode = require('vscode');
import { optimizeAgainstTests, roundSummary, type OptimizeResult } from '../../app/optimizeAgainstTests';
import { toBedrockError } from '../../core/bedrock/errors';
import { promptEngine } from '../../core/format/loadEngine';
import { testsPathFor } from '../../core/format/testFiles';
import { BedrockError } from '../../core/shared/bedrockError';
import type { Services } from '../services';
import { config } from '../host/config';
import { ask } from '../host/inputBox';
import { pickModel } from '../host/modelPicker';
import { promptFilesFor, promptUriFor } from '../host/promptFiles';
import { applyProposal, savedTextOf, showProposal } from '../host/proposals';
import { requireTrust } from '../host/trust';

export type OptimizeServices = Pick<Services, 'host' | 'analyses' | 'catalogue' | 'session' | 'logger'>;

export interface OptimizeCommandOptions {
  uri?: string;
  model?: string;
  /** USD; 0 or less: no budget. Asked for when not given. */
  budgetUsd?: number;
  rounds?: number;
  candidates?: number;
  validationSplit?: number;
  /** Apply without asking (true) or discard (false), for tests; else the user decides after the diff. */
  apply?: boolean;
  /** Stop after this round has finished, as Cancel would (tests). */
  stopAfterRound?: number;
}

export async function optimizeAgainstTestsCommand(
  s: OptimizeServices,
  opts: OptimizeCommandOptions = {},
): Promise<(OptimizeResult & { applied: boolean }) | undefined> {
  const promptUri = await promptUriFor(opts.uri ? vscode.Uri.parse(opts.uri) : undefined, 'Optimize against its tests');
  if (!promptUri) return undefined;
  requireTrust('Optimizing a prompt');
  const doc = await vscode.workspace.openTextDocument(promptUri);
  if (doc.isDirty)
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(promptUri)} has unsaved changes: save it first.`,
    );
  const testsUri = promptUri.with({ path: testsPathFor(promptUri.path) });
  const testsText = await savedTextOf(testsUri);
  if (testsText === undefined)
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(testsUri)} does not exist: the optimizer scores rewrites against the prompt's test cases. Write some (New Prompt Tests) or Generate Test Cases… first.`,
    );
  const model = opts.model ?? (await pickModel(s.catalogue, 'The model that proposes rewrites (one with tool use)'));
  if (!model) return undefined;
  const budgetText =
    opts.budgetUsd !== undefined
      ? String(opts.budgetUsd)
      : await ask(undefined, {
          title: 'Budget in USD (proposals, test cases and the judge); empty: no budget',
          value: String(config.optimizeBudgetUsd()),
          validateInput: (v) => (!v.trim() || Number(v) > 0 ? undefined : 'An amount above 0, such as 0.50, or empty.'),
        });
  if (budgetText === undefined) return undefined;
  const budgetUsd = Number(budgetText) > 0 ? Number(budgetText) : undefined;

  const name = promptUri.path.split('/').pop() ?? 'prompt';
  const version = doc.version;
  s.logger.channel.show(true);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Optimizing ${name} against its tests`,
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await optimizeAgainstTests(
          s.host,
          {
            text: doc.getText(),
            analysis: s.analyses.get(doc),
            files: promptFilesFor(promptUri),
            name,
            analyze: (text) => s.analyses.analyzeText(doc, text),
          },
          promptEngine().parseTestFile(testsText),
          {
            model,
            rounds: opts.rounds ?? config.optimizeRounds(),
            candidates: opts.candidates ?? config.optimizeCandidates(),
            validationSplit: opts.validationSplit ?? config.optimizeValidationSplit(),
            budgetUsd,
            concurrency: config.testsConcurrency(),
            signal: controller.signal,
            progress: (message) => progress.report({ message }),
            onRound: (r) => {
              for (const line of roundSummary(r)) s.logger.info(`optimize ${name}: ${line}`);
              if (opts.stopAfterRound !== undefined && r.round >= opts.stopAfterRound) controller.abort();
            },
          },
        );
      } catch (err) {
        throw toBedrockError(err, { operation: `optimize ${name} with ${model}`, profile: s.session.profile });
      }
    },
  );
  s.logger.info(`optimize ${name}: ${result.conclusion}`);
  if (!result.best) {
    void vscode.window.showInformationMessage(result.conclusion);
    return { ...result, applied: false };
  }
  await showProposal(promptUri, result.best.text, `${name} ↔ best rewrite (round ${result.best.round})`, {
    exists: true,
  });
  const worse = result.heldOut === 'worse';
  const apply =
    opts.apply ??
    (
      await (worse ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
        result.conclusion,
        worse ? 'Apply Anyway' : 'Apply',
        'Discard',
      )
    )?.startsWith('Apply') === true;
  if (!apply) return { ...result, applied: false };
  await applyProposal(doc, version, result.best.text);
  return { ...result, applied: true };
}

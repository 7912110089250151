// Generate Test Cases…: a model proposes new cases for the prompt (app/generateCases.ts, the same use case
// as `prompt-lab cases generate`); the tests file with them appended opens in a diff against the file as it
// is, and they are written only when the user appends them (written to a temporary name, then renamed).
import vscode = require('vscode');
import { generateCases, type GeneratedCases } from '../../app/generateCases';
import { toBedrockError } from '../../core/bedrock/errors';
import { formatUsd } from '../../core/shared/money';
import type { Services } from '../services';
import { ask } from '../host/inputBox';
import { pickModel } from '../host/modelPicker';
import { promptUriFor } from '../host/promptFiles';
import { requireTrust } from '../host/trust';
import { savedTextOf, showProposal } from '../host/proposals';

export type GenerateCasesServices = Pick<Services, 'host' | 'analyses' | 'catalogue' | 'session'>;

export interface GenerateCasesOptions {
  uri?: string;
  model?: string;
  count?: number;
  /** Append without asking (true) or discard (false), for tests; else the user decides after the diff. */
  apply?: boolean;
}

export async function generateCasesCommand(
  s: GenerateCasesServices,
  opts: GenerateCasesOptions = {},
): Promise<(GeneratedCases & { written: boolean }) | undefined> {
  const promptUri = await promptUriFor(opts.uri ? vscode.Uri.parse(opts.uri) : undefined, 'Generate test cases for');
  if (!promptUri) return undefined;
  requireTrust('Generating test cases');
  const model = opts.model ?? (await pickModel(s.catalogue, 'The model that proposes the cases (one with tool use)'));
  if (!model) return undefined;
  const count =
    opts.count ??
    Number(
      await ask(undefined, {
        title: 'How many cases?',
        value: '5',
        validateInput: (v) => (/^(?:[1-9]|1\d|20)$/.test(v.trim()) ? undefined : 'A number from 1 to 20.'),
      }),
    );
  const doc = await vscode.workspace.openTextDocument(promptUri);
  const testsUri = promptUri.with({ path: promptUri.path.replace(/\.prompt$/, '.tests.yaml') });
  const testsText = await savedTextOf(testsUri);
  const name = promptUri.path.split('/').pop() ?? 'prompt';
  const generated = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Proposing ${count} test case(s) for ${name}`,
      cancellable: true,
    },
    async (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await generateCases(s.host, { text: doc.getText(), analysis: s.analyses.get(doc), name }, testsText, {
          model,
          count,
          signal: controller.signal,
        });
      } catch (err) {
        throw toBedrockError(err, { operation: `generate test cases with ${model}`, profile: s.session.profile });
      }
    },
  );
  await showProposal(
    testsUri,
    generated.text,
    `${vscode.workspace.asRelativePath(testsUri)} ↔ ${generated.cases.length} proposed case(s)`,
    { exists: testsText !== undefined },
  );
  const cost = generated.costUsd !== undefined ? ` (~${formatUsd(generated.costUsd)})` : '';
  const dropped = generated.dropped.length
    ? ` ${generated.dropped.length} proposal(s) were dropped: ${generated.dropped.join('; ')}.`
    : '';
  const apply =
    opts.apply ??
    (await vscode.window.showInformationMessage(
      `Append ${generated.cases.length} proposed case(s) to ${vscode.workspace.asRelativePath(testsUri)}?${cost}${dropped}`,
      'Append',
      'Discard',
    )) === 'Append';
  if (apply) {
    // Written to a temporary name, then renamed: the tests file is never half-written.
    const tmp = testsUri.with({ path: `${testsUri.path}.tmp` });
    await vscode.workspace.fs.writeFile(tmp, Buffer.from(generated.text, 'utf8'));
    await vscode.workspace.fs.rename(tmp, testsUri, { overwrite: true });
  }
  return { ...generated, written: apply };
}

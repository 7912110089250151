// Optimize with Bedrock… (the command, the editor title menu, and the ✨ Optimize CodeLens): OptimizePrompt
// rewrites the prompt for its model (app/optimizeWithBedrock.ts, the same use case as `prompt-lab optimize
// --bedrock`). Its analysis streams into a read-only document beside the prompt as each event arrives;
// the rebuilt prompt opens in a diff; what it reads differently (a variable dropped or renamed) is said
// before Apply, which then asks "Apply Anyway"; a prompt that does not parse cannot be applied.
import vscode = require('vscode');
import { optimizeWithBedrock, type BedrockOptimized } from '../../app/optimizeWithBedrock';
import { toBedrockError } from '../../core/bedrock/errors';
import { BedrockError } from '../../core/shared/bedrockError';
import type { Services } from '../services';
import { pickModel } from '../host/modelPicker';
import { promptUriFor } from '../host/promptFiles';
import { applyProposal, showProposal } from '../host/proposals';
import { requireTrust } from '../host/trust';

export type OptimizeWithBedrockServices = Pick<Services, 'host' | 'analyses' | 'catalogue' | 'session'>;

export interface OptimizeWithBedrockOptions {
  uri?: string;
  /** The model to optimize for (default: the prompt's; asked for when it names none). */
  model?: string;
  /** Apply without asking (true) or discard (false), for tests; else the user decides after the diff. */
  apply?: boolean;
}

const ANALYSIS_SCHEME = 'bedrock-optimizer';
const analyses = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

/** The analysis document: read-only text, updated as OptimizePrompt's events arrive. */
export function registerOptimizerAnalysis(): vscode.Disposable {
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(ANALYSIS_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => analyses.get(uri.path) ?? '',
    }),
  );
}

export async function optimizeWithBedrockCommand(
  s: OptimizeWithBedrockServices,
  opts: OptimizeWithBedrockOptions = {},
): Promise<(BedrockOptimized & { applied: boolean; analysisUri: string }) | undefined> {
  const promptUri = await promptUriFor(opts.uri ? vscode.Uri.parse(opts.uri) : undefined, 'Optimize with Bedrock');
  if (!promptUri) return undefined;
  requireTrust('Optimizing a prompt');
  const doc = await vscode.workspace.openTextDocument(promptUri);
  if (doc.isDirty)
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(promptUri)} has unsaved changes: save it first.`,
    );
  const analysis = s.analyses.get(doc);
  const model =
    opts.model ?? analysis.model?.modelId ?? (await pickModel(s.catalogue, 'The model to optimize the prompt for'));
  if (!model) return undefined;
  const name = promptUri.path.split('/').pop() ?? 'prompt';
  const version = doc.version;

  // The analysis, beside the prompt, growing as it arrives.
  const analysisUri = vscode.Uri.from({ scheme: ANALYSIS_SCHEME, path: `/${name} · OptimizePrompt analysis` });
  let text = `OptimizePrompt: ${name} for ${model}\n\n`;
  const show = (more: string) => {
    text += more;
    analyses.set(analysisUri.path, text);
    changed.fire(analysisUri);
  };
  show('');
  await vscode.window.showTextDocument(analysisUri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Optimizing ${name} with Bedrock`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await optimizeWithBedrock(
          s.host,
          { text: doc.getText(), analysis, name, analyze: (t) => s.analyses.analyzeText(doc, t) },
          {
            model,
            signal: controller.signal,
            onAnalysis: (message) => {
              show(`- ${message}\n`);
              progress.report({ message });
            },
          },
        );
      } catch (err) {
        const e = toBedrockError(err, { operation: `optimize ${name} with Bedrock`, profile: s.session.profile });
        show(`\nStopped: ${e.message}\n`);
        throw e;
      }
    },
  );
  const { rebuilt } = result;
  show(
    [
      '',
      `The optimized prompt is in the diff (${name} ↔ optimized for ${result.targetModelId}).`,
      ...rebuilt.notes,
      ...rebuilt.warnings.map((w) => `Warning: ${w}`),
      ...(rebuilt.problem ? [rebuilt.problem] : []),
      '',
    ].join('\n'),
  );
  await showProposal(promptUri, rebuilt.text, `${name} ↔ optimized for ${result.targetModelId}`, { exists: true });
  const done = { ...result, analysisUri: analysisUri.toString() };
  if (rebuilt.problem) {
    void vscode.window.showWarningMessage(rebuilt.problem);
    return { ...done, applied: false };
  }
  const warned = rebuilt.warnings.length > 0;
  const apply =
    opts.apply ??
    (
      await (warned ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
        warned
          ? `${rebuilt.warnings.join(' ')} Apply it anyway?`
          : `Apply the optimized prompt to ${name}? ${rebuilt.notes.join(' ')}`,
        warned ? 'Apply Anyway' : 'Apply',
        'Discard',
      )
    )?.startsWith('Apply') === true;
  if (!apply) return { ...done, applied: false };
  await applyProposal(doc, version, rebuilt.text);
  return { ...done, applied: true };
}

// "Bedrock: Check with Guardrail…": the selection (or the whole file) through one of the account's
// guardrails (ApplyGuardrail), as input or as output; the report shows what it did, and "Use in Prompt"
// puts the guardrail in the prompt being edited.
import vscode = require('vscode');
import { currentPromptEditor } from '../host/promptEditor';
import { BedrockError } from '../../core/shared/bedrockError';
import { reportLines, type GuardrailReport } from '../../core/bedrock/guardrails';
import { checkWithGuardrail, type GuardrailCheck } from '../../app/checkGuardrail';
import { setGuardrailInPrompt } from '../language/setModel';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';
import { Commands } from '../host/commandIds';

export type GuardrailServices = Pick<Services, 'host' | 'session' | 'logger'>;

/** A guardrail and version, or `{}` for guardrail checks (scores without a guardrail); undefined: dismissed. */
async function pickGuardrail(s: GuardrailServices): Promise<{ guardrail?: string; version?: string } | undefined> {
  const control = s.session.clients().control;
  const guardrails = await control.listGuardrails();
  const checks = {
    label: '$(pulse) No guardrail: score it with guardrail checks',
    detail: 'content filters, prompt attacks and personal information, each scored 0 to 1 (InvokeGuardrailChecks)',
    id: '',
  };
  const pick = await vscode.window.showQuickPick(
    [
      ...guardrails.map((g) => ({
        label: g.name ?? g.id ?? '',
        description: g.id,
        detail: g.description,
        id: g.id ?? '',
      })),
      checks,
    ],
    {
      title: 'Check with which guardrail?',
      placeHolder: guardrails.length === 0 ? 'This account has no guardrails in this Region' : undefined,
    },
  );
  if (!pick) return undefined;
  if (pick.id === '') return {};
  const versions = await control.listGuardrails(pick.id);
  const version = await vscode.window.showQuickPick(
    versions.map((v) => ({
      label: v.version ?? 'DRAFT',
      description: v.version === 'DRAFT' ? 'the working draft' : undefined,
    })),
    { title: `Which version of ${pick.label}?` },
  );
  return version && { guardrail: pick.id, version: version.label };
}

/**
 * "Use in Prompt": `bedrock.guardrail` (with its trace on) in the .prompt being edited; from the Models
 * view's guardrail, the version is asked for (its versions listed).
 */
export async function useGuardrailInPrompt(
  s: GuardrailServices,
  given: { identifier: string; version: string } | { kind: 'guardrail'; guardrail: { id: string; name: string } },
): Promise<string | undefined> {
  let guardrail: { identifier: string; version: string };
  if ('kind' in given) {
    const versions = await s.session.clients().control.listGuardrails(given.guardrail.id);
    const pick = await vscode.window.showQuickPick(
      versions.map((v) => ({
        label: v.version ?? 'DRAFT',
        description: v.version === 'DRAFT' ? 'the working draft (changes as it is edited)' : undefined,
      })),
      { title: `Use which version of ${given.guardrail.name} in the prompt?` },
    );
    if (!pick) return undefined;
    guardrail = { identifier: given.guardrail.id, version: pick.label };
  } else guardrail = given;
  await setGuardrailInPrompt(currentPromptEditor('the guardrail is set in the prompt you are editing'), guardrail);
  return guardrail.version;
}

export async function checkWithGuardrailCommand(
  s: GuardrailServices,
  given?: Partial<GuardrailCheck>,
): Promise<GuardrailReport | undefined> {
  requireTrust('Checking text with a guardrail');
  const editor = vscode.window.activeTextEditor;
  const text =
    given?.text ??
    (editor
      ? editor.selection.isEmpty
        ? editor.document.getText()
        : editor.document.getText(editor.selection)
      : undefined);
  if (text === undefined)
    throw new BedrockError('Validation', 'Open a file (or select text in it) to check with a guardrail.');
  const which =
    given && ('guardrail' in given || given.source)
      ? { guardrail: given.guardrail, version: given.version ?? 'DRAFT' }
      : await pickGuardrail(s);
  if (!which) return undefined;
  // No guardrail picked: guardrail checks score the text.
  const name = which.guardrail ? `guardrail ${which.guardrail} (v${which.version ?? 'DRAFT'})` : 'guardrail checks';
  const source =
    given?.source ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'As input', detail: 'what a user sends to the model', source: 'INPUT' as const },
          { label: 'As output', detail: 'what a model answered', source: 'OUTPUT' as const },
        ],
        { title: 'Check the text as what? (the guardrail applies its policies to each side as configured)' },
      )
    )?.source;
  if (!source) return undefined;
  const report = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Checking with ${name}…`,
      cancellable: true,
    },
    (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return checkWithGuardrail(s.host, { ...which, source, text }, abort.signal);
    },
  );
  const lines = reportLines(report);
  s.logger.info(`${name} (${source}): ${lines.join('; ')}`);
  const promptEditor = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'dotprompt');
  const buttons = ['Show Details', ...(promptEditor && which.guardrail ? ['Use in Prompt'] : [])];
  const summary = `${name}, ${source.toLowerCase()}: ${lines[0]}${lines.length > 1 ? ` · ${lines.slice(1).join(' · ')}` : ''}`;
  void (report.intervened ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
    summary,
    ...buttons,
  ).then(async (picked) => {
    if (picked === 'Use in Prompt' && which.guardrail)
      await vscode.commands.executeCommand(Commands.useGuardrailInPrompt, {
        identifier: which.guardrail,
        version: which.version ?? 'DRAFT',
      });
    if (picked === 'Show Details') {
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: `# ${name[0].toUpperCase()}${name.slice(1)}, checked as ${source.toLowerCase()}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n${report.outputs?.length ? `\n## The guardrail's text\n\n${report.outputs.join('\n\n')}\n` : ''}`,
      });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  });
  return report;
}

// Generate Test Cases…: a model proposes new cases for the prompt (app/generateCases.ts, the same use case
// as `prompt-lab cases generate`); the tests file with them appended opens in a diff against the file as it
// is, and they are written only when the user appends them (written to a temporary name, then renamed).
import vscode = require('vscode');
import { generateCases, type GeneratedCases } from '../../app/generateCases';
import { toBedrockError } from '../../core/bedrock/errors';
import { BedrockError } from '../../core/shared/bedrockError';
import { formatUsd } from '../../core/shared/money';
import type { Services } from '../services';
import { ask } from '../host/inputBox';
import { pickModel } from '../host/modelPicker';
import { promptUriFor } from '../host/promptFiles';
import { requireTrust } from '../host/trust';

export type GenerateCasesServices = Pick<Services, 'host' | 'analyses' | 'catalogue' | 'session'>;

export interface GenerateCasesOptions {
  uri?: string;
  model?: string;
  count?: number;
  /** Append without asking (true) or discard (false), for tests; else the user decides after the diff. */
  apply?: boolean;
}

const PROPOSED_SCHEME = 'bedrock-proposed';
const proposals = new Map<string, string>();

/** The proposed tests file, shown read-only on the right of the diff. */
export function registerProposedCases(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
    provideTextDocumentContent: (uri) => proposals.get(uri.path) ?? '',
  });
}

async function readIfThere(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty)
    throw new BedrockError('Validation', `${vscode.workspace.asRelativePath(uri)} has unsaved changes: save it first.`);
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
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
  const testsText = await readIfThere(testsUri);
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
  const key = `/${vscode.workspace.asRelativePath(testsUri)}`;
  proposals.set(key, generated.text);
  const left =
    testsText === undefined ? vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: '/(no tests file yet)' }) : testsUri;
  const right = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: key });
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    right,
    `${vscode.workspace.asRelativePath(testsUri)} ↔ ${generated.cases.length} proposed case(s)`,
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
  // The proposal stays readable while its diff is open (one per tests file: the next one replaces it).
  return { ...generated, written: apply };
}

import vscode = require('vscode');
import { BedrockError } from '../bedrock/errors';
import type { PromptAnalysis } from '../prompt/analyze';
import { missingVariables } from '../prompt/inputs';

const KEY = 'promptInputs.v1';

/**
 * Values for the variables the template uses: `input.default`, then values given by the caller, then
 * values remembered for this file; anything still missing is asked for once and remembered.
 */
export async function resolveInputs(memento: vscode.Memento, uri: vscode.Uri, analysis: PromptAnalysis, given: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const all = memento.get<Record<string, Record<string, unknown>>>(KEY) ?? {};
  const remembered = all[uri.toString()] ?? {};
  const values: Record<string, unknown> = { ...remembered, ...given };
  const needed = new Set([...analysis.variables.map((v) => v.name), ...[...analysis.declaredInputs.keys()]]);
  let changed = false;
  for (const name of missingVariables(analysis, values)) {
    const value = await vscode.window.showInputBox({
      title: `Value for {{${name}}}`,
      prompt: `${vscode.workspace.asRelativePath(uri)} uses {{${name}}} without a default. The value is remembered for this file.`,
      ignoreFocusOut: true,
    });
    if (value === undefined) throw new BedrockError('Cancelled', 'Run cancelled: no value given.');
    values[name] = value;
    changed = true;
  }
  if (changed || Object.keys(given).length > 0) {
    all[uri.toString()] = { ...remembered, ...given, ...Object.fromEntries([...needed].filter((n) => n in values).map((n) => [n, values[n]])) };
    await memento.update(KEY, all);
  }
  return values;
}

// The values a prompt runs with, in one place: "Edit Prompt Inputs" lists every input with its value,
// type and whether it is required, and changes one at a time; "Run With Inputs From…" runs the prompt
// on a case of its `.tests.yaml` or a row of a data file (and keeps those values, so they stay visible).
import { existsSync, promises as fs } from 'node:fs';
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { describeValue } from '../../core/format/inputs';
import { promptEngine } from '../../core/format/loadEngine';
import { askInputValue, type InputStore } from './inputStore';
import type { RunController } from './runController';
import type { RunResult } from './types';
import { testsPathFor } from '../../core/format/testFiles';

type SourcePick = vscode.QuickPickItem & { values?: Record<string, unknown>; action?: 'rows' | 'clear' };

export async function editInputs(
  store: InputStore,
  analyses: PromptAnalyses,
  uri: vscode.Uri | undefined,
): Promise<Record<string, unknown> | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) throw new BedrockError('PromptInvalid', 'Open a .prompt file to edit its inputs.');
  const doc = await vscode.workspace.openTextDocument(target);
  for (;;) {
    const analysis = analyses.get(doc);
    const view = store.view(target, analysis);
    type Item = vscode.QuickPickItem & { name?: string; source?: 'case' | 'rows' | 'clear' };
    const items: Item[] = view.map((v) => ({
      label: `${v.required && v.source === 'unset' ? '$(warning) ' : ''}${v.name}`,
      name: v.name,
      description:
        v.source === 'unset'
          ? v.required
            ? 'required · not set'
            : 'optional · left out'
          : `${describeValue(v.value, 60)}${v.source === 'default' ? ' (default)' : ''}`,
      detail: [v.decl?.kind ?? 'not declared', v.required ? 'required' : 'optional', v.decl?.description]
        .filter(Boolean)
        .join(' · '),
    }));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: '$(beaker) Use a test case…',
      source: 'case',
      description: 'the inputs of a case in the tests file beside the prompt',
    });
    items.push({ label: '$(table) Use a row of a data file…', source: 'rows', description: 'JSONL, CSV or JSON' });
    items.push({
      label: '$(clear-all) Clear the values',
      source: 'clear',
      description: 'defaults apply; required inputs are asked for on the next run',
    });
    const pick = await vscode.window.showQuickPick(items, {
      title: `Inputs of ${vscode.workspace.asRelativePath(target)}`,
      placeHolder: 'Pick an input to change its value',
    });
    if (!pick) return store.values(target);
    if (pick.source === 'clear') await store.set(target, {});
    else if (pick.source) {
      const values = await pickValues(target, pick.source);
      if (values) await store.set(target, values);
    } else if (pick.name) {
      const current = view.find((v) => v.name === pick.name);
      const value = await askInputValue(target, pick.name, current?.decl, current?.value);
      if (value !== undefined) await store.setValue(target, pick.name, value);
    }
  }
}

export async function runWithInputsFrom(
  store: InputStore,
  runs: RunController,
  uri: vscode.Uri | undefined,
): Promise<RunResult | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) throw new BedrockError('PromptInvalid', 'Open a .prompt file to run it.');
  const choice = await vscode.window.showQuickPick<SourcePick>(
    [...(await casePicks(target)), { label: '$(table) A row of a data file…', action: 'rows' }],
    {
      title: `Run ${vscode.workspace.asRelativePath(target)} with the inputs of…`,
    },
  );
  if (!choice) return undefined;
  const values = choice.action === 'rows' ? await pickValues(target, 'rows') : choice.values;
  if (!values) return undefined;
  await store.set(target, values);
  return runs.run({ uri: target });
}

async function pickValues(promptUri: vscode.Uri, from: 'case' | 'rows'): Promise<Record<string, unknown> | undefined> {
  if (from === 'case') {
    const cases = await casePicks(promptUri);
    if (cases.length === 0)
      throw new BedrockError(
        'PromptInvalid',
        `There is no tests file beside this prompt: create one with "Bedrock: New Prompt Tests".`,
      );
    return (await vscode.window.showQuickPick(cases, { title: 'Use the inputs of which case?' }))?.values;
  }
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.joinPath(promptUri, '..'),
    filters: { Rows: ['jsonl', 'ndjson', 'csv', 'json'] },
    openLabel: 'Use rows from this file',
  });
  if (!files?.[0]) return undefined;
  const rows = (await datasetEngine().readRows(files[0].fsPath)).filter((r) => !r.problem).slice(0, 500);
  if (rows.length === 0)
    throw new BedrockError('PromptInvalid', `${vscode.workspace.asRelativePath(files[0])} has no readable rows.`);
  const pick = await vscode.window.showQuickPick(
    rows.map((r) => ({
      label: `Row ${r.index + 1}`,
      description: `line ${r.line}`,
      detail: describeValue(r.input, 160),
      values: r.input,
    })),
    { title: `Use which row of ${vscode.workspace.asRelativePath(files[0])}?`, matchOnDetail: true },
  );
  return pick?.values;
}

async function casePicks(promptUri: vscode.Uri): Promise<SourcePick[]> {
  const engine = promptEngine();
  let text: string;
  try {
    text = await fs.readFile(testsPathFor(promptUri.fsPath, existsSync), 'utf8');
  } catch {
    return [];
  }
  return engine.parseTestFile(text).cases.map((c) => ({
    label: `$(beaker) ${c.name}`,
    description: `case, line ${c.line + 1}`,
    detail: describeValue(c.input, 160),
    values: c.input,
  }));
}

// Runs inside the VS Code extension host: Compare on 6 models, each streaming the same long answer into
// its webview column, beside the raw SDK consuming the same 6 streams with the same concurrency.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { rawSdkStreams } from './rawStreams';
import type { CompareColumnResult } from '../src/vscode/webview/comparePanel';

const TOKENS = 4000;
const MODELS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-micro-v1:0',
  'us.amazon.nova-lite-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'mistral.mistral-large-2402-v1:0',
  'us.anthropic.claude-3-5-haiku-20241022-v1:0',
];

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('bedrock-prompt-lab.bedrock-prompt-lab');
  await ext?.activate();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('no workspace');
  await vscode.commands.executeCommand('bedrockPromptLab.refreshModels');
  const uri = vscode.Uri.joinPath(folder, 'bench-compare.prompt');
  await vscode.workspace.fs.writeFile(
    uri,
    Buffer.from(`---\nmodel: ${MODELS[0]}\nconfig:\n  maxOutputTokens: ${TOKENS + 10}\n---\n[[tokens=${TOKENS}]]\n`),
  );
  const check = (results: CompareColumnResult[]) => {
    const bad = results.find((r) => r.status !== 'complete' || r.outputTokens !== TOKENS);
    if (bad)
      throw new Error(`column ${bad.modelId} ended ${bad.status} (${bad.error ?? ''}) with ${bad.outputTokens} tokens`);
  };
  const raw: number[] = [await rawSdkStreams(MODELS, TOKENS)];
  // First: the whole command, opening the webview included.
  let started = performance.now();
  check(
    (await vscode.commands.executeCommand('bedrockPromptLab.compareModels', {
      uri: uri.toString(),
      models: MODELS,
    })) as CompareColumnResult[],
  );
  const firstOpen = performance.now() - started;
  raw.push(await rawSdkStreams(MODELS, TOKENS));
  // Then "Re-run all" in the open view: the streaming path alone.
  const api = ext?.exports as { comparePanels: ReadonlySet<{ receive(m: unknown): Promise<unknown> }> };
  const panel = [...api.comparePanels].at(-1)!;
  const ours: number[] = [];
  for (let i = 0; i < 3; i++) {
    started = performance.now();
    check((await panel.receive({ type: 'rerunAll' })) as CompareColumnResult[]);
    ours.push(performance.now() - started);
    raw.push(await rawSdkStreams(MODELS, TOKENS));
  }
  console.log(`BENCH ${JSON.stringify({ ours, raw, firstOpen, tokens: TOKENS, models: MODELS.length })}`);
}

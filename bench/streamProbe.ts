// Runs inside the VS Code extension host: streams a 20,000-token answer into the editor through the
// extension, beside the raw SDK loop consuming the same stream from the same host.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { rawSdkStreams } from './rawStreams';
import type { RunResult } from '../src/vscode/run/types';

const TOKENS = 20_000;
const PACED_TOKENS = 500;

/**
 * Opens the prompt and waits a second before Run, as a user does: a run started the instant an editor
 * opens waits 100-700 ms for the editor to finish opening (measured), which is not streaming.
 */
async function openAndSettle(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(uri);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('bedrock-prompt-lab.bedrock-prompt-lab');
  await ext?.activate();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('no workspace');
  // Two shapes of the same 20,000 words: paragraphs (as models write) and one 130 KB line (the editor's
  // worst case: every edit re-lays out and re-tokenizes the line it extends).
  const shapes: Record<string, { samples: { ms: number; edits: number; p99: number; max: number }[]; raw: number[] }> =
    {};
  for (const [shape, marker] of [
    ['paragraphs', `[[tokens=${TOKENS} paragraphs=60]]`],
    ['one line', `[[tokens=${TOKENS}]]`],
  ] as const) {
    const raw = [await rawSdkStreams(['anthropic.claude-3-haiku-20240307-v1:0'], TOKENS, marker)];
    const samples: { ms: number; edits: number; p99: number; max: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const uri = vscode.Uri.joinPath(folder, `bench-${shape.replace(' ', '-')}-${i}.prompt`);
      await vscode.workspace.fs.writeFile(
        uri,
        Buffer.from(
          `---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\nconfig:\n  maxOutputTokens: ${TOKENS + 10}\n---\n${marker}\n`,
        ),
      );
      await openAndSettle(uri);
      const started = performance.now();
      const result = (await vscode.commands.executeCommand('bedrockPromptLab.run', {
        uri: uri.toString(),
      })) as RunResult;
      const ms = performance.now() - started;
      if (result.status !== 'complete' || result.usage?.outputTokens !== TOKENS)
        throw new Error(`run ended ${result.status} with ${result.usage?.outputTokens} tokens`);
      const delays = [...(result.editDelaysMs ?? [])].sort((a, b) => a - b);
      samples.push({
        ms,
        edits: result.edits,
        p99: delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] ?? 0,
        max: delays.at(-1) ?? 0,
      });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    raw.push(await rawSdkStreams(['anthropic.claude-3-haiku-20240307-v1:0'], TOKENS, marker));
    shapes[shape] = { samples, raw };
  }
  // The same at a pace a real model streams (about 100 tokens a second): the delay a user sees.
  const paced: number[] = [];
  for (let i = 0; i < 2; i++) {
    await fetch(`${process.env.BPL_EMULATOR_URL}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'ConverseStream', fault: { kind: 'pace', tokenDelayMs: 10 }, times: 1 }),
    });
    const uri = vscode.Uri.joinPath(folder, `bench-paced-${i}.prompt`);
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(
        `---\nmodel: anthropic.claude-3-haiku-20240307-v1:0\nconfig:\n  maxOutputTokens: 1000\n---\n[[tokens=${PACED_TOKENS} paragraphs=60]]\n`,
      ),
    );
    await openAndSettle(uri);
    const result = (await vscode.commands.executeCommand('bedrockPromptLab.run', { uri: uri.toString() })) as RunResult;
    if (result.status !== 'complete') throw new Error(`paced run ended ${result.status}`);
    paced.push(...(result.editDelaysMs ?? []));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
  paced.sort((a, b) => a - b);
  const pacedP99 = paced[Math.min(paced.length - 1, Math.floor(paced.length * 0.99))] ?? 0;
  console.log(
    `BENCH ${JSON.stringify({ shapes, tokens: TOKENS, paced: { tokens: PACED_TOKENS, edits: paced.length, p50: paced[Math.floor(paced.length / 2)] ?? 0, p99: pacedP99, max: paced.at(-1) ?? 0 } })}`,
  );
}

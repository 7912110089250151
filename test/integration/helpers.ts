import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'bedrock-prompt-lab.bedrock-prompt-lab';

export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in the test host`);
  return ext.activate();
}

export function emulatorUrl(): string {
  const url = process.env.BPL_EMULATOR_URL;
  if (!url) throw new Error('BPL_EMULATOR_URL is not set: run the integration tests through npm run test:integration');
  return url;
}

/** Talks to the emulator's test-control endpoint (it runs in the test runner's process). */
export const emulator = {
  async addFault(rule: unknown): Promise<void> {
    const res = await fetch(`${emulatorUrl()}/__emulator/faults`, { method: 'POST', body: JSON.stringify(rule) });
    if (!res.ok) throw new Error(`adding a fault failed: ${res.status}`);
  },
  async clearFaults(): Promise<void> {
    await fetch(`${emulatorUrl()}/__emulator/faults`, { method: 'DELETE' });
  },
  async requests(): Promise<
    { operation: string; modelId?: string; body?: unknown; httpVersion: string; auth: 'sigv4' | 'bearer' | 'none' }[]
  > {
    const res = await fetch(`${emulatorUrl()}/__emulator/requests`);
    return ((await res.json()) as { requests: never[] }).requests;
  },
};

export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export { waitFor } from '../support/waitFor';

/**
 * Runs `act` with VS Code's quick picks answered as a user would: the n-th pick gets the item labelled
 * `answers[n]` (none there: dismissed). What each pick offered and said is kept for the test to check.
 */
export async function answeringQuickPicks<T>(
  answers: readonly string[],
  act: () => Thenable<T>,
): Promise<{ result: T; asked: { labels: string[]; title?: string; placeHolder?: string }[] }> {
  const window = vscode.window as { showQuickPick: typeof vscode.window.showQuickPick };
  const original = window.showQuickPick;
  const asked: { labels: string[]; title?: string; placeHolder?: string }[] = [];
  window.showQuickPick = (async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    const list = await items;
    asked.push({ labels: list.map((i) => i.label), title: options?.title, placeHolder: options?.placeHolder });
    return list.find((i) => i.label === answers[asked.length - 1]);
  }) as unknown as typeof window.showQuickPick;
  try {
    return { result: await act(), asked };
  } finally {
    window.showQuickPick = original;
  }
}

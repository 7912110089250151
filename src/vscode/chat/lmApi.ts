// The part of VS Code 1.104's language model provider API this extension uses. `engines.vscode` stays
// at 1.100 (and @types/vscode with it), so the types are declared here and the API is looked up at run
// time: an older VS Code simply has no `lm.registerLanguageModelChatProvider`.
import type vscode from 'vscode';

export interface LanguageModelChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

export interface LanguageModelChatProvider<T extends LanguageModelChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(
    options: { readonly silent: boolean },
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly { role: number; content: readonly unknown[] }[],
    options: object,
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(
    model: T,
    text: string | { role: number; content: readonly unknown[] },
    token: vscode.CancellationToken,
  ): Thenable<number>;
}

export type LmWithProviders = typeof vscode.lm & {
  registerLanguageModelChatProvider?: (
    vendor: string,
    provider: LanguageModelChatProvider<LanguageModelChatInformation>,
  ) => vscode.Disposable;
};

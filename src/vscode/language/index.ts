import vscode = require('vscode');
import type { CatalogueService } from '../host/catalogueService';
import { PromptCompletionProvider } from './completion';
import { registerDiagnostics } from './diagnostics';
import { PromptFoldingProvider } from './folding';
import { PromptHoverProvider } from './hover';
import { PROMPT_SELECTOR, type PromptAnalyses } from './promptAnalyses';

/** Everything the dotprompt language gets: diagnostics, completion, hover, folding. */
export function registerPromptLanguage(analyses: PromptAnalyses, catalogue: CatalogueService): vscode.Disposable {
  return vscode.Disposable.from(
    registerDiagnostics(analyses, catalogue.onDidChange),
    vscode.languages.registerCompletionItemProvider(
      PROMPT_SELECTOR,
      new PromptCompletionProvider(analyses, catalogue),
      ...PromptCompletionProvider.triggers,
    ),
    vscode.languages.registerHoverProvider(PROMPT_SELECTOR, new PromptHoverProvider(analyses, catalogue)),
    vscode.languages.registerFoldingRangeProvider(PROMPT_SELECTOR, new PromptFoldingProvider(analyses)),
  );
}

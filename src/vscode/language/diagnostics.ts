import vscode = require('vscode');
import type { Severity } from '../../core/format/document';
import type { PromptAnalyses } from './promptAnalyses';
import { toVsRange } from './promptAnalyses';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Diagnostics as you type (debounced), and again when the catalogue changes. */
export function registerDiagnostics(
  analyses: PromptAnalyses,
  onCatalogueChange: vscode.Event<unknown>,
): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('bedrockPromptLab');
  const timers = new Map<string, NodeJS.Timeout>();

  const update = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'dotprompt') return;
    const analysis = analyses.get(doc);
    collection.set(
      doc.uri,
      analysis.problems.map((p) => {
        const d = new vscode.Diagnostic(toVsRange(p.range), p.message, SEVERITY[p.severity]);
        d.source = 'Bedrock Prompt Lab';
        d.code = p.code;
        return d;
      }),
    );
    analyses.markPublished(doc);
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        update(doc);
      }, 150),
    );
  };

  vscode.workspace.textDocuments.forEach(update);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      collection.delete(doc.uri);
      analyses.forget(doc.uri);
    }),
    onCatalogueChange(() => {
      analyses.invalidate();
      vscode.workspace.textDocuments.forEach(update);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}

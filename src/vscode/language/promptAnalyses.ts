import vscode = require('vscode');
import type { AnalyzeContext, PromptAnalysis } from '../../core/format/analyze';
import { promptEngine } from '../../core/format/loadEngine';
import { diskAnalysisContext } from '../../core/io/promptFiles';
import { confinementRoot } from '../host/promptFiles';
import type { Range } from '../../core/format/document';
import type { CatalogueService } from '../host/catalogueService';

export const PROMPT_SELECTOR: vscode.DocumentSelector = { language: 'dotprompt' };

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * The analysis of each open .prompt document, computed once per document version and catalogue,
 * shared by diagnostics, completion, hover and CodeLens.
 */
export class PromptAnalyses {
  private readonly cache = new Map<string, { version: number; generation: number; analysis: PromptAnalysis }>();
  private generation = 0;
  /** The document version whose diagnostics are on screen, per URI (tests wait on it instead of sleeping). */
  private readonly published = new Map<string, number>();

  constructor(private readonly catalogue: CatalogueService) {}

  markPublished(doc: vscode.TextDocument): void {
    this.published.set(doc.uri.toString(), doc.version);
  }

  publishedVersion(uri: vscode.Uri): number | undefined {
    return this.published.get(uri.toString());
  }

  /** Call when the catalogue changes: analyses that depend on it are recomputed on next use. */
  invalidate(): void {
    this.generation++;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
    this.published.delete(uri.toString());
  }

  get(doc: vscode.TextDocument): PromptAnalysis {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit.analysis;
    const analysis = promptEngine().analyzePrompt(doc.getText(), this.context(doc));
    this.cache.set(key, { version: doc.version, generation: this.generation, analysis });
    return analysis;
  }

  /** Another text (a proposed rewrite) analysed as if it were this document's (its partials, its files). */
  analyzeText(doc: vscode.TextDocument, text: string): PromptAnalysis {
    return promptEngine().analyzePrompt(text, this.context(doc));
  }

  private context(doc: vscode.TextDocument): AnalyzeContext {
    const ctx: AnalyzeContext = { catalogue: this.catalogue.current };
    if (doc.uri.scheme !== 'file') return ctx;
    Object.assign(ctx, diskAnalysisContext(doc.uri.fsPath, confinementRoot(doc.uri)));
    return ctx;
  }
}

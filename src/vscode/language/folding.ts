import vscode = require('vscode');
import { splitPrompt } from '../../core/format/document';
import type { PromptAnalyses } from './promptAnalyses';

/** Folds the frontmatter and each role section (up to the next role marker). */
export class PromptFoldingProvider implements vscode.FoldingRangeProvider {
  constructor(private readonly analyses: PromptAnalyses) {}

  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    const ranges: vscode.FoldingRange[] = [];
    const source = splitPrompt(doc.getText());
    if (source.frontmatter?.closed) {
      const end = doc.positionAt(source.bodyStart).line - 1;
      if (end > 0) ranges.push(new vscode.FoldingRange(0, end, vscode.FoldingRangeKind.Region));
    }
    const roles = this.analyses.get(doc).roles;
    roles.forEach((r, i) => {
      const start = r.range.start.line;
      let end = (i + 1 < roles.length ? roles[i + 1].range.start.line : doc.lineCount) - 1;
      while (end > start && doc.lineAt(end).isEmptyOrWhitespace) end--;
      if (end > start) ranges.push(new vscode.FoldingRange(start, end));
    });
    return ranges;
  }
}

// The editor's diagnostics for .prompt files on disk, without an editor: the same analysis (src/core/format),
// with media and partials judged against the same root. Offline: model ids are not checked against an
// account's catalogue (the editor does that once it has listed the models).
import type { Problem } from '../core/format/document';
import { promptEngine } from '../core/format/loadEngine';
import { diskAnalysisContext } from '../core/io/promptFiles';

export interface CheckedFile {
  /** The path as given back to the user (relative to the root when inside it). */
  path: string;
  problems: Problem[];
}

export function checkPromptText(text: string, absolutePath: string, root: string): Problem[] {
  return promptEngine().analyzePrompt(text, diskAnalysisContext(absolutePath, root)).problems;
}

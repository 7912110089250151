// The editor's diagnostics for .prompt and .tests.yaml files on disk, without an editor: the same analysis
// (src/core/format), with media and partials judged against the same root. Offline: model ids are not
// checked against an account's catalogue (the editor does that once it has listed the models).
import path from 'node:path';
import type { Problem } from '../core/format/document';
import { promptEngine } from '../core/format/loadEngine';
import { parseTestFile } from '../core/format/testCases';
import { isTestsFilePath, promptPathFor } from '../core/format/testFiles';
import { diskAnalysisContext } from '../core/io/promptFiles';

export interface CheckedFile {
  /** The path as given back to the user (relative to the root when inside it). */
  path: string;
  problems: Problem[];
}

export function checkPromptText(text: string, absolutePath: string, root: string): Problem[] {
  return promptEngine().analyzePrompt(text, diskAnalysisContext(absolutePath, root)).problems;
}

/** A tests file's problems, as the Testing view's diagnostics show them; and its prompt must be beside it. */
export function checkTestsText(text: string, absolutePath: string, exists: (p: string) => boolean): Problem[] {
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  const problems: Problem[] = parseTestFile(text).problems.map((p) => ({
    severity: 'error',
    code: 'tests-file',
    message: p.message,
    range: at(p.line),
  }));
  const prompt = promptPathFor(absolutePath);
  if (!exists(prompt))
    problems.unshift({
      severity: 'error',
      code: 'tests-without-prompt',
      message: `Its prompt ${path.basename(prompt)} is not beside it: tests run the prompt of the same name.`,
      range: at(0),
    });
  return problems;
}

/** A prompt or a tests file, by its name. */
export function checkFileText(
  text: string,
  absolutePath: string,
  root: string,
  exists: (p: string) => boolean,
): Problem[] {
  return isTestsFilePath(absolutePath)
    ? checkTestsText(text, absolutePath, exists)
    : checkPromptText(text, absolutePath, root);
}

import { existsSync } from 'node:fs';
import { inputNames } from '../../core/format/inputs';
import path from 'node:path';
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { testsPathFor } from '../../core/format/testFiles';

/** Opens `<name>.tests.yaml` beside the prompt, creating it with a first case built from the prompt's inputs. */
export async function newPromptTests(analyses: PromptAnalyses, arg?: vscode.Uri): Promise<vscode.Uri> {
  const promptUri = arg ?? vscode.window.activeTextEditor?.document.uri;
  if (!promptUri || !promptUri.path.endsWith('.prompt'))
    throw new BedrockError('PromptInvalid', 'Open a .prompt file to add tests to it.');
  const testsUri = vscode.Uri.file(testsPathFor(promptUri.fsPath, existsSync));
  const exists = await vscode.workspace.fs.stat(testsUri).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const analysis = analyses.get(await vscode.workspace.openTextDocument(promptUri));
    const defaults = ((analysis.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default ??
      {}) as Record<string, unknown>;
    const names = inputNames(analysis);
    const input = names.length
      ? names.map((n) => `      ${n}: ${JSON.stringify(defaults[n] ?? `example ${n}`)}`).join('\n')
      : '      {}';
    const text = [
      `# Test cases for ${path.basename(promptUri.fsPath)}: they appear in the Testing view.`,
      '# Assertions: contains, notContains, regex, equals, json, schema, maxLatencyMs, maxCostUsd,',
      '# maxOutputTokens, rubric (graded by the `judge` model). See docs/prompt-tests.md.',
      '# judge: amazon.nova-lite-v1:0',
      'cases:',
      '  - name: first case',
      '    input:',
      input,
      '    assert:',
      '      - notContains: "I cannot"',
      '      - maxLatencyMs: 10000',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(testsUri, Buffer.from(text));
  }
  await vscode.window.showTextDocument(testsUri);
  return testsUri;
}

// `prompt-lab check [paths…]`: the editor's diagnostics, offline, as text, JSON or SARIF (for code
// scanning). Exit 2 when a prompt has an error (it would not run); warnings are printed and pass.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { checkFileText, type CheckedFile } from '../app/checkPrompts';
import { isTestsFilePath } from '../core/format/testFiles';
import { BedrockError } from '../core/shared/bedrockError';
import { decodeText } from '../core/io/readText';
import type { Problem } from '../core/format/document';
import { isInside } from '../core/io/promptFiles';
import { EXIT } from './exitCodes';
import { cliRoot } from './runCommand';
import { filesUnder, type FileSearch } from './filesUnder';

export type CheckFormat = 'text' | 'json' | 'sarif';

/** What `check` (and the MCP server's check_prompts) looks at in a folder: prompts and their tests. */
export const CHECKED_FILES: FileSearch = {
  matches: (name) => name.endsWith('.prompt') || isTestsFilePath(name),
  what: '.prompt and .tests.yaml files or folders that hold them',
};

export async function checkFiles(files: string[], root: string): Promise<CheckedFile[]> {
  const out: CheckedFile[] = [];
  for (const file of files) {
    const shown = isInside(root, file) ? path.relative(root, file) : file;
    let text: string;
    try {
      text = decodeText(await fs.readFile(file));
    } catch (err) {
      const problem: Problem = {
        severity: 'error',
        code: 'unreadable',
        message: `cannot be read: ${(err as Error).message}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      };
      out.push({ path: shown, problems: [problem] });
      continue;
    }
    // The same folder a run would confine the prompt's media and partials to.
    out.push({ path: shown, problems: checkFileText(text, file, cliRoot(file, root), existsSync) });
  }
  return out;
}

const CHECK_RESULT_VERSION = 1;

/** The JSON result (`--format json`): versioned; lines and columns count from 1. */
export function checkJson(files: CheckedFile[]): object {
  return {
    version: CHECK_RESULT_VERSION,
    files: files.map((f) => ({
      path: f.path,
      problems: f.problems.map((p) => ({
        severity: p.severity,
        code: p.code,
        message: p.message,
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        endLine: p.range.end.line + 1,
        endColumn: p.range.end.character + 1,
      })),
    })),
  };
}

/** SARIF 2.1.0, the format code scanning (GitHub, Azure DevOps) reads. */
export function checkSarif(files: CheckedFile[], version: string): object {
  const rules = [...new Set(files.flatMap((f) => f.problems.map((p) => p.code)))].sort();
  const level = (s: Problem['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'prompt-lab',
            version,
            informationUri: 'https://github.com/bedrock-prompt-lab/bedrock-prompt-lab/blob/main/docs/cli.md',
            rules: rules.map((id) => ({ id })),
          },
        },
        results: files.flatMap((f) =>
          f.problems.map((p) => ({
            ruleId: p.code,
            ruleIndex: rules.indexOf(p.code),
            level: level(p.severity),
            message: { text: p.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.path.split(path.sep).join('/') },
                  region: {
                    startLine: p.range.start.line + 1,
                    startColumn: p.range.start.character + 1,
                    endLine: p.range.end.line + 1,
                    endColumn: p.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}

/** `path:line:col: severity: message [code]`, the shape editors and CI logs link. */
export function checkText(files: CheckedFile[]): string {
  return files
    .flatMap((f) =>
      f.problems.map(
        (p) =>
          `${f.path}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message} [${p.code}]\n`,
      ),
    )
    .join('');
}

export async function checkCommand(
  paths: string[],
  format: CheckFormat,
  version: string,
  quiet: boolean,
): Promise<number> {
  const root = process.cwd();
  const files = await filesUnder(paths.length > 0 ? paths : ['.'], CHECKED_FILES);
  if (files.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      'No .prompt or .tests.yaml files there: give files or folders that hold them.',
    );
  const checked = await checkFiles(files, root);
  if (format === 'json') process.stdout.write(`${JSON.stringify(checkJson(checked), null, 2)}\n`);
  else if (format === 'sarif') process.stdout.write(`${JSON.stringify(checkSarif(checked, version), null, 2)}\n`);
  else process.stdout.write(checkText(checked));
  const count = (s: Problem['severity']) =>
    checked.reduce((n, f) => n + f.problems.filter((p) => p.severity === s).length, 0);
  const errors = count('error');
  if (!quiet)
    process.stderr.write(
      `${checked.length} file${checked.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}\n`,
    );
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

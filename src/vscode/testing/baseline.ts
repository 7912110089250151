// The baseline in the editor: the saved test result (bedrockPromptLab.tests.baseline, relative to each
// workspace folder; `.prompt-lab/baseline.json` by default, where `prompt-lab baseline save` keeps it) that
// runs in the Testing view are compared with. Reading, the path rule and saving live here; the comparison
// and the gate are app/baseline.ts, shared with `prompt-lab test --baseline`.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import vscode = require('vscode');
import { baselineFrom, type Baseline } from '../../app/baseline';
import { mergeResults } from '../../app/testResult';
import { promptEngine } from '../../core/format/loadEngine';
import type { TestResult } from '../../core/format/testResult';
import { isInside, OUTSIDE, requireInside } from '../../core/io/promptFiles';
import { writeFileAtomically } from '../../core/shared/atomicWrite';
import { BedrockError } from '../../core/shared/bedrockError';
import { config } from '../host/config';

export interface BaselineFile {
  /** Absolute path. */
  file: string;
  /** As the user reads it (relative to the workspace). */
  shown: string;
  /** The workspace folder it must stay in. */
  root: string;
}

/**
 * Where a folder's baseline is, or undefined when the setting is empty. The file stays inside the
 * workspace folder: a workspace's settings cannot point the editor at a file elsewhere to read or overwrite.
 */
export function baselineFileFor(folder: vscode.WorkspaceFolder): BaselineFile | undefined {
  const setting = config.testsBaseline(folder.uri);
  if (!setting) return undefined;
  const file = path.resolve(folder.uri.fsPath, setting);
  if (!isInside(folder.uri.fsPath, file))
    throw new BedrockError(
      'PromptInvalid',
      `bedrockPromptLab.tests.baseline (${setting}) is outside the workspace folder ${folder.name}: give a path inside it, such as .prompt-lab/baseline.json.`,
    );
  return { file, shown: vscode.workspace.asRelativePath(file), root: folder.uri.fsPath };
}

/** By its real path too: a symlink inside the folder must not lead the baseline to a file elsewhere. */
async function confined(where: BaselineFile, target: string): Promise<void> {
  await requireInside(where.root, target, where.shown).catch((err: Error) => {
    throw err.name === OUTSIDE
      ? new BedrockError(
          'PromptInvalid',
          `The test baseline ${where.shown} leads outside the workspace folder (a symbolic link): keep it in a real folder inside the workspace.`,
        )
      : err;
  });
}

/** The saved result, or undefined when there is none yet; a file that is not a result says so. */
export async function readBaselineResult(where: BaselineFile): Promise<TestResult | undefined> {
  if (!existsSync(where.file)) return undefined;
  await confined(where, where.file);
  return promptEngine().readTestResult(await fs.readFile(where.file, 'utf8'), where.shown);
}

export async function readBaseline(where: BaselineFile): Promise<Baseline | undefined> {
  const result = await readBaselineResult(where);
  return result && baselineFrom(result);
}

/** Keeps `result` as the baseline, over the cases it did not run; written whole or not at all. */
export async function saveBaselineResult(where: BaselineFile, result: TestResult): Promise<TestResult> {
  const older = await readBaselineResult(where).catch(() => undefined); // a broken baseline is replaced
  const merged = older ? mergeResults(older, result) : result;
  await fs.mkdir(path.dirname(where.file), { recursive: true });
  await confined(where, path.dirname(where.file));
  await writeFileAtomically(where.file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

// Baseline files in a terminal: read for `prompt-lab test --baseline`, kept by `prompt-lab baseline save`.
// The saved file is the JSON result's own shape (docs/test-result.schema.json), so a result kept from CI
// can be the baseline as it is; the comparison itself is app/baseline.ts, shared with the editor.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BedrockError } from '../core/shared/bedrockError';
import { promptEngine } from '../core/format/loadEngine';
import { EXIT } from './exitCodes';
import { baselineFrom, type Baseline } from '../app/baseline';

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new BedrockError(
      'PromptInvalid',
      `--baseline ${file}: ${(err as Error).message}. Save one with \`prompt-lab baseline save\` (or keep a --reporter json result).`,
    );
  }
  return baselineFrom(promptEngine().readTestResult(text, `--baseline ${file}`));
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** `prompt-lab baseline save`: the result checked (a version-1 test result) and kept, written whole or not at all. */
export async function saveBaseline(result: string, output: string): Promise<number> {
  const baseline = await readBaseline(result);
  await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
  const tmp = `${output}.${process.pid}.tmp`;
  await fs.copyFile(result, tmp);
  await fs.rename(tmp, output);
  process.stderr.write(
    `baseline: ${baseline.cases.length} cases, pass rate ${pct(baseline.passRate)}, kept in ${output}\n`,
  );
  return EXIT.ok;
}

// Baselines: a saved test result (`prompt-lab baseline save`) that a later run is compared with
// (`prompt-lab test --baseline file --max-regression r`): cases that passed and now fail, and the drop in
// the pass rate. The saved file is the JSON result's own shape (docs/test-result.schema.json), so a result
// kept from CI can be the baseline as it is.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BedrockError } from '../core/shared/bedrockError';
import { promptEngine } from '../core/format/loadEngine';
import { EXIT } from './exitCodes';
import type { CaseEntry, TestSummary } from './testReporters';

export interface BaselineCase {
  id: string;
  state: string;
}

export interface Baseline {
  summary: Pick<TestSummary, 'passRate'>;
  cases: BaselineCase[];
}

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
  const result = promptEngine().readTestResult(text, `--baseline ${file}`);
  return {
    summary: { passRate: result.summary.passRate },
    cases: result.cases.map((c) => ({ id: c.id, state: c.state })),
  };
}

export interface Comparison {
  /** Passed in the baseline, failed or errored now. */
  newlyFailing: string[];
  /** Failed or errored in the baseline, passed now. */
  newlyPassing: string[];
  /** Now minus then, in points of a rate (−0.1: ten points lower). */
  passRateChange: number;
  before: number;
  after: number;
}

export function compareWithBaseline(baseline: Baseline, cases: CaseEntry[], summary: TestSummary): Comparison {
  const then = new Map(baseline.cases.map((c) => [c.id, c.state]));
  const bad = (s: string | undefined) => s === 'failed' || s === 'errored';
  return {
    newlyFailing: cases.filter((c) => then.get(c.id) === 'passed' && bad(c.report.state)).map((c) => c.id),
    newlyPassing: cases.filter((c) => bad(then.get(c.id)) && c.report.state === 'passed').map((c) => c.id),
    passRateChange: summary.passRate - baseline.summary.passRate,
    before: baseline.summary.passRate,
    after: summary.passRate,
  };
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** The comparison as Markdown: printed on stderr, and added to a GitHub job's summary when there is one. */
export function comparisonMarkdown(c: Comparison): string {
  const change = c.passRateChange * 100;
  const lines = [
    `### prompt-lab: against the baseline`,
    '',
    `Pass rate ${pct(c.before)} → ${pct(c.after)} (${change >= 0 ? '+' : ''}${change.toFixed(1)} points)`,
  ];
  if (c.newlyFailing.length > 0) lines.push('', '**Newly failing**', ...c.newlyFailing.map((id) => `- ${id}`));
  if (c.newlyPassing.length > 0) lines.push('', '**Newly passing**', ...c.newlyPassing.map((id) => `- ${id}`));
  return `${lines.join('\n')}\n`;
}

/** Why the comparison fails the run, or undefined: a drop of more than `maxRegression` points, or (at 0) any case newly failing. */
export function regressionProblem(c: Comparison, maxRegression: number): string | undefined {
  if (-c.passRateChange > maxRegression + 1e-9)
    return `the pass rate fell from ${pct(c.before)} to ${pct(c.after)}, more than --max-regression ${pct(maxRegression)}`;
  if (maxRegression === 0 && c.newlyFailing.length > 0)
    return `${c.newlyFailing.length} case${c.newlyFailing.length > 1 ? 's' : ''} passed in the baseline and fail now (first: ${c.newlyFailing[0]})`;
  return undefined;
}

/** `prompt-lab baseline save`: the result checked (a version-1 test result) and kept, written whole or not at all. */
export async function saveBaseline(result: string, output: string): Promise<number> {
  const baseline = await readBaseline(result);
  await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
  const tmp = `${output}.${process.pid}.tmp`;
  await fs.copyFile(result, tmp);
  await fs.rename(tmp, output);
  process.stderr.write(
    `baseline: ${baseline.cases.length} cases, pass rate ${pct(baseline.summary.passRate)}, kept in ${output}\n`,
  );
  return EXIT.ok;
}

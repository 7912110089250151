// Baselines: a saved test result that a later run is compared with, in a terminal (`prompt-lab test
// --baseline file --max-regression r`) and in the editor's Testing view (the
// bedrockPromptLab.tests.baseline file). The comparison and the gate are here, once: cases that passed
// and now fail, cases that failed and now pass, and the change in the pass rate.
import type { CaseState, TestResult } from '../core/format/testResult';
import { remedies } from '../core/shared/remedies';

export interface BaselineCase {
  /** `<tests file, relative to the root>#<case name>`. */
  id: string;
  state: CaseState;
}

export interface Baseline {
  passRate: number;
  cases: BaselineCase[];
}

export function baselineFrom(result: TestResult): Baseline {
  return { passRate: result.summary.passRate, cases: result.cases.map((c) => ({ id: c.id, state: c.state })) };
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

const bad = (s: CaseState | undefined) => s === 'failed' || s === 'errored';

/** Whether a case that ran now counts as a regression against the baseline. */
export function regressed(baseline: Baseline, id: string, now: CaseState): boolean {
  return bad(now) && baseline.cases.some((c) => c.id === id && c.state === 'passed');
}

/**
 * The run compared with the baseline. With `sameCasesOnly` (what both front ends use) both rates are taken
 * over the cases that ran and are in the baseline: running some files, or three cases from the Testing
 * view, does not read as a drop, and a new case is not a regression (a pass-rate floor judges those).
 * Without it, the baseline's rate as saved against `passRate`.
 */
export function compareWithBaseline(
  baseline: Baseline,
  now: { id: string; state: CaseState }[],
  opts: { passRate?: number; sameCasesOnly?: boolean } = {},
): Comparison {
  const then = new Map(baseline.cases.map((c) => [c.id, c.state]));
  const rate = (states: (CaseState | undefined)[]) => {
    const ran = states.filter((s) => s !== undefined && s !== 'skipped');
    return ran.length === 0 ? 1 : ran.filter((s) => s === 'passed').length / ran.length;
  };
  const shared = now.filter((c) => then.has(c.id) && c.state !== 'skipped' && then.get(c.id) !== 'skipped');
  const before = opts.sameCasesOnly ? rate(shared.map((c) => then.get(c.id))) : baseline.passRate;
  const after = opts.sameCasesOnly
    ? rate(shared.map((c) => c.state))
    : (opts.passRate ?? rate(now.map((c) => c.state)));
  return {
    newlyFailing: now.filter((c) => then.get(c.id) === 'passed' && bad(c.state)).map((c) => c.id),
    newlyPassing: now.filter((c) => bad(then.get(c.id)) && c.state === 'passed').map((c) => c.id),
    passRateChange: after - before,
    before,
    after,
  };
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** The comparison as Markdown: on stderr and a GitHub job's summary, and in the Testing view's output. */
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
    return `the pass rate fell from ${pct(c.before)} to ${pct(c.after)}, more than ${remedies().maxRegression} ${pct(maxRegression)}`;
  if (maxRegression === 0 && c.newlyFailing.length > 0)
    return `${c.newlyFailing.length} case${c.newlyFailing.length > 1 ? 's' : ''} passed in the baseline and fail now (first: ${c.newlyFailing[0]})`;
  return undefined;
}

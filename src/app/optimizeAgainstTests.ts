// Optimize against the tests (issue 23, part 1), once for the editor and `prompt-lab optimize`: a chosen
// model proposes rewrites of a prompt's template (src/core/format/promptRewrite.ts); each rewrite runs
// on a training share of the prompt's test cases through the same per-case runner as the Testing view
// (runTestCase), and the best is checked, with the prompt as it is, on the held-out share, so a gain
// that only fits the training cases shows as such. Every round reports its scores and cost; cancelling
// keeps the best so far. Nothing is written here: the front end shows the winner in a diff.
//
// A case's score is the share of its assertions that pass (an errored case scores 0), so a rewrite that
// fixes one of two failing assertions counts; a run's score is the mean over its cases.
import { createHash } from 'node:crypto';
import { AdaptiveLimiter } from '../core/bedrock/adaptiveLimiter';
import { callCost, converseOnce } from '../core/bedrock/invoke';
import type { PromptAnalysis } from '../core/format/analyze';
import { promptEngine } from '../core/format/loadEngine';
import { normalizeModelRef } from '../core/models/modelRef';
import { proposedRewrites, REWRITE_TOOL, rewriteRequest, type FailedCase } from '../core/format/promptRewrite';
import type { PromptTestFile, TestCase } from '../core/format/testCases';
import { BedrockError } from '../core/shared/bedrockError';
import { formatUsd } from '../core/shared/money';
import { forEachBounded } from '../core/shared/pool';
import type { Host, PromptSource } from './host';
import { retrieverFor } from './retrieval';
import { compilePromptText } from './runPrompt';
import { runTestCase, type CaseReport } from './runTests';

export interface OptimizeOptions {
  /** The model that proposes the rewrites (one with tool use). */
  model: string;
  /** Rounds of proposals at most (1 to 10). */
  rounds: number;
  /** Rewrites asked for in each round (1 to 5). */
  candidates: number;
  /** The share of the cases held out to check the winner (0 to 0.5; 0: none held out). */
  validationSplit: number;
  /** Stop starting rounds once this much has been spent (proposals, cases and the judge). */
  budgetUsd?: number;
  /** Cases at once. */
  concurrency: number;
  /** Run the cases on this model instead of the tests file's or the prompt's. */
  modelOverride?: string;
  signal: AbortSignal;
  /** What is happening now, for a progress line. */
  progress?: (message: string) => void;
  /** Each finished round (round 0: the prompt as it is). */
  onRound?: (round: OptimizeRound) => void;
}

export interface Score {
  /** Mean over the cases of the share of assertions that pass (0 to 1). */
  score: number;
  passed: number;
  cases: number;
  costUsd: number;
}

export interface ScoredCandidate {
  rationale: string;
  train?: Score;
  /** Why it was not scored (the run was stopped part way). */
  note?: string;
}

export interface OptimizeRound {
  round: number;
  candidates: ScoredCandidate[];
  /** Proposals dropped before scoring, each with the reason. */
  dropped: string[];
  /** The best training score so far, and the round that reached it (0: the prompt as it is). */
  best: { score: number; round: number };
  spentUsd: number;
}

export type OptimizeEnd = 'rounds' | 'perfect' | 'budget' | 'cancelled' | 'failed';

export interface OptimizeResult {
  split: { training: string[]; validation: string[] };
  original: { train: Score; validation?: Score };
  /** The best rewrite, when one beat the prompt on the training cases. */
  best?: { text: string; rationale: string; round: number; train: Score; validation?: Score };
  rounds: OptimizeRound[];
  spentUsd: number;
  ended: OptimizeEnd;
  /** How the best rewrite did on the held-out cases against the prompt as it is (unchecked: none held out, or stopped). */
  heldOut: 'holds' | 'even' | 'worse' | 'unchecked';
  /** What the evidence says, in one or two sentences (the same words in the editor and the CLI). */
  conclusion: string;
}

/** The cases held out: a stable choice by a hash of each name, so a rerun holds out the same ones. */
export function heldOutSplit(
  cases: readonly TestCase[],
  share: number,
): { training: TestCase[]; validation: TestCase[] } {
  if (!(share >= 0 && share <= 0.5))
    throw new BedrockError('Validation', `The validation split is a share from 0 to 0.5 (not ${share}).`);
  if (share === 0) return { training: [...cases], validation: [] };
  if (cases.length < 2)
    throw new BedrockError(
      'Validation',
      `Holding cases out needs at least 2 test cases (this file has ${cases.length}): add cases (Generate Test Cases…), or set the validation split to 0.`,
    );
  const rank = (c: TestCase) => createHash('sha1').update(c.name).digest('hex');
  const ordered = [...cases].sort((a, b) => rank(a).localeCompare(rank(b)));
  const held = Math.min(cases.length - 1, Math.max(1, Math.round(cases.length * share)));
  const validation = new Set(ordered.slice(0, held));
  return { training: cases.filter((c) => !validation.has(c)), validation: cases.filter((c) => validation.has(c)) };
}

/** A case's score: the share of its assertions that pass; an errored case scores 0. */
function caseScore(r: CaseReport): number {
  if (r.state === 'passed') return 1;
  const results = r.results ?? [];
  return results.length ? results.filter((a) => a.pass).length / results.length : 0;
}

function checkOptions(opts: OptimizeOptions): void {
  const whole = (v: number, lo: number, hi: number, what: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new BedrockError('Validation', `${what} is a whole number from ${lo} to ${hi} (not ${v}).`);
  };
  whole(opts.rounds, 1, 10, 'The number of rounds');
  whole(opts.candidates, 1, 5, 'The number of rewrites a round');
  whole(opts.concurrency, 1, 64, 'The concurrency');
  if (opts.budgetUsd !== undefined && !(opts.budgetUsd > 0))
    throw new BedrockError('Validation', `The budget is an amount in USD above 0 (not ${opts.budgetUsd}).`);
}

export async function optimizeAgainstTests(
  host: Host,
  prompt: PromptSource & { name: string; analyze: (text: string) => PromptAnalysis },
  tests: PromptTestFile,
  opts: OptimizeOptions,
): Promise<OptimizeResult> {
  checkOptions(opts);
  if (tests.problems.length)
    throw new BedrockError(
      'PromptInvalid',
      `The tests file has problems (line ${tests.problems[0].line + 1}: ${tests.problems[0].message}): fix them first.`,
    );
  if (!prompt.analysis.templateParsed)
    throw new BedrockError('PromptInvalid', `${prompt.name} does not parse: fix it before optimizing it.`);
  if (tests.cases.length === 0)
    throw new BedrockError(
      'Validation',
      `${prompt.name} has no test cases: write some (or Generate Test Cases…) first.`,
    );
  const split = heldOutSplit(tests.cases, opts.validationSplit);
  // Rewrites replace the template of the prompt without a run's answer appended at its end (Run again
  // would replace that answer too).
  const asIs = promptEngine().promptTextForRun(prompt.text);
  const proposer = normalizeModelRef(opts.model).modelId;
  const limiter = new AdaptiveLimiter({ maxConcurrency: opts.concurrency });
  let spent = 0;

  /** Runs the cases on a version of the prompt; undefined when the run was stopped part way. */
  const score = async (text: string, analysis: PromptAnalysis, cases: readonly TestCase[]) => {
    let compiled: ReturnType<typeof compilePromptText> | undefined;
    const render = async (input: Record<string, unknown>) =>
      (await (compiled ??= compilePromptText(text, prompt.files, retrieverFor(host))))(input);
    const reports: CaseReport[] = new Array(cases.length);
    await forEachBounded(
      cases.map((c, i) => [c, i] as const),
      opts.concurrency,
      async ([testCase, i]) => {
        reports[i] = await runTestCase(
          host,
          { testCase, file: tests, analysis, render, promptName: prompt.name },
          { limiter, signal: opts.signal, modelOverride: opts.modelOverride },
        );
      },
    );
    const costUsd = reports.reduce((a, r) => a + (r.costUsd ?? 0) + (r.judgeCostUsd ?? 0), 0);
    spent += costUsd;
    if (opts.signal.aborted || reports.some((r) => r.state === 'skipped')) return undefined;
    const result: Score = {
      score: reports.reduce((a, r) => a + caseScore(r), 0) / (reports.length || 1),
      passed: reports.filter((r) => r.state === 'passed').length,
      cases: reports.length,
      costUsd,
    };
    const failures: FailedCase[] = reports.flatMap((r, i) =>
      r.state === 'passed' ? [] : [{ name: cases[i].name, input: cases[i].input, messages: r.messages }],
    );
    return { result, failures };
  };

  opts.progress?.(`scoring ${prompt.name} as it is on ${split.training.length} training case(s)`);
  const first = await score(asIs, prompt.analysis, split.training);
  if (!first) throw new BedrockError('Cancelled', 'Stopped before the prompt as it is was scored: nothing to compare.');
  const originalTrain = first.result;
  const rounds: OptimizeRound[] = [
    {
      round: 0,
      candidates: [{ rationale: 'the prompt as it is', train: originalTrain }],
      dropped: [],
      best: { score: originalTrain.score, round: 0 },
      spentUsd: spent,
    },
  ];
  opts.onRound?.(rounds[0]);

  let best = {
    text: asIs,
    analysis: prompt.analysis,
    rationale: 'the prompt as it is',
    round: 0,
    train: originalTrain,
    failures: first.failures,
  };
  const attempts: { score: number; rationale: string }[] = [];
  let ended: OptimizeEnd = 'rounds';
  let failure: string | undefined;
  for (let round = 1; round <= opts.rounds; round++) {
    if (best.train.score >= 1) {
      ended = 'perfect';
      break;
    }
    if (opts.budgetUsd !== undefined && spent >= opts.budgetUsd) {
      ended = 'budget';
      break;
    }
    if (opts.signal.aborted) {
      ended = 'cancelled';
      break;
    }
    opts.progress?.(`round ${round}/${opts.rounds}: asking ${proposer} for ${opts.candidates} rewrite(s)`);
    const out = await converseOnce(
      host.clients().runtime,
      rewriteRequest({
        modelId: proposer,
        promptName: prompt.name,
        promptText: best.text,
        variables: [...new Set(prompt.analysis.variables.map((v) => v.name))],
        failures: best.failures.slice(0, 20),
        attempts: attempts.slice(-20),
        count: opts.candidates,
      }),
      { operation: `propose rewrites with ${proposer}`, modelId: proposer, profile: host.profile() },
      { signal: opts.signal },
    );
    spent += callCost((m, u) => host.costOf(m, u), proposer, out)?.usd ?? 0;
    if (out.error) {
      if (out.error.code === 'Cancelled') {
        ended = 'cancelled';
        break;
      }
      if (round === 1) throw out.error;
      ended = 'failed';
      failure = out.error.message;
      break;
    }
    const call = out.toolCalls.find((c) => c.name === REWRITE_TOOL);
    if (!call) {
      if (round === 1)
        throw new BedrockError(
          'ModelError',
          `${proposer} answered without proposing rewrites (it did not call ${REWRITE_TOOL}): pick a model that supports tool use (Claude, Nova, Mistral Large, Llama 3.1+).`,
        );
      ended = 'failed';
      failure = `${proposer} answered without proposing rewrites in round ${round}`;
      break;
    }
    const { rewrites, dropped } = proposedRewrites(call.input, best.text, prompt.analysis, prompt.analyze);
    const scored: ScoredCandidate[] = [];
    for (const [i, rewrite] of rewrites.entries()) {
      opts.progress?.(`round ${round}/${opts.rounds}: scoring rewrite ${i + 1}/${rewrites.length}`);
      const s = opts.signal.aborted ? undefined : await score(rewrite.text, rewrite.analysis, split.training);
      if (!s) {
        scored.push({ rationale: rewrite.rationale, note: 'stopped before it was scored' });
        continue;
      }
      scored.push({ rationale: rewrite.rationale, train: s.result });
      attempts.push({ score: s.result.score, rationale: rewrite.rationale });
      if (s.result.score > best.train.score)
        best = {
          text: rewrite.text,
          analysis: rewrite.analysis,
          rationale: rewrite.rationale,
          round,
          train: s.result,
          failures: s.failures,
        };
    }
    rounds.push({
      round,
      candidates: scored,
      dropped,
      best: { score: best.train.score, round: best.round },
      spentUsd: spent,
    });
    opts.onRound?.(rounds.at(-1)!);
    if (opts.signal.aborted) {
      ended = 'cancelled';
      break;
    }
  }

  const improved = best.round > 0;
  let originalValidation: Score | undefined;
  let bestValidation: Score | undefined;
  if (improved && split.validation.length > 0 && !opts.signal.aborted) {
    opts.progress?.(
      `checking the best rewrite against the prompt as it is on ${split.validation.length} held-out case(s)`,
    );
    originalValidation = (await score(asIs, prompt.analysis, split.validation))?.result;
    bestValidation = originalValidation && (await score(best.text, best.analysis, split.validation))?.result;
    if (!bestValidation) ended = 'cancelled';
  }
  return {
    split: { training: split.training.map((c) => c.name), validation: split.validation.map((c) => c.name) },
    original: { train: originalTrain, validation: bestValidation ? originalValidation : undefined },
    best: improved
      ? { text: best.text, rationale: best.rationale, round: best.round, train: best.train, validation: bestValidation }
      : undefined,
    rounds,
    spentUsd: spent,
    ended,
    heldOut:
      !bestValidation || !originalValidation
        ? 'unchecked'
        : bestValidation.score > originalValidation.score
          ? 'holds'
          : bestValidation.score === originalValidation.score
            ? 'even'
            : 'worse',
    conclusion: conclusionOf(
      originalTrain,
      improved ? best : undefined,
      originalValidation,
      bestValidation,
      split.validation.length,
      ended,
      failure,
      spent,
    ),
  };
}

const scoreText = (s: Score | undefined) => (s ? `${Math.round(s.score * 100)}% (${s.passed}/${s.cases})` : '—');

/** A finished round in lines, as both front ends show it (the editor's log, the CLI's stderr). */
export function roundSummary(r: OptimizeRound): string[] {
  const lines =
    r.round === 0
      ? [`round 0 · the prompt as it is: ${scoreText(r.candidates[0]?.train)} on the training cases`]
      : r.candidates.map(
          (c, i) =>
            `round ${r.round} · rewrite ${i + 1}: ${c.train ? scoreText(c.train) : (c.note ?? '—')} · ${c.rationale}`,
        );
  for (const d of r.dropped) lines.push(`round ${r.round} · dropped ${d}`);
  lines.push(
    `round ${r.round} · best ${Math.round(r.best.score * 100)}% (${r.best.round === 0 ? 'the prompt as it is' : `round ${r.best.round}`}) · spent ~${formatUsd(r.spentUsd)}`,
  );
  return lines;
}

const pct = (s: Score) => `${Math.round(s.score * 100)}% with ${s.passed}/${s.cases} passing`;

/** The result in words: what improved on which cases, and whether the held-out cases confirm it. */
function conclusionOf(
  original: Score,
  best: { train: Score; round: number } | undefined,
  originalValidation: Score | undefined,
  bestValidation: Score | undefined,
  heldOut: number,
  ended: OptimizeEnd,
  failure: string | undefined,
  spent: number,
): string {
  const why: Record<OptimizeEnd, string> = {
    rounds: '',
    perfect: ' Every training case passes.',
    budget: ' The budget was reached.',
    cancelled: ' Stopped: this is the best so far.',
    failed: ` Stopped early: ${failure}.`,
  };
  const cost = ` Spent ~${formatUsd(spent)}.`;
  if (!best) {
    if (original.score >= 1)
      return `Every training case already passes, so there is nothing to improve: add harder cases (Generate Test Cases…).${cost}`;
    return `No rewrite beat the prompt as it is on the training cases: it scores ${pct(original)}.${why[ended]}${cost}`;
  }
  const gain = `The best rewrite (round ${best.round}) scores ${pct(best.train)} on the training cases, against ${pct(original)} for the prompt as it is.`;
  if (!bestValidation || !originalValidation)
    return `${gain}${heldOut === 0 ? ' No cases were held out, so the gain is not checked on unseen cases.' : ' It was not checked on the held-out cases.'}${why[ended]}${cost}`;
  const held =
    bestValidation.score > originalValidation.score
      ? `On the ${heldOut} held-out case(s) it scores ${pct(bestValidation)} against ${pct(originalValidation)}: the gain holds.`
      : bestValidation.score === originalValidation.score
        ? `On the ${heldOut} held-out case(s) both score ${pct(bestValidation)}: the gain does not show on unseen cases.`
        : `On the ${heldOut} held-out case(s) it scores ${pct(bestValidation)} against ${pct(originalValidation)}: it is worse on unseen cases, so it likely fits the training cases only.`;
  return `${gain} ${held}${why[ended]}${cost}`;
}

import assert from 'node:assert/strict';
import { compareWithBaseline, regressed, regressionProblem, type Baseline } from '../../../src/app/baseline';
import { mergeResults } from '../../../src/app/testResult';
import type { TestResult } from '../../../src/core/format/testResult';
import { TERMINAL_REMEDIES, useRemedies, EDITOR_REMEDIES } from '../../../src/core/shared/remedies';

const baseline: Baseline = {
  passRate: 0.5,
  cases: [
    { id: 'a.tests.yaml#one', state: 'passed' },
    { id: 'a.tests.yaml#two', state: 'failed' },
    { id: 'b.tests.yaml#three', state: 'passed' },
    { id: 'b.tests.yaml#four', state: 'errored' },
  ],
};

describe('baselines (app/baseline)', () => {
  afterEach(() => useRemedies(EDITOR_REMEDIES));

  it('a run of some cases is compared over those cases only, not with the whole baseline', () => {
    const c = compareWithBaseline(
      baseline,
      [
        { id: 'a.tests.yaml#one', state: 'passed' },
        { id: 'a.tests.yaml#two', state: 'passed' },
        { id: 'new.tests.yaml#five', state: 'failed' }, // not in the baseline: no rate of its own to compare
      ],
      { sameCasesOnly: true },
    );
    assert.equal(c.before, 0.5);
    assert.equal(c.after, 1);
    assert.deepEqual(c.newlyPassing, ['a.tests.yaml#two']);
    assert.deepEqual(c.newlyFailing, []);
    assert.equal(regressionProblem(c, 0), undefined);
  });

  it('a whole suite compares the two pass rates as they are', () => {
    const c = compareWithBaseline(baseline, [{ id: 'b.tests.yaml#three', state: 'errored' }], { passRate: 0.25 });
    assert.equal(c.before, 0.5);
    assert.equal(c.after, 0.25);
    assert.deepEqual(c.newlyFailing, ['b.tests.yaml#three']);
  });

  it('words the gate with the front end’s own name for the allowed drop', () => {
    const c = compareWithBaseline(baseline, [{ id: 'a.tests.yaml#one', state: 'failed' }], { sameCasesOnly: true });
    assert.equal(
      regressionProblem(c, 0.5),
      'the pass rate fell from 100.0% to 0.0%, more than bedrockPromptLab.tests.maxRegression 50.0%',
    );
    useRemedies(TERMINAL_REMEDIES);
    assert.match(regressionProblem(c, 0.5)!, /more than --max-regression 50\.0%$/);
    // At 0, a newly failing case fails the gate even when the rate holds (another case got better).
    const swapped = compareWithBaseline(
      baseline,
      [
        { id: 'a.tests.yaml#one', state: 'failed' },
        { id: 'a.tests.yaml#two', state: 'passed' },
      ],
      { sameCasesOnly: true },
    );
    assert.equal(swapped.passRateChange, 0);
    assert.equal(regressionProblem(swapped, 0), '1 case passed in the baseline and fail now (first: a.tests.yaml#one)');
    assert.equal(regressionProblem(swapped, 0.1), undefined);
  });

  it('a regression is a case that passed in the baseline and failed or errored now', () => {
    assert.equal(regressed(baseline, 'a.tests.yaml#one', 'errored'), true);
    assert.equal(regressed(baseline, 'a.tests.yaml#one', 'skipped'), false);
    assert.equal(regressed(baseline, 'a.tests.yaml#two', 'failed'), false);
    assert.equal(regressed(baseline, 'unknown#x', 'failed'), false);
  });

  it('saving over a baseline keeps its other cases and counts the summary again', () => {
    const result = (cases: [string, TestResult['cases'][number]['state'], number][]): TestResult => ({
      version: 1,
      tool: { name: 'prompt-lab', version: '0.1.0' },
      summary: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, passRate: 0, costUsd: 0, durationMs: 100 },
      cases: cases.map(([id, state, costUsd]) => ({
        id,
        testsFile: id.split('#')[0],
        promptFile: 'p.prompt',
        name: id.split('#')[1],
        line: 1,
        state,
        messages: [],
        failures: [],
        costUsd,
      })),
    });
    const merged = mergeResults(
      result([
        ['a#one', 'passed', 0.1],
        ['a#two', 'failed', 0.1],
        ['b#three', 'skipped', 0],
      ]),
      result([['a#two', 'passed', 0.2]]),
    );
    assert.deepEqual(
      merged.cases.map((c) => `${c.id}=${c.state}`),
      ['a#one=passed', 'b#three=skipped', 'a#two=passed'],
    );
    assert.deepEqual(merged.summary, {
      total: 3,
      passed: 2,
      failed: 0,
      errored: 0,
      skipped: 1,
      passRate: 1,
      costUsd: 0.30000000000000004,
      durationMs: 200,
    });
  });
});

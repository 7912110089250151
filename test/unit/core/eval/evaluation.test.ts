import assert from 'node:assert/strict';
import {
  compareRuns,
  costBasis,
  evaluationMarkdown,
  recommend,
  summarizeConfig,
  type EvalRecord,
  type EvalSample,
} from '../../../../src/core/eval/evaluation';
import { paretoFront, percentile, wilsonInterval } from '../../../../src/core/eval/stats';

const sample = (
  config: string,
  caseId: string,
  state: EvalSample['state'],
  extra: Partial<EvalSample> = {},
): EvalSample => ({
  config,
  caseId,
  repeat: 0,
  state,
  messages: [],
  assertions: [{ kind: 'contains', label: 'contains', line: 4, pass: state === 'passed' }],
  latencyMs: 100,
  costUsd: 0.001,
  ...extra,
});

function record(samples: EvalSample[], configs = ['base@cheap', 'base@dear', 'base@weak']): EvalRecord {
  return {
    version: 1,
    id: 'r',
    name: 'ticket',
    createdAt: '2026-12-04T00:00:00.000Z',
    prompts: [{ variant: 'base', file: 'ticket.prompt', sha256: 'x' }],
    testsFile: 'ticket.tests.yaml',
    models: configs.map((c) => c.split('@')[1]),
    settings: { repeat: 1, concurrency: 2, margin: 0.05, objective: 'cost' },
    configs: configs.map((id) => ({ id, variant: 'base', promptFile: 'ticket.prompt', model: id.split('@')[1] })),
    cases: ['a', 'b', 'c', 'd'].map((n) => ({ id: `t#${n}`, name: `case ${n}`, testsFile: 't', line: 1 })),
    samples,
    complete: true,
    costUsd: 0,
  };
}

describe('evaluation figures', () => {
  it('the Wilson interval: known values, inside [0, 1] at the extremes, wide for few samples', () => {
    const [lo, hi] = wilsonInterval(8, 10);
    assert.equal(lo.toFixed(3), '0.490');
    assert.equal(hi.toFixed(3), '0.943');
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    const [allLo, allHi] = wilsonInterval(5, 5);
    assert.ok(allLo > 0.5 && allLo < 0.6 && allHi === 1, `${allLo} ${allHi}`);
    assert.ok(
      wilsonInterval(50, 100)[1] - wilsonInterval(50, 100)[0] < wilsonInterval(5, 10)[1] - wilsonInterval(5, 10)[0],
    );
  });

  it('percentiles interpolate between ranks', () => {
    assert.equal(percentile([], 50), undefined);
    assert.equal(percentile([40, 10, 30, 20], 50), 25);
    // Rank 0.95 × 19 = 18.05: between 19 and 100, a twentieth of the way.
    assert.equal(
      percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95)!.toFixed(2),
      '23.05',
    );
  });

  it('the Pareto front keeps the points nothing beats, cheapest first', () => {
    assert.deepEqual(
      paretoFront([
        { id: 'cheap-bad', quality: 0.5, price: 1 },
        { id: 'mid', quality: 0.8, price: 2 },
        { id: 'dominated', quality: 0.7, price: 3 },
        { id: 'best', quality: 0.9, price: 5 },
        { id: 'same-price-worse', quality: 0.85, price: 5 },
      ]),
      ['cheap-bad', 'mid', 'best'],
    );
  });

  it('a configuration: pass rate, interval, rubric scores, latency percentiles, cost per 1,000 calls, failures by assertion', () => {
    const samples = [
      sample('c', 't#a', 'passed', {
        latencyMs: 100,
        timeToFirstTokenMs: 20,
        inputTokens: 10,
        outputTokens: 4,
        assertions: [{ kind: 'rubric', label: 'polite', line: 5, pass: true }],
      }),
      sample('c', 't#b', 'failed', {
        latencyMs: 300,
        timeToFirstTokenMs: 40,
        inputTokens: 20,
        outputTokens: 6,
        costUsd: 0.003,
        assertions: [
          { kind: 'rubric', label: 'polite', line: 9, pass: false },
          { kind: 'contains', label: 'contains', line: 10, pass: false },
        ],
      }),
      sample('c', 't#c', 'errored', { latencyMs: 9000, costUsd: undefined, assertions: [] }),
      sample('c', 't#d', 'skipped'),
      sample('other', 't#a', 'failed'),
    ];
    const s = summarizeConfig({ id: 'c' }, samples);
    assert.deepEqual([s.n, s.passed, s.failed, s.errored], [3, 1, 1, 1]);
    assert.equal(s.passRate, 1 / 3);
    assert.deepEqual(s.interval, wilsonInterval(1, 3));
    assert.deepEqual(s.rubrics, [{ rubric: 'polite', passed: 1, n: 2 }]);
    assert.deepEqual(s.latencyMs, { p50: 200, p95: 290 }, 'an errored call is not a latency');
    assert.deepEqual(s.timeToFirstTokenMs, { p50: 30, p95: 39 });
    assert.deepEqual(s.tokens, { input: 15, output: 5 });
    assert.equal(s.costPer1kUsd, 2);
    assert.deepEqual(s.failuresByAssertion, [
      { assertion: 'contains (line 10)', count: 1 },
      { assertion: 'rubric "polite" (line 9)', count: 1 },
    ]);
    assert.deepEqual(s.failingCases, ['t#b', 't#c']);
    const unpriced = summarizeConfig({ id: 'u' }, [sample('u', 't#a', 'passed', { costUsd: undefined })]);
    assert.equal(unpriced.costPer1kUsd, undefined);
  });

  it('a provisioned configuration costs its hourly price over the stated calls a month, not its tokens', () => {
    const samples = [sample('pt', 't#a', 'passed', { costUsd: undefined })];
    const provisioned = { name: 'tuned', base: 'amazon.nova-lite-v1:0', modelUnits: 2 };
    assert.equal(summarizeConfig({ id: 'pt', provisioned }, samples).costPer1kUsd, undefined);
    assert.equal(
      costBasis({ id: 'pt', variant: 'base', promptFile: 'p', model: 'arn', provisioned }),
      'tuned: provisioned throughput (2 model units); give its hourly price and the calls a month to cost it against amazon.nova-lite-v1:0.',
    );
    const priced = { ...provisioned, hourlyUsd: 10, callsPerMonth: 73_000 };
    // $10 × 730 hours = $7,300 a month over 73,000 calls: $0.10 a call.
    assert.ok(Math.abs(summarizeConfig({ id: 'pt', provisioned: priced }, samples).costPer1kUsd! - 100) < 1e-9);
    assert.equal(
      costBasis({ id: 'pt', variant: 'base', promptFile: 'p', model: 'arn', provisioned: priced }),
      'tuned: provisioned throughput (2 model units) at $10.00 an hour, $7,300.00 a month, over 73,000 calls a month.',
    );
  });

  it('recommends the cheapest within the margin of the best, and says why each other was not chosen', () => {
    const r = record([
      ...['a', 'b', 'c', 'd'].map((k) => sample('base@dear', `t#${k}`, 'passed', { costUsd: 0.01, latencyMs: 50 })),
      ...['a', 'b', 'c'].map((k) => sample('base@cheap', `t#${k}`, 'passed', { costUsd: 0.001, latencyMs: 400 })),
      sample('base@cheap', 't#d', 'failed', { costUsd: 0.001, latencyMs: 400 }),
      ...['a', 'b'].map((k) => sample('base@weak', `t#${k}`, 'passed', { costUsd: 0.0001 })),
      ...['c', 'd'].map((k) => sample('base@weak', `t#${k}`, 'failed', { costUsd: 0.0001 })),
    ]);
    // Within 5 points of 100%: only "dear".
    const strict = recommend(r);
    assert.equal(strict.chosen, 'base@dear');
    assert.deepEqual(
      strict.verdicts.map((v) => [v.config, v.status, v.cause]),
      [
        ['base@cheap', 'ruled-out', 'quality'],
        ['base@dear', 'chosen', undefined],
        ['base@weak', 'ruled-out', 'quality'],
      ],
    );
    assert.match(
      strict.verdicts[0].reason,
      /^Passes 75% \(3\/4\), more than 5% below the best \(100%\); fails "case d"\.$/,
    );
    // Within 30 points: "cheap" is good enough and cheaper; "dear" is ruled out by its price.
    const loose = recommend({ ...r, settings: { ...r.settings, margin: 0.3 } });
    assert.equal(loose.chosen, 'base@cheap');
    assert.match(
      loose.verdicts.find((v) => v.config === 'base@dear')!.reason,
      /^Good enough \(100%\), but \$10\.0000 per 1,000 calls against \$1\.0000 per 1,000 calls\.$/,
    );
    // Optimising latency instead picks the fastest of those good enough.
    assert.equal(
      recommend({ ...r, settings: { ...r.settings, margin: 0.3, objective: 'latency' } }).chosen,
      'base@dear',
    );
    assert.deepEqual(loose.paretoCost, ['base@weak', 'base@cheap', 'base@dear']);
  });

  it('a configuration ruled out for a capability, or without any call, says so', () => {
    const r = record([sample('base@cheap', 't#a', 'passed')]);
    r.configs[2].ruledOut = 'base@weak cannot take this prompt: it does not accept a system prompt.';
    const rec = recommend(r);
    assert.deepEqual(
      rec.verdicts.map((v) => [v.config, v.cause ?? v.status]),
      [
        ['base@cheap', 'chosen'],
        ['base@dear', 'no-data'],
        ['base@weak', 'capability'],
      ],
    );
  });

  it('compares two runs: flipped cases and the deltas, on the configurations both have', () => {
    const before = record([
      sample('base@cheap', 't#a', 'passed'),
      sample('base@cheap', 't#b', 'failed'),
      sample('base@dear', 't#a', 'passed'),
    ]);
    const after = record(
      [
        sample('base@cheap', 't#a', 'failed'),
        sample('base@cheap', 't#a', 'passed', { repeat: 1 }),
        sample('base@cheap', 't#b', 'passed', { costUsd: 0.002 }),
        sample('base@new', 't#a', 'passed'),
      ],
      ['base@cheap', 'base@new'],
    );
    const c = compareRuns(before, after);
    assert.deepEqual(
      c.flipped.map((f) => [f.config, f.caseName, f.from, f.to]),
      [
        ['base@cheap', 'case a', 'passed', 'failed'],
        ['base@cheap', 'case b', 'failed', 'passed'],
      ],
    );
    assert.deepEqual(
      c.configs.map((x) => [x.config, x.before.passRate, x.after.passRate]),
      [['base@cheap', 0.5, 2 / 3]],
    );
  });

  it('Markdown: a table row per configuration, the recommendation, the cases; names never break the table', () => {
    const r = record([sample('base@cheap', 't#a', 'passed'), sample('base@dear', 't#a', 'failed')]);
    r.cases[0].name = 'pipes | and\nnewlines';
    r.complete = false;
    r.stoppedBecause = 'budget';
    const md = evaluationMarkdown(r);
    assert.match(md, /^## Evaluation: ticket$/m);
    assert.match(md, /^> \*\*Partial:\*\* stopped \(budget\)/m);
    assert.match(md, /^\| base · cheap \*\*\(recommended\)\*\* \| 100% \(/m);
    assert.match(md, /^\| pipes \\\| and newlines \| ✔ \| ✘ \| – \|$/m);
    for (const line of md.split('\n').filter((l) => l.startsWith('| pipes')))
      assert.equal(line.split(/(?<!\\)\|/).length, 6, line);
  });
});

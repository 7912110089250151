// An evaluation's record and what is read from it: each configuration's figures, the trade-offs, the
// recommendation with a reason for every configuration it did not choose, and the comparison of two runs.
// Pure data in, data out: the editor's report, `prompt-lab eval --json` and the history all hold this.
import { formatUsd, formatUsdAmount } from '../shared/money';
import { mean, paretoFront, percentile, wilsonInterval } from './stats';

/** How a `reference` assertion (the answer agrees with a reference answer) is named in the report. */
export const REFERENCE_LABEL = 'agrees with the reference answer';

export const EVAL_RECORD_VERSION = 1;

export type SampleState = 'passed' | 'failed' | 'errored' | 'skipped';

/** One call of a configuration on a case (one repetition), and what its assertions found. */
export interface EvalSample {
  config: string;
  caseId: string;
  /** 0-based repetition. */
  repeat: number;
  state: SampleState;
  output?: string;
  /** errored: why; failed: the failing assertions' messages. */
  messages: string[];
  /** Every assertion's verdict: `label` is the kind, the rubric's text for a rubric, REFERENCE_LABEL for a reference; `line` is 1-based. */
  assertions: { kind: string; label: string; line: number; pass: boolean }[];
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** The generation's cost; undefined when the model has no price. */
  costUsd?: number;
  /** What grading the rubrics cost (the judge's calls). */
  judgeCostUsd?: number;
  /**
   * `rubric` and `reference` assertions handed to a Bedrock evaluation job and not graded yet (their
   * `assertions` entries hold a provisional pass): `assertion` indexes `assertions`.
   */
  pendingGrades?: { assertion: number; rubric: string; reference?: string }[];
}

/** A prompt variant on a model. */
export interface EvalConfig {
  id: string;
  variant: string;
  promptFile: string;
  model: string;
  /** Set when it was not run: why the model cannot take the prompt (a missing capability). */
  ruledOut?: string;
  /**
   * A custom model through its provisioned throughput: nothing is charged per token; its cost per call is
   * the throughput's hourly price spread over the calls a month the user stated.
   */
  provisioned?: { name: string; base: string; modelUnits?: number; hourlyUsd?: number; callsPerMonth?: number };
}

/** Hours in an average month (365 × 24 / 12): how an hourly price becomes a monthly one. */
export const HOURS_PER_MONTH = 730;

/** A provisioned configuration's cost per call, when its hourly price and the volume are known. */
export function provisionedCostPerCall(p: NonNullable<EvalConfig['provisioned']>): number | undefined {
  return p.hourlyUsd !== undefined && p.callsPerMonth ? (p.hourlyUsd * HOURS_PER_MONTH) / p.callsPerMonth : undefined;
}

/** How a provisioned configuration's cost was worked out, or what it needs: for the report. */
export function costBasis(config: EvalConfig): string | undefined {
  const p = config.provisioned;
  if (!p) return undefined;
  const units = p.modelUnits ? ` (${p.modelUnits} model unit${p.modelUnits > 1 ? 's' : ''})` : '';
  if (p.hourlyUsd === undefined || !p.callsPerMonth)
    return `${p.name}: provisioned throughput${units}; give its hourly price and the calls a month to cost it against ${p.base}.`;
  return `${p.name}: provisioned throughput${units} at ${formatUsdAmount(p.hourlyUsd)} an hour, ${formatUsdAmount(p.hourlyUsd * HOURS_PER_MONTH)} a month, over ${p.callsPerMonth.toLocaleString('en-US')} calls a month.`;
}

export interface EvalCase {
  id: string;
  name: string;
  testsFile: string;
  /** 1-based. */
  line: number;
}

export interface EvalSettings {
  repeat: number;
  concurrency: number;
  judge?: string;
  maxCostUsd?: number;
  /** Provisioned throughputs' prices by ARN (US dollars an hour, all its model units); `*`: any of them. */
  hourlyUsd?: Record<string, number>;
  /** The calls a month the prompt will make: spreads a provisioned throughput's hourly price. */
  callsPerMonth?: number;
  /** Where the answers were made: on demand (streamed), or Bedrock batch inference jobs at batch prices. */
  backend?: 'on-demand' | 'batch';
  /** Who graded `rubric` and `reference` assertions: the judge model here, or Bedrock evaluation jobs. */
  judging?: 'local' | 'eval-job';
  /** How far below the best pass rate a configuration may be and still be chosen (0.05: five points). */
  margin: number;
  objective: 'cost' | 'latency';
}

export interface EvalRecord {
  version: typeof EVAL_RECORD_VERSION;
  id: string;
  name: string;
  createdAt: string;
  git?: { commit: string; dirty: boolean };
  prompts: { variant: string; file: string; sha256: string }[];
  testsFile: string;
  models: string[];
  settings: EvalSettings;
  configs: EvalConfig[];
  cases: EvalCase[];
  samples: EvalSample[];
  /** false: stopped before every call was made (`stoppedBecause` says why); the samples are what finished. */
  complete: boolean;
  stoppedBecause?: 'cancelled' | 'budget' | 'failed';
  /** Generation and judging, over the samples. */
  costUsd: number;
}

export interface ConfigSummary {
  config: string;
  /** Samples that ran (skipped ones are not counted). */
  n: number;
  passed: number;
  failed: number;
  errored: number;
  passRate: number;
  /** 95% Wilson interval of the pass rate. */
  interval: [number, number];
  rubrics: { rubric: string; passed: number; n: number }[];
  latencyMs: { p50?: number; p95?: number };
  timeToFirstTokenMs: { p50?: number; p95?: number };
  tokens: { input?: number; output?: number };
  /** Mean generation cost per call × 1,000; undefined when the model has no price. */
  costPer1kUsd?: number;
  failuresByAssertion: { assertion: string; count: number }[];
  /** Cases (by id) with at least one failing or errored sample. */
  failingCases: string[];
}

export function summarizeConfig(
  configuration: Pick<EvalConfig, 'id' | 'provisioned'>,
  samples: readonly EvalSample[],
): ConfigSummary {
  const config = configuration.id;
  const own = samples.filter((s) => s.config === config && s.state !== 'skipped');
  const count = (state: SampleState) => own.filter((s) => s.state === state).length;
  const passed = count('passed');
  const rubricMap = new Map<string, { passed: number; n: number }>();
  const failures = new Map<string, number>();
  for (const s of own)
    for (const a of s.assertions) {
      if (a.kind === 'rubric' || a.kind === 'reference') {
        const r = rubricMap.get(a.label) ?? { passed: 0, n: 0 };
        r.n++;
        if (a.pass) r.passed++;
        rubricMap.set(a.label, r);
      }
      // The same kind in two cases is two assertions: the line tells them apart.
      // Every row of a data file has its reference answer: those failures are one group.
      const name =
        a.kind === 'rubric'
          ? `rubric "${a.label}" (line ${a.line})`
          : a.kind === 'reference'
            ? REFERENCE_LABEL
            : `${a.kind} (line ${a.line})`;
      if (!a.pass) failures.set(name, (failures.get(name) ?? 0) + 1);
    }
  const values = (pick: (s: EvalSample) => number | undefined) =>
    own.flatMap((s) => {
      const v = pick(s);
      return v === undefined ? [] : [v];
    });
  const latencies = values((s) => (s.state === 'errored' ? undefined : s.latencyMs));
  const ttft = values((s) => s.timeToFirstTokenMs);
  const costs = values((s) => (s.state === 'errored' ? undefined : s.costUsd));
  const answered = own.filter((s) => s.state !== 'errored').length;
  const costPerCall = configuration.provisioned
    ? provisionedCostPerCall(configuration.provisioned)
    : costs.length > 0 && costs.length === answered
      ? mean(costs)
      : undefined;
  return {
    config,
    n: own.length,
    passed,
    failed: count('failed'),
    errored: count('errored'),
    passRate: own.length === 0 ? 0 : passed / own.length,
    interval: wilsonInterval(passed, own.length),
    rubrics: [...rubricMap].map(([rubric, r]) => ({ rubric, ...r })),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    timeToFirstTokenMs: { p50: percentile(ttft, 50), p95: percentile(ttft, 95) },
    tokens: { input: mean(values((s) => s.inputTokens)), output: mean(values((s) => s.outputTokens)) },
    costPer1kUsd: costPerCall === undefined ? undefined : costPerCall * 1000,
    failuresByAssertion: [...failures]
      .map(([assertion, n]) => ({ assertion, count: n }))
      .sort((a, b) => b.count - a.count || a.assertion.localeCompare(b.assertion)),
    failingCases: [...new Set(own.filter((s) => s.state !== 'passed').map((s) => s.caseId))],
  };
}

export interface Verdict {
  config: string;
  status: 'chosen' | 'ruled-out';
  /** Why it was chosen, or why not, in a sentence. */
  reason: string;
  /** What ruled it out: a missing capability, its quality (failing cases), its price (or latency), or no data. */
  cause?: 'capability' | 'quality' | 'price' | 'latency' | 'no-data';
}

export interface Recommendation {
  objective: EvalSettings['objective'];
  margin: number;
  chosen?: string;
  bestPassRate?: number;
  verdicts: Verdict[];
  /** Configurations no other beats on quality and cost, and on quality and latency (cheapest first). */
  paretoCost: string[];
  paretoLatency: string[];
}

/** 75%, 66.7%, 100% (never 100.0% for a bound that rounds up to it). */
const percent = (r: number) => `${(r * 100).toFixed(1).replace(/\.0$/, '')}%`;
const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`);

/**
 * The cheapest (or fastest) configuration whose pass rate is within `margin` of the best one, and why each
 * other one was not chosen. A configuration with errors is judged on what it answered; one without a price
 * cannot be called the cheapest, and says so.
 */
export function recommend(record: Pick<EvalRecord, 'configs' | 'samples' | 'settings' | 'cases'>): Recommendation {
  const { margin, objective } = record.settings;
  const summaries = new Map(record.configs.map((c) => [c.id, summarizeConfig(c, record.samples)]));
  const caseName = new Map(record.cases.map((c) => [c.id, c.name]));
  const verdicts: Verdict[] = [];
  const measured = record.configs.filter((c) => !c.ruledOut && summaries.get(c.id)!.n > 0);
  for (const c of record.configs) {
    if (c.ruledOut) verdicts.push({ config: c.id, status: 'ruled-out', cause: 'capability', reason: c.ruledOut });
    else if (summaries.get(c.id)!.n === 0)
      verdicts.push({ config: c.id, status: 'ruled-out', cause: 'no-data', reason: 'No case ran on it.' });
  }
  const figure = (id: string) =>
    objective === 'cost' ? summaries.get(id)!.costPer1kUsd : summaries.get(id)!.latencyMs.p50;
  const points = (pick: (s: ConfigSummary) => number | undefined) =>
    measured.flatMap((c) => {
      const s = summaries.get(c.id)!;
      const price = pick(s);
      return price === undefined ? [] : [{ id: c.id, quality: s.passRate, price }];
    });
  const paretoCost = paretoFront(points((s) => s.costPer1kUsd));
  const paretoLatency = paretoFront(points((s) => s.latencyMs.p50));
  if (measured.length === 0) return { objective, margin, verdicts, paretoCost, paretoLatency };
  const best = Math.max(...measured.map((c) => summaries.get(c.id)!.passRate));
  const good = measured.filter((c) => summaries.get(c.id)!.passRate >= best - margin - 1e-9);
  // Among those good enough: the lowest figure; a configuration without one (no price) comes last.
  const ranked = [...good].sort((a, b) => {
    const fa = figure(a.id);
    const fb = figure(b.id);
    if (fa === undefined || fb === undefined) return (fa === undefined ? 1 : 0) - (fb === undefined ? 1 : 0);
    return fa - fb || summaries.get(b.id)!.passRate - summaries.get(a.id)!.passRate;
  });
  const chosen = ranked[0];
  const describe = (id: string) => {
    const s = summaries.get(id)!;
    return objective === 'cost'
      ? s.costPer1kUsd === undefined
        ? 'no price (add one to compare its cost)'
        : `${formatUsd(s.costPer1kUsd)} per 1,000 calls`
      : `p50 ${ms(s.latencyMs.p50)}`;
  };
  const chosenSummary = summaries.get(chosen.id)!;
  verdicts.push({
    config: chosen.id,
    status: 'chosen',
    reason: `Passes ${percent(chosenSummary.passRate)} (${chosenSummary.passed}/${chosenSummary.n}), within ${percent(margin)} of the best (${percent(best)}), at ${describe(chosen.id)}: the ${objective === 'cost' ? 'cheapest' : 'fastest'} of those good enough.`,
  });
  for (const c of measured) {
    if (c === chosen) continue;
    const s = summaries.get(c.id)!;
    if (!good.includes(c)) {
      const failing = s.failingCases.map((id) => `"${caseName.get(id) ?? id}"`);
      const shown = failing.slice(0, 3).join(', ') + (failing.length > 3 ? ` and ${failing.length - 3} more` : '');
      verdicts.push({
        config: c.id,
        status: 'ruled-out',
        cause: 'quality',
        reason: `Passes ${percent(s.passRate)} (${s.passed}/${s.n}), more than ${percent(margin)} below the best (${percent(best)}); fails ${shown}.`,
      });
    } else
      verdicts.push({
        config: c.id,
        status: 'ruled-out',
        cause: objective === 'cost' ? 'price' : 'latency',
        reason: `Good enough (${percent(s.passRate)}), but ${describe(c.id)} against ${describe(chosen.id)}.`,
      });
  }
  const order = new Map(record.configs.map((c, i) => [c.id, i]));
  verdicts.sort((a, b) => order.get(a.config)! - order.get(b.config)!);
  return { objective, margin, chosen: chosen.id, bestPassRate: best, verdicts, paretoCost, paretoLatency };
}

export interface RunComparison {
  /** Per configuration present in both runs: its pass rate and cost then and now. */
  configs: {
    config: string;
    before: { passRate: number; costPer1kUsd?: number };
    after: { passRate: number; costPer1kUsd?: number };
  }[];
  /** Cases whose verdict changed on a configuration both runs have (a case passes when all its repetitions do). */
  flipped: { config: string; caseId: string; caseName: string; from: SampleState; to: SampleState }[];
}

/** The verdict of each (configuration, case): passed only when every repetition passed. */
function caseVerdicts(record: Pick<EvalRecord, 'samples'>): Map<string, SampleState> {
  const out = new Map<string, SampleState>();
  for (const s of record.samples) {
    if (s.state === 'skipped') continue;
    const key = `${s.config}\u0000${s.caseId}`;
    const now = out.get(key);
    out.set(key, now === undefined || now === 'passed' ? s.state : now);
  }
  return out;
}

/** "Did this edit help?": what changed from `before` to `after`, on the configurations both have. */
export function compareRuns(before: EvalRecord, after: EvalRecord): RunComparison {
  const shared = after.configs.filter((c) => !c.ruledOut && before.configs.some((b) => b.id === c.id && !b.ruledOut));
  const was = caseVerdicts(before);
  const now = caseVerdicts(after);
  const names = new Map([...before.cases, ...after.cases].map((c) => [c.id, c.name]));
  const flipped: RunComparison['flipped'] = [];
  for (const [key, to] of now) {
    const from = was.get(key);
    const [config, caseId] = key.split('\u0000');
    if (from && from !== to && shared.some((c) => c.id === config))
      flipped.push({ config, caseId, caseName: names.get(caseId) ?? caseId, from, to });
  }
  return {
    configs: shared.map((c) => {
      const b = summarizeConfig(before.configs.find((x) => x.id === c.id) ?? c, before.samples);
      const a = summarizeConfig(c, after.samples);
      return {
        config: c.id,
        before: { passRate: b.passRate, costPer1kUsd: b.costPer1kUsd },
        after: { passRate: a.passRate, costPer1kUsd: a.costPer1kUsd },
      };
    }),
    flipped,
  };
}

/** A Markdown cell: pipes and line breaks from names and models never break the table. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

/** The report as Markdown, for a pull request: the table, the recommendation with its reasons, the cases. */
export function evaluationMarkdown(
  record: EvalRecord,
  comparison?: { against: EvalRecord; result: RunComparison },
): string {
  const rec = recommend(record);
  const lines: string[] = [];
  const label = (id: string) => {
    const c = record.configs.find((x) => x.id === id);
    return c ? `${c.variant} · ${c.model}` : id;
  };
  lines.push(`## Evaluation: ${cell(record.name)}`, '');
  const ran = record.samples.filter((s) => s.state !== 'skipped').length;
  lines.push(
    `${record.configs.length} configurations × ${record.cases.length} cases${record.settings.repeat > 1 ? ` × ${record.settings.repeat} repeats` : ''} · ${ran} calls · ${formatUsd(record.costUsd)}${record.git ? ` · commit ${record.git.commit.slice(0, 10)}${record.git.dirty ? ' (with uncommitted changes)' : ''}` : ''}`,
  );
  if (!record.complete)
    lines.push(
      '',
      `> **Partial:** stopped (${record.stoppedBecause ?? 'cancelled'}) before every call was made; the figures are over what finished.`,
    );
  lines.push(
    '',
    '| Configuration | Pass rate (95% CI) | Latency p50 / p95 | First token p50 | Tokens in / out | Cost per 1,000 calls |',
  );
  lines.push('|---|---|---|---|---|---|');
  for (const c of record.configs) {
    if (c.ruledOut) {
      lines.push(`| ${cell(label(c.id))} | not run: ${cell(c.ruledOut)} | | | | |`);
      continue;
    }
    const s = summarizeConfig(c, record.samples);
    const mark = rec.chosen === c.id ? ' **(recommended)**' : '';
    const tok = (v: number | undefined) => (v === undefined ? 'n/a' : String(Math.round(v)));
    lines.push(
      `| ${cell(label(c.id))}${mark} | ${percent(s.passRate)} (${percent(s.interval[0])}–${percent(s.interval[1])}), ${s.passed}/${s.n}${s.errored ? `, ${s.errored} errored` : ''} | ${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)} | ${ms(s.timeToFirstTokenMs.p50)} | ${tok(s.tokens.input)} / ${tok(s.tokens.output)} | ${s.costPer1kUsd === undefined ? 'no price' : formatUsd(s.costPer1kUsd)} |`,
    );
  }
  const bases = record.configs.flatMap((c) => {
    const basis = costBasis(c);
    return basis ? [`- ${cell(label(c.id))}: ${cell(basis)}`] : [];
  });
  if (bases.length > 0) lines.push('', ...bases);
  lines.push(
    '',
    `### Recommendation (${rec.objective === 'cost' ? 'cheapest' : 'fastest'} within ${percent(rec.margin)} of the best)`,
    '',
  );
  if (rec.chosen) lines.push(`**${cell(label(rec.chosen))}**`, '');
  for (const v of rec.verdicts)
    lines.push(`- ${v.status === 'chosen' ? '✔' : '✘'} ${cell(label(v.config))}: ${cell(v.reason)}`);
  const rubricLines = record.configs.flatMap((c) =>
    summarizeConfig(c, record.samples).rubrics.map(
      (r) => `| ${cell(label(c.id))} | ${cell(r.rubric)} | ${r.passed}/${r.n} |`,
    ),
  );
  if (rubricLines.length > 0)
    lines.push(
      '',
      '### Judge scores per rubric',
      '',
      '| Configuration | Rubric | Passed |',
      '|---|---|---|',
      ...rubricLines,
    );
  const failureLines = record.configs.flatMap((c) =>
    summarizeConfig(c, record.samples).failuresByAssertion.map(
      (f) => `| ${cell(label(c.id))} | ${cell(f.assertion)} | ${f.count} |`,
    ),
  );
  if (failureLines.length > 0)
    lines.push(
      '',
      '### Failures by assertion',
      '',
      '| Configuration | Assertion | Failures |',
      '|---|---|---|',
      ...failureLines,
    );
  const run = record.configs.filter((c) => !c.ruledOut);
  lines.push(
    '',
    '### Cases',
    '',
    `| Case | ${run.map((c) => cell(label(c.id))).join(' | ')} |`,
    `|---|${run.map(() => '---|').join('')}`,
  );
  const verdicts = caseVerdicts(record);
  const sign: Record<SampleState, string> = { passed: '✔', failed: '✘', errored: '!', skipped: '–' };
  for (const k of record.cases)
    lines.push(
      `| ${cell(k.name)} | ${run.map((c) => sign[verdicts.get(`${c.id}\u0000${k.id}`) ?? 'skipped']).join(' | ')} |`,
    );
  if (comparison) {
    const { against, result } = comparison;
    lines.push('', `### Compared with ${cell(against.name)} of ${against.createdAt}`, '');
    lines.push('| Configuration | Pass rate | Cost per 1,000 calls |', '|---|---|---|');
    for (const c of result.configs) {
      const cost = (v: number | undefined) => (v === undefined ? 'no price' : formatUsd(v));
      lines.push(
        `| ${cell(label(c.config))} | ${percent(c.before.passRate)} → ${percent(c.after.passRate)} | ${cost(c.before.costPer1kUsd)} → ${cost(c.after.costPer1kUsd)} |`,
      );
    }
    if (result.flipped.length === 0) lines.push('', 'No case changed its verdict.');
    else {
      lines.push('');
      for (const f of result.flipped)
        lines.push(
          `- ${f.to === 'passed' ? 'now passes' : `now ${f.to}`}: ${cell(f.caseName)} on ${cell(label(f.config))} (was ${f.from})`,
        );
    }
  }
  return `${lines.join('\n')}\n`;
}

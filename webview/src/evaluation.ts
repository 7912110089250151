// The evaluation report (src/vscode/webview/evaluationPanel.ts sends the record). Everything from the
// record is text (textContent, never HTML): model answers, case names and prompts are untrusted. The
// figures and the recommendation come from the same pure module as the CLI's report
// (src/core/eval/evaluation.ts), so the margin and the objective can change here without a round trip.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import {
  recommend,
  summarizeConfig,
  type ConfigSummary,
  type EvalRecord,
  type RunComparison,
} from '../../src/core/eval/evaluation';
import { formatUsd } from '../../src/core/shared/money';
import type {
  EvaluationHostMessage,
  EvaluationViewMessage,
  SavedRun,
} from '../../src/vscode/webview/evaluationProtocol';

Chart.register(
  ScatterController,
  LineController,
  PointElement,
  LineElement,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
);

declare function acquireVsCodeApi(): { postMessage(m: EvaluationViewMessage): void };
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;

let record: EvalRecord | undefined;
let history: SavedRun[] = [];
let margin = 0.05;
let objective: 'cost' | 'latency' = 'cost';
let selectedCase: string | undefined;
let comparison: { against: { name: string; createdAt: string }; result: RunComparison } | undefined;
const charts: Chart[] = [];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

const percent = (r: number) => `${(r * 100).toFixed(1).replace(/\.0$/, '')}%`;
const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`);
const cssVar = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function label(id: string): string {
  const c = record?.configs.find((x) => x.id === id);
  return c ? `${c.variant} · ${c.model}` : id;
}

function render(): void {
  charts.splice(0).forEach((c) => c.destroy());
  root.replaceChildren();
  if (!record) return;
  const r = { ...record, settings: { ...record.settings, margin, objective } };
  const rec = recommend(r);
  const summaries = new Map(r.configs.filter((c) => !c.ruledOut).map((c) => [c.id, summarizeConfig(c, r.samples)]));

  root.append(
    el('h1', {}, `Evaluation: ${r.name}`),
    el(
      'p',
      { class: 'meta' },
      `${r.configs.length} configurations × ${r.cases.length} cases${r.settings.repeat > 1 ? ` × ${r.settings.repeat}` : ''} · ${r.samples.length} calls · ${formatUsd(r.costUsd)} · ${new Date(r.createdAt).toLocaleString()}${r.git ? ` · commit ${r.git.commit.slice(0, 10)}${r.git.dirty ? ' (uncommitted changes)' : ''}` : ''}`,
    ),
  );
  if (!r.complete)
    root.append(
      el(
        'p',
        { class: 'partial' },
        `Partial: stopped (${r.stoppedBecause ?? 'cancelled'}); the figures are over what finished. Run the evaluation again to finish it.`,
      ),
    );

  // Controls: what "good enough" means and what is minimised among those.
  const marginInput = el('input', {
    type: 'number',
    min: '0',
    max: '100',
    step: '1',
    value: String(Math.round(margin * 100)),
    id: 'margin',
  });
  marginInput.addEventListener('change', () => {
    const v = Number(marginInput.value);
    if (Number.isFinite(v) && v >= 0 && v <= 100) margin = v / 100;
    render();
  });
  const objectiveSelect = el(
    'select',
    { id: 'objective' },
    el('option', { value: 'cost' }, 'cheapest'),
    el('option', { value: 'latency' }, 'fastest'),
  );
  objectiveSelect.value = objective;
  objectiveSelect.addEventListener('change', () => {
    objective = objectiveSelect.value === 'latency' ? 'latency' : 'cost';
    render();
  });
  const exportButton = el('button', {}, 'Export Markdown…');
  exportButton.addEventListener('click', () => vscode.postMessage({ type: 'exportMarkdown', margin, objective }));
  const controls = el(
    'div',
    { class: 'controls' },
    el('label', { for: 'objective' }, 'Recommend the '),
    objectiveSelect,
    el('label', { for: 'margin' }, ' within '),
    marginInput,
    ' points of the best pass rate ',
    exportButton,
  );
  if (history.length > 0) {
    const compare = el('select', { id: 'compare' }, el('option', { value: '' }, 'Compare with an earlier run…'));
    for (const h of history)
      compare.append(
        el('option', { value: h.file }, `${new Date(h.createdAt).toLocaleString()}${h.complete ? '' : ' (partial)'}`),
      );
    compare.addEventListener(
      'change',
      () => compare.value && vscode.postMessage({ type: 'compareWith', file: compare.value }),
    );
    controls.append(' ', compare);
  }
  root.append(controls);

  // The recommendation, with a reason for every other configuration.
  const recBox = el(
    'section',
    { class: 'recommendation' },
    el('h2', {}, rec.chosen ? `Recommended: ${label(rec.chosen)}` : 'No recommendation: nothing ran'),
  );
  const list = el('ul');
  for (const v of rec.verdicts)
    list.append(
      el(
        'li',
        { class: v.status },
        el('strong', {}, `${v.status === 'chosen' ? '✔' : '✘'} ${label(v.config)}: `),
        v.reason,
      ),
    );
  recBox.append(list);
  root.append(recBox);

  root.append(summaryTable(r, summaries, rec.chosen));
  root.append(chartsSection(summaries, rec));
  root.append(heatMap(r));
  if (selectedCase) root.append(answers(r, selectedCase));
  if (comparison) root.append(comparisonSection(comparison.against, comparison.result));
  vscode.postMessage({
    type: 'rendered',
    heading: recBox.querySelector('h2')?.textContent ?? '',
    charts: charts.length,
    cells: root.querySelectorAll('.heatmap td.cell').length,
  });
}

function summaryTable(r: EvalRecord, summaries: Map<string, ConfigSummary>, chosen: string | undefined): HTMLElement {
  const head = el(
    'tr',
    {},
    ...[
      'Configuration',
      'Pass rate (95% CI)',
      'Judge scores',
      'Latency p50 / p95',
      'First token p50',
      'Tokens in / out',
      'Cost per 1,000 calls',
      'Failures by assertion',
    ].map((h) => el('th', {}, h)),
  );
  const table = el('table', { class: 'summary' }, el('thead', {}, head));
  const body = el('tbody');
  for (const c of r.configs) {
    const s = summaries.get(c.id);
    if (!s) {
      body.append(
        el(
          'tr',
          { class: 'ruled-out' },
          el('td', {}, label(c.id)),
          el('td', { colspan: '7' }, `Not run: ${c.ruledOut ?? ''}`),
        ),
      );
      continue;
    }
    const tok = (v: number | undefined) => (v === undefined ? 'n/a' : String(Math.round(v)));
    body.append(
      el(
        'tr',
        c.id === chosen ? { class: 'chosen' } : {},
        el('td', {}, label(c.id)),
        el(
          'td',
          {},
          `${percent(s.passRate)} (${percent(s.interval[0])}–${percent(s.interval[1])}) · ${s.passed}/${s.n}${s.errored ? ` · ${s.errored} errored` : ''}`,
        ),
        el('td', {}, s.rubrics.map((x) => `${x.rubric}: ${x.passed}/${x.n}`).join('; ') || '–'),
        el('td', {}, `${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)}`),
        el('td', {}, ms(s.timeToFirstTokenMs.p50)),
        el('td', {}, `${tok(s.tokens.input)} / ${tok(s.tokens.output)}`),
        el('td', {}, s.costPer1kUsd === undefined ? 'no price' : formatUsd(s.costPer1kUsd)),
        el('td', {}, s.failuresByAssertion.map((f) => `${f.assertion} ×${f.count}`).join('; ') || '–'),
      ),
    );
  }
  table.append(body);
  return table;
}

/** Quality against cost and against latency; the Pareto front joined by a line; the chosen one larger. */
function chartsSection(summaries: Map<string, ConfigSummary>, rec: ReturnType<typeof recommend>): HTMLElement {
  const section = el('section', { class: 'charts' });
  const colours = [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
  ];
  const text = cssVar('--vscode-foreground', '#cccccc');
  const grid = cssVar('--vscode-editorWidget-border', '#454545');
  const draw = (
    title: string,
    axis: string,
    pick: (s: ConfigSummary) => number | undefined,
    front: string[],
    format: (v: number) => string,
  ) => {
    const canvas = el('canvas', { role: 'img', 'aria-label': title });
    const points = [...summaries.values()].flatMap((s) => {
      const x = pick(s);
      return x === undefined ? [] : [{ id: s.config, x, y: s.passRate * 100 }];
    });
    section.append(el('figure', {}, el('figcaption', {}, title), canvas));
    if (points.length === 0) return;
    const frontPoints = front.map((id) => points.find((p) => p.id === id)!).filter(Boolean);
    charts.push(
      new Chart(canvas, {
        type: 'scatter',
        data: {
          datasets: [
            ...points.map((p, i) => ({
              label: label(p.id),
              data: [{ x: p.x, y: p.y }],
              backgroundColor: colours[i % colours.length],
              pointRadius: p.id === rec.chosen ? 9 : 6,
              pointStyle: p.id === rec.chosen ? ('rectRot' as const) : ('circle' as const),
            })),
            {
              type: 'line' as const,
              label: 'Pareto front',
              data: frontPoints.map((p) => ({ x: p.x, y: p.y })),
              borderColor: text,
              borderDash: [4, 4],
              pointRadius: 0,
              fill: false,
            },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            x: {
              type: 'linear',
              title: { display: true, text: axis, color: text },
              ticks: { color: text, callback: (v) => format(Number(v)) },
              grid: { color: grid },
            },
            y: {
              min: 0,
              max: 100,
              title: { display: true, text: 'pass rate (%)', color: text },
              ticks: { color: text },
              grid: { color: grid },
            },
          },
          plugins: {
            legend: { labels: { color: text } },
            tooltip: {
              callbacks: {
                label: (ctx) =>
                  `${ctx.dataset.label}: ${Number(ctx.parsed.y).toFixed(1)}% at ${format(Number(ctx.parsed.x))}`,
              },
            },
          },
        },
      }),
    );
  };
  draw(
    'Quality against cost',
    'cost per 1,000 calls (US$)',
    (s) => s.costPer1kUsd,
    rec.paretoCost,
    (v) => formatUsd(v),
  );
  draw(
    'Quality against latency',
    'latency p50 (ms)',
    (s) => s.latencyMs.p50,
    rec.paretoLatency,
    (v) => `${Math.round(v)} ms`,
  );
  return section;
}

/** Cases × configurations, each cell the share of its repetitions that passed; a click shows the answers. */
function heatMap(r: EvalRecord): HTMLElement {
  const run = r.configs.filter((c) => !c.ruledOut);
  const table = el(
    'table',
    { class: 'heatmap' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Case'), ...run.map((c) => el('th', {}, label(c.id))))),
  );
  const body = el('tbody');
  for (const k of r.cases) {
    const row = el('tr', {}, el('th', { scope: 'row' }, k.name));
    for (const c of run) {
      const own = r.samples.filter((s) => s.config === c.id && s.caseId === k.id && s.state !== 'skipped');
      const passed = own.filter((s) => s.state === 'passed').length;
      const errored = own.some((s) => s.state === 'errored');
      const share = own.length === 0 ? undefined : passed / own.length;
      const cell = el(
        'td',
        {
          class: `cell ${share === undefined ? 'none' : errored ? 'errored' : share === 1 ? 'pass' : share === 0 ? 'fail' : 'mixed'}`,
          title: own.length === 0 ? 'not run' : `${passed}/${own.length} passed`,
          tabindex: '0',
          role: 'button',
        },
        own.length === 0 ? '–' : own.length === 1 ? (passed ? '✔' : errored ? '!' : '✘') : `${passed}/${own.length}`,
      );
      const open = () => {
        selectedCase = k.id;
        render();
        document.getElementById('answers')?.scrollIntoView();
      };
      cell.addEventListener('click', open);
      cell.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && open());
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  return el('section', {}, el('h2', {}, 'Cases'), table);
}

/** One case's answers on every configuration, side by side, as text. */
function answers(r: EvalRecord, caseId: string): HTMLElement {
  const k = r.cases.find((c) => c.id === caseId);
  const columns = el('div', { class: 'answers' });
  for (const c of r.configs.filter((x) => !x.ruledOut)) {
    const own = r.samples.filter((s) => s.config === c.id && s.caseId === caseId);
    const column = el('div', { class: 'answer' }, el('h3', {}, label(c.id)));
    for (const s of own) {
      column.append(
        el(
          'p',
          { class: `state ${s.state}` },
          `${s.state}${own.length > 1 ? ` (run ${s.repeat + 1})` : ''} · ${ms(s.latencyMs)}`,
        ),
      );
      column.append(el('pre', {}, s.output ?? ''));
      for (const m of s.state === 'passed' ? [] : s.messages) column.append(el('p', { class: 'message' }, m));
    }
    columns.append(column);
  }
  return el('section', { id: 'answers' }, el('h2', {}, `Answers: ${k?.name ?? caseId}`), columns);
}

function comparisonSection(against: { name: string; createdAt: string }, result: RunComparison): HTMLElement {
  const section = el(
    'section',
    { class: 'comparison' },
    el('h2', {}, `Compared with the run of ${new Date(against.createdAt).toLocaleString()}`),
  );
  const table = el(
    'table',
    {},
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, 'Configuration'), el('th', {}, 'Pass rate'), el('th', {}, 'Cost per 1,000 calls')),
    ),
  );
  const cost = (v: number | undefined) => (v === undefined ? 'no price' : formatUsd(v));
  for (const c of result.configs)
    table.append(
      el(
        'tr',
        {},
        el('td', {}, label(c.config)),
        el('td', {}, `${percent(c.before.passRate)} → ${percent(c.after.passRate)}`),
        el('td', {}, `${cost(c.before.costPer1kUsd)} → ${cost(c.after.costPer1kUsd)}`),
      ),
    );
  section.append(table);
  const flips = el('ul');
  for (const f of result.flipped)
    flips.append(
      el(
        'li',
        { class: f.to === 'passed' ? 'pass' : 'fail' },
        `${f.to === 'passed' ? 'now passes' : `now ${f.to}`}: ${f.caseName} on ${label(f.config)} (was ${f.from})`,
      ),
    );
  section.append(result.flipped.length ? flips : el('p', {}, 'No case changed its verdict.'));
  return section;
}

window.addEventListener('message', (event: MessageEvent<EvaluationHostMessage>) => {
  const m = event.data;
  if (m.type === 'show') {
    record = m.record;
    history = m.history;
    margin = m.record.settings.margin;
    objective = m.record.settings.objective;
    comparison = undefined;
  } else if (m.type === 'comparison') comparison = { against: m.against, result: m.result };
  render();
});
vscode.postMessage({ type: 'ready' });

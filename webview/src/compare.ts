// The Compare view (browser side). Model output is only ever set as text (textContent), never as HTML,
// so output that contains markup or script is shown, not run.
import { formatUsd } from '../../src/core/shared/money';
import {
  isHostMessage,
  type ColumnInfo,
  type ColumnMetrics,
  type WebviewMessage,
} from '../../src/vscode/webview/protocol';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void };
const vscode = acquireVsCodeApi();
const send = (m: WebviewMessage) => vscode.postMessage(m);

const root = document.getElementById('root') as HTMLElement;
const columns = new Map<
  string,
  {
    info: ColumnInfo;
    output: HTMLElement;
    metrics: HTMLElement;
    notes: HTMLElement;
    status: HTMLElement;
    element: HTMLElement;
  }
>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', undefined, label);
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function init(title: string, infos: ColumnInfo[]): void {
  root.replaceChildren();
  columns.clear();
  const header = el('header');
  header.append(
    el('h1', undefined, title),
    button('Re-run all', 'Run every column again', () => send({ type: 'rerunAll' })),
  );
  const grid = el('div', 'grid');
  grid.style.setProperty('--columns', String(Math.max(1, infos.length)));
  for (const info of infos) {
    const col = el('section', 'column');
    col.setAttribute('aria-label', info.label);
    const head = el('div', 'head');
    head.append(el('h2', undefined, info.label), el('code', undefined, info.modelId));
    const status = el('div', 'status', info.flagged ? `Not run: ${info.flagged}` : 'waiting…');
    const output = el('pre', 'output');
    output.tabIndex = 0;
    const metrics = el('div', 'metrics');
    // What was retrieved, what an agent did, the sources: service data, shown as text.
    const notes = el('ul', 'notes');
    const actions = el('div', 'actions');
    actions.append(
      button('Copy', 'Copy this answer', () => send({ type: 'copy', id: info.id })),
      button('Save as run', 'Write this answer into the prompt file as a run, with its metrics', () =>
        send({ type: 'saveRun', id: info.id }),
      ),
      button('Use this model', 'Set this model in the prompt', () => send({ type: 'useModel', id: info.id })),
      button('Re-run', 'Run this column again', () => send({ type: 'rerun', id: info.id })),
    );
    col.append(head, status, output, metrics, notes, actions);
    if (info.flagged) col.classList.add('flagged');
    grid.append(col);
    columns.set(info.id, { info, output, metrics, notes, status, element: col });
  }
  root.append(header, grid, el('div', 'summary'));
}

function formatMetrics(m: ColumnMetrics): string {
  const parts: string[] = [];
  if (m.timeToFirstTokenMs !== undefined) parts.push(`first token ${Math.round(m.timeToFirstTokenMs)} ms`);
  parts.push(`total ${(m.latencyMs / 1000).toFixed(2)} s`);
  if (m.inputTokens !== undefined) parts.push(`${m.inputTokens} in / ${m.outputTokens ?? 0} out tokens`);
  if (m.costUsd !== undefined) parts.push(`~${formatUsd(m.costUsd)}`);
  if (m.stopReason) parts.push(m.stopReason);
  return parts.join(' · ');
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isHostMessage(m)) return;
  switch (m.type) {
    case 'init':
      init(m.title, m.columns);
      break;
    case 'start': {
      const c = columns.get(m.id);
      if (!c) return;
      c.output.textContent = '';
      c.metrics.textContent = '';
      c.notes.replaceChildren();
      c.status.textContent = 'streaming…';
      c.element.classList.remove('failed', 'done');
      break;
    }
    case 'deltas':
      for (const [id, text] of m.items) columns.get(id)?.output.append(document.createTextNode(text));
      break;
    case 'done': {
      const c = columns.get(m.id);
      if (!c) return;
      c.status.textContent =
        m.metrics.status === 'complete'
          ? 'done'
          : m.metrics.status === 'stopped'
            ? 'stopped'
            : `failed: ${m.metrics.error ?? ''}`;
      c.element.classList.add(m.metrics.status === 'failed' ? 'failed' : 'done');
      c.metrics.textContent = formatMetrics(m.metrics);
      c.notes.replaceChildren(
        ...(m.metrics.notes ?? []).filter((n) => typeof n === 'string').map((n) => el('li', undefined, n)),
      );
      break;
    }
    case 'summary': {
      const s = root.querySelector('.summary');
      if (!s) return;
      const label = (id: string) => columns.get(id)?.info.label ?? id;
      s.replaceChildren(
        el('div', undefined, `Fastest: ${m.byLatency.map(label).join(' › ') || '—'}`),
        el('div', undefined, `Cheapest: ${m.byCost.map(label).join(' › ') || '—'}`),
      );
      break;
    }
  }
});

send({ type: 'ready' });

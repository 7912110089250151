// A customization job's training and validation loss (src/vscode/webview/lossChartPanel.ts sends the
// points read from the job's metrics files). Text from the host is set as text, never as HTML.
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { LossChartHostMessage, LossChartViewMessage } from '../../src/vscode/webview/lossChartProtocol';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

declare function acquireVsCodeApi(): { postMessage(m: LossChartViewMessage): void };
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
let chart: Chart | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

function isShow(m: unknown): m is LossChartHostMessage {
  const v = m as Partial<LossChartHostMessage> | undefined;
  return v?.type === 'show' && Array.isArray(v.training) && Array.isArray(v.validation);
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function render(m: LossChartHostMessage): void {
  chart?.destroy();
  root.replaceChildren();
  const heading = `Loss of ${m.jobName}`;
  root.append(el('h1', heading), el('p', `${m.modelId} · ${m.summary}`, 'meta'));
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', m.summary);
  const frame = el('div', '', 'chart');
  frame.append(canvas);
  root.append(frame);
  const line = (label: string, points: { step: number; loss: number }[], color: string) => ({
    label,
    data: points.map((p) => ({ x: p.step, y: p.loss })),
    borderColor: color,
    backgroundColor: color,
    pointRadius: points.length > 60 ? 0 : 2,
    tension: 0.2,
  });
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        line('training loss', m.training, cssVar('--vscode-charts-blue', '#3794ff')),
        ...(m.validation.length
          ? [line('validation loss', m.validation, cssVar('--vscode-charts-orange', '#d18616'))]
          : []),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { type: 'linear', title: { display: true, text: 'loss' } },
      },
      plugins: { legend: { labels: { color: cssVar('--vscode-foreground', '#ccc') } } },
    },
  });
  const sources = el('ul', '', 'meta');
  for (const s of m.sources) sources.append(el('li', s));
  root.append(el('p', 'From the metrics files the job wrote:', 'meta'), sources);
  vscode.postMessage({
    type: 'rendered',
    heading,
    trainingPoints: m.training.length,
    validationPoints: m.validation.length,
  });
}

window.addEventListener('message', (e: MessageEvent) => {
  if (isShow(e.data)) render(e.data);
});
vscode.postMessage({ type: 'ready' });

// The evaluation report's message protocol, shared by the extension host and the webview. The webview
// is not trusted: every message it sends is checked (isEvaluationViewMessage) before it is used.
import type { EvalRecord, RunComparison } from '../../core/eval/evaluation';

export interface SavedRun {
  file: string;
  createdAt: string;
  complete: boolean;
}

export type EvaluationHostMessage =
  | { type: 'show'; record: EvalRecord; recordFile: string; history: SavedRun[] }
  | { type: 'comparison'; against: { name: string; createdAt: string; file: string }; result: RunComparison };

export type EvaluationViewMessage =
  | { type: 'ready' }
  /** What the view drew, after each render: the recommendation's heading, the charts and the heat map's cells. */
  | { type: 'rendered'; heading: string; charts: number; cells: number }
  /** Compare with a saved run (one of the files the host listed). */
  | { type: 'compareWith'; file: string }
  /** Save the report as Markdown, with the margin and objective the view shows. */
  | { type: 'exportMarkdown'; margin: number; objective: 'cost' | 'latency' };

export function isEvaluationViewMessage(m: unknown): m is EvaluationViewMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as Record<string, unknown>;
  switch (v.type) {
    case 'ready':
      return true;
    case 'rendered':
      return (
        typeof v.heading === 'string' &&
        v.heading.length < 4096 &&
        typeof v.charts === 'number' &&
        typeof v.cells === 'number'
      );
    case 'compareWith':
      return typeof v.file === 'string' && v.file.length < 4096;
    case 'exportMarkdown':
      return (
        typeof v.margin === 'number' &&
        v.margin >= 0 &&
        v.margin <= 1 &&
        (v.objective === 'cost' || v.objective === 'latency')
      );
    default:
      return false;
  }
}

// The training-loss chart's messages, shared by the extension host and the webview. The webview is not
// trusted: what it sends is checked (isLossChartViewMessage) before it is used.
import type { LossPoint } from '../../core/bedrock/lossCurve';

export type LossChartHostMessage = {
  type: 'show';
  jobName: string;
  modelId: string;
  summary: string;
  training: LossPoint[];
  validation: LossPoint[];
  /** Where the figures come from (s3:// URIs), shown under the chart. */
  sources: string[];
};

export type LossChartViewMessage =
  | { type: 'ready' }
  /** What the view drew: its heading and how many points each line has. */
  | { type: 'rendered'; heading: string; trainingPoints: number; validationPoints: number };

export function isLossChartViewMessage(m: unknown): m is LossChartViewMessage {
  if (!m || typeof m !== 'object') return false;
  const v = m as Record<string, unknown>;
  if (v.type === 'ready') return true;
  return (
    v.type === 'rendered' &&
    typeof v.heading === 'string' &&
    v.heading.length < 4096 &&
    typeof v.trainingPoints === 'number' &&
    typeof v.validationPoints === 'number'
  );
}

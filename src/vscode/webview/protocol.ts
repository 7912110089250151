// The Compare view's message protocol, shared by the extension host and the webview. Every message is
// checked on arrival (isWebviewMessage / isHostMessage) before it is used.

import type { ServiceTierName } from '../../core/bedrock/serviceTierNames';

export interface ColumnInfo {
  id: string;
  modelId: string;
  label: string;
  /** Why this model cannot take the prompt, found before running; the column is not run. */
  flagged?: string;
  /** The service tier this column asks for (Compare Service Tiers: the same model on several tiers). */
  serviceTier?: ServiceTierName;
}

export interface ColumnMetrics {
  status: 'complete' | 'stopped' | 'failed';
  timeToFirstTokenMs?: number;
  latencyMs: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  stopReason?: string;
  error?: string;
  /** What came with the answer, one line each: what was retrieved, what an agent did, the sources cited. */
  notes?: string[];
}

export type HostMessage =
  | { type: 'init'; title: string; columns: ColumnInfo[] }
  | { type: 'start'; id: string }
  /** New text of one or more columns, in order: one message per interval for every streaming column. */
  | { type: 'deltas'; items: [id: string, text: string][] }
  | { type: 'done'; id: string; metrics: ColumnMetrics }
  | { type: 'summary'; byLatency: string[]; byCost: string[] };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copy'; id: string }
  | { type: 'saveRun'; id: string }
  | { type: 'useModel'; id: string }
  | { type: 'rerun'; id: string }
  | { type: 'rerunAll' };

const str = (v: unknown): v is string => typeof v === 'string' && v.length < 10_000;

export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (!m || typeof m !== 'object') return false;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'rerunAll':
      return true;
    case 'copy':
    case 'saveRun':
    case 'useModel':
    case 'rerun':
      return str(o.id);
    default:
      return false;
  }
}

export function isHostMessage(m: unknown): m is HostMessage {
  if (!m || typeof m !== 'object') return false;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'init':
      return str(o.title) && Array.isArray(o.columns);
    case 'start':
      return str(o.id);
    case 'deltas':
      return (
        Array.isArray(o.items) &&
        o.items.every((i: unknown) => Array.isArray(i) && i.length === 2 && str(i[0]) && typeof i[1] === 'string')
      );
    case 'done':
      return str(o.id) && !!o.metrics && typeof o.metrics === 'object';
    case 'summary':
      return Array.isArray(o.byLatency) && Array.isArray(o.byCost);
    default:
      return false;
  }
}

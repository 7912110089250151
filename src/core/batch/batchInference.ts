// Bedrock batch inference records (modelInvocationType "Converse"): each row becomes
// `{"recordId", "modelInput"}` with a Converse request body; the job's `.out` lines come back as the same
// BatchOutputLine a local batch run writes, so both paths give one output format.
import type { ConverseCommandInput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { CostEstimate } from '../bedrock/pricing';
import type { Usage } from '../bedrock/stream';
import { usageFrom } from '../bedrock/stream';
import type { BatchOutputLine } from './runBatch';
import type { BatchRow } from '../io/rows';

/** The service's default quota: a job with fewer records fails validation. */
export const MIN_BATCH_RECORDS = 100;
export const MAX_BATCH_RECORDS = 50_000;

export function recordIdFor(row: number): string {
  return `ROW${String(row + 1).padStart(8, '0')}`;
}

export function rowOfRecordId(recordId: unknown): number | undefined {
  const m = typeof recordId === 'string' ? /^ROW(\d{8,})$/.exec(recordId) : null;
  return m ? Number(m[1]) - 1 : undefined;
}

/** One JSONL line: the Converse body without modelId (the job names the model), bytes as base64. */
export function toBatchRecord(row: number, request: ConverseCommandInput): string {
  const body: Partial<ConverseCommandInput> = { ...request };
  delete body.modelId;
  return JSON.stringify({ recordId: recordIdFor(row), modelInput: body }, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
}

interface OutRecord {
  recordId?: string;
  modelOutput?: { output?: { message?: { content?: { text?: string }[] } }; stopReason?: string; usage?: TokenUsage };
  error?: { errorCode?: number | string; errorMessage?: string };
}

/** Turns the job's `.out` text back into output lines, in input order; rows the job did not return are reported. */
export function outputLinesFromJob(
  outText: string,
  rows: BatchRow[],
  modelId: string,
  /** A usage's cost at the job's prices (the caller applies the user's prices and the batch discount). */
  costOf: (modelId: string, usage: Usage | undefined) => CostEstimate | undefined,
  jobStatus: string,
): BatchOutputLine[] {
  const byRow = new Map<number, BatchOutputLine>();
  for (const text of outText.split('\n')) {
    if (!text.trim()) continue;
    let rec: OutRecord;
    try {
      rec = JSON.parse(text) as OutRecord;
    } catch {
      continue;
    }
    const index = rowOfRecordId(rec.recordId);
    const row = index === undefined ? undefined : rows[index];
    if (!row) continue;
    if (rec.error || !rec.modelOutput) {
      byRow.set(row.index, {
        row: row.index,
        input: row.input,
        modelId,
        error: {
          code: rec.error?.errorCode === 429 ? 'Throttled' : 'ModelError',
          message: rec.error?.errorMessage ?? 'The record has no output.',
        },
      });
      continue;
    }
    const usage = usageFrom(rec.modelOutput.usage);
    byRow.set(row.index, {
      row: row.index,
      input: row.input,
      modelId,
      output: (rec.modelOutput.output?.message?.content ?? []).map((b) => b.text ?? '').join(''),
      stopReason: rec.modelOutput.stopReason,
      usage,
      costUsd: costOf(modelId, usage)?.usd,
    });
  }
  return rows.map(
    (row) =>
      byRow.get(row.index) ??
      (row.problem
        ? { row: row.index, input: row.input, modelId, error: { code: 'InvalidRow', message: row.problem } }
        : {
            row: row.index,
            input: row.input,
            modelId,
            error: { code: 'ModelError', message: `The batch job (${jobStatus}) returned no result for this row.` },
          }),
  );
}

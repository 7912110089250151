// Turning rows into what leaves the machine for a batch inference job, and sampling rows for a cost
// estimate. Both render through the one per-case runner (./runCase.ts).
import { BedrockError } from '../shared/bedrockError';
import { requestChars } from '../bedrock/pricing';
import { scanSecretsDeep } from '../safety/secretScan';
import { toBatchRecord } from './batchInference';
import type { BatchRow, RowSurvey } from '../io/rows';
import { prepareCase, type CaseSteps } from './runCase';
import type { ConverseRequest } from '../format/render';

export interface JobRecords {
  /** One JSONL line per row (`recordId` + `modelInput`). */
  lines: string[];
  /** Characters of the rendered requests, for the cost estimate. */
  chars: number;
  maxTokens?: number;
  /** The first record's request, for counting its tokens exactly. */
  first?: ConverseRequest;
}

/**
 * Every row rendered into a batch record, each scanned for secrets before anything is uploaded. A row
 * that cannot be sent stops the build with its row and line: a job is all or nothing.
 */
export async function buildJobRecords(
  rows: readonly BatchRow[],
  steps: CaseSteps,
  fileName: string,
): Promise<JobRecords> {
  const out: JobRecords = { lines: [], chars: 0 };
  for (const row of rows) {
    const prepared = await prepareCase(row.input, steps);
    if (!prepared.ok) {
      throw prepared.code === 'InvalidRow'
        ? new BedrockError('Validation', `Row ${row.index + 1} (line ${row.line}) cannot be sent: ${prepared.message}`)
        : new BedrockError(
            'PromptInvalid',
            `Row ${row.index + 1} (line ${row.line}) does not render: ${prepared.message}`,
          );
    }
    if (prepared.rendered.knowledgeBase?.mode === 'generate')
      throw new BedrockError(
        'PromptInvalid',
        'A batch inference job sends Converse records, and this prompt is answered by its knowledge base (`bedrock.knowledgeBase.mode: generate`): run it over the rows locally (Run Over Dataset), or use `mode: retrieve`, whose passages go into each record.',
      );
    const line = toBatchRecord(row.index, prepared.request);
    const secret = (await scanSecretsDeep(line, fileName, row.line))[0];
    if (secret)
      throw new BedrockError(
        'Validation',
        `Not uploaded: a secret (${secret.kind}) was found in row ${row.index + 1} (${fileName}:${row.line}). Remove it from the data, then retry.`,
      );
    out.lines.push(line);
    out.first ??= prepared.request;
    out.chars += requestChars(prepared.request);
    out.maxTokens = prepared.request.inferenceConfig?.maxTokens;
  }
  return out;
}

export interface RequestSample {
  /** The calls the run would make: the readable rows, less the share the sample says would be refused. */
  calls: number;
  averageChars: number;
  maxTokens?: number;
  /** The first sampled request, for counting its tokens exactly (CountTokens) to scale the rest by. */
  first: ConverseRequest;
}

/** The sampled rows (spread over the file by the survey) rendered, to estimate what the run sends. */
export async function sampleRequests(survey: RowSurvey, steps: CaseSteps): Promise<RequestSample | undefined> {
  let chars = 0;
  let usable = 0;
  let maxTokens: number | undefined;
  let first: ConverseRequest | undefined;
  for (const row of survey.sample) {
    const prepared = await prepareCase(row.input, steps);
    if (!prepared.ok) continue;
    first ??= prepared.request;
    usable++;
    chars += requestChars(prepared.request);
    maxTokens = prepared.request.inferenceConfig?.maxTokens;
  }
  if (usable === 0 || !first) return undefined;
  return {
    first,
    calls: Math.round((survey.readable * usable) / survey.sample.length),
    averageChars: chars / usable,
    maxTokens,
  };
}

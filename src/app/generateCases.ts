// Generate Test Cases, once for the editor and `prompt-lab cases generate`: a chosen model proposes new
// cases for a prompt (src/core/format/caseGeneration.ts), the tests file's parser checks each, and the
// result is the tests file's new text for the user to review (the editor shows it in a diff) before it
// is written. Nothing is written here.
import { callCost, converseOnce } from '../core/bedrock/invoke';
import { normalizeModelRef } from '../core/models/modelRef';
import {
  caseRequest,
  proposedCases,
  PROPOSE_TOOL,
  withCasesAppended,
  type ProposedCase,
} from '../core/format/caseGeneration';
import { promptEngine } from '../core/format/loadEngine';
import { parseTestFile } from '../core/format/testCases';
import { BedrockError } from '../core/shared/bedrockError';
import type { Host, PromptSource } from './host';

export interface GeneratedCases {
  cases: ProposedCase[];
  /** Proposals the tests file would refuse, each with the reason. */
  dropped: string[];
  /** The tests file's text with the cases appended (the whole file, for a diff). */
  text: string;
  costUsd?: number;
}

export async function generateCases(
  host: Pick<Host, 'clients' | 'costOf' | 'log'>,
  prompt: Pick<PromptSource, 'text' | 'analysis'> & { name: string },
  testsText: string | undefined,
  opts: { model: string; count: number; signal?: AbortSignal },
): Promise<GeneratedCases> {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 20)
    throw new BedrockError('Validation', `Ask for 1 to 20 cases at a time (not ${opts.count}).`);
  const existing = testsText ? parseTestFile(testsText) : undefined;
  if (existing?.problems.length)
    throw new BedrockError(
      'PromptInvalid',
      `The tests file has problems (line ${existing.problems[0].line + 1}: ${existing.problems[0].message}): fix them first, then generate cases.`,
    );
  const modelId = normalizeModelRef(opts.model).modelId;
  const request = caseRequest({
    modelId,
    promptName: prompt.name,
    promptText: promptEngine().promptTextForRun(prompt.text),
    inputs: prompt.analysis.declaredInputs,
    existing: existing?.cases ?? [],
    count: opts.count,
    judged: existing?.judge !== undefined,
  });
  host.log.info(`generate ${opts.count} test case(s) for ${prompt.name} with ${modelId}`);
  const out = await converseOnce(
    host.clients().runtime,
    request,
    { operation: `generate test cases with ${modelId}`, modelId },
    { signal: opts.signal },
  );
  if (out.error) throw out.error;
  const call = out.toolCalls.find((c) => c.name === PROPOSE_TOOL);
  if (!call)
    throw new BedrockError(
      'ModelError',
      `${modelId} answered without proposing cases (it did not call ${PROPOSE_TOOL}): pick a model that supports tool use (Claude, Nova, Mistral Large, Llama 3.1+).`,
    );
  const { cases, dropped } = proposedCases(
    call.input,
    existing?.cases.map((c) => c.name) ?? [],
    existing?.judge !== undefined,
  );
  if (cases.length === 0)
    throw new BedrockError(
      'ModelError',
      `${modelId} proposed no usable case${dropped.length ? `: ${dropped.join('; ')}` : ''}. Try again, or another model.`,
    );
  return {
    cases,
    dropped,
    text: withCasesAppended(testsText, cases),
    costUsd: callCost((m, u) => host.costOf(m, u), modelId, out)?.usd,
  };
}

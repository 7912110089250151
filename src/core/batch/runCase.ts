// The one per-case runner: an input (a prompt test case, a batch row) → its problem check → render →
// the request for the model → one call. Prompt tests (src/vscode/testing/promptTests.ts), local batch runs and
// batch inference records (src/vscode/commands/batch.ts) all go through it, so a case is refused, rendered and
// sent the same way everywhere. Pure: the steps and the call are given.
import type { InvokeOutcome } from '../bedrock/invoke';
import type { ConverseRequest, RenderResult } from '../format/render';

export interface CaseSteps {
  /** Why this input cannot be sent (a value the prompt needs is missing), if so. */
  problem(input: Record<string, unknown>): string | undefined;
  /** The prompt rendered with the input (compiled once by the caller). */
  render(input: Record<string, unknown>): Promise<RenderResult>;
  /** The request for the model the case runs on: the rendered one, or the same for another model. */
  requestFor(rendered: RenderResult): ConverseRequest;
}

/** A case that cannot be sent: its input is incomplete (`InvalidRow`) or the prompt does not render with it (`PromptInvalid`). */
export interface RefusedCase {
  ok: false;
  code: 'InvalidRow' | 'PromptInvalid';
  message: string;
}

export interface PreparedCase {
  ok: true;
  rendered: RenderResult;
  request: ConverseRequest;
}

export type CaseRun = RefusedCase | (PreparedCase & { outcome: InvokeOutcome });

/** The input checked and rendered into a request; nothing is sent. */
export async function prepareCase(
  input: Record<string, unknown>,
  steps: CaseSteps,
): Promise<RefusedCase | PreparedCase> {
  const problem = steps.problem(input);
  if (problem) return { ok: false, code: 'InvalidRow', message: problem };
  let rendered: RenderResult;
  let request: ConverseRequest;
  try {
    rendered = await steps.render(input);
    request = steps.requestFor(rendered);
  } catch (err) {
    return { ok: false, code: 'PromptInvalid', message: (err as Error).message };
  }
  return { ok: true, rendered, request };
}

/** The input checked, rendered and sent once through `call` (which brings its own retries and limits). */
export async function runCase(
  input: Record<string, unknown>,
  steps: CaseSteps,
  call: (request: ConverseRequest, rendered: RenderResult) => Promise<InvokeOutcome>,
): Promise<CaseRun> {
  const prepared = await prepareCase(input, steps);
  if (!prepared.ok) return prepared;
  return { ...prepared, outcome: await call(prepared.request, prepared.rendered) };
}

// One prompt test case, the engine's part, shared by the Testing view (PromptTestController) and
// `prompt-lab test`: the case's input checked and rendered (the one per-case runner), one call for the
// model the case runs on, the assertions checked (a `rubric` graded by the file's judge model), and a
// report a front end shows its own way (Test Explorer messages, JUnit, JSON, annotations).
import { AdaptiveLimiter, retryFor } from '../core/bedrock/adaptiveLimiter';
import type { ErrorCode } from '../core/shared/bedrockError';
import { callCost, converseOnce, converseStreamOnce, type InvokeOutcome } from '../core/bedrock/invoke';
import { normalizeModelRef } from '../core/models/modelRef';
import type { Usage } from '../core/bedrock/stream';
import { guardrailVerdict } from '../core/bedrock/guardrails';
import { runCase, type CaseSteps } from '../core/batch/runCase';
import type { PromptAnalysis } from '../core/format/analyze';
import type { AssertionResult, Judge } from '../core/format/assertions';
import { inputProblem } from '../core/format/inputs';
import { promptEngine } from '../core/format/loadEngine';
import type { RenderResult } from '../core/format/render';
import type { PromptTestFile, TestCase } from '../core/format/testCases';
import type { Host } from './host';
import { requestFor } from './runPrompt';
import { citedSources, type Retrieval } from '../core/format/knowledgeBase';
import type { AgentRun } from '../core/format/agent';
import { answeringRuntime } from './answering';

export type CaseState = 'passed' | 'failed' | 'errored' | 'skipped';

export interface CaseReport {
  state: CaseState;
  /** errored: why, in one message; failed: each failing assertion's message; passed: each assertion's. */
  messages: string[];
  /** The failing assertions (with expected and actual where they have them, and their lines). */
  failures: AssertionResult[];
  /** What kind of error stopped an errored case (InvalidRow and PromptInvalid: the case or the prompt). */
  errorCode?: ErrorCode | 'InvalidRow';
  modelId?: string;
  output?: string;
  latencyMs?: number;
  /** Only when the case ran streaming (evaluations). */
  timeToFirstTokenMs?: number;
  costUsd?: number;
  /** What the judge's calls cost (rubric assertions). */
  judgeCostUsd?: number;
  usage?: Usage;
  /** Every assertion's verdict (passing ones too), when the answer was checked. */
  results?: AssertionResult[];
}

export interface TestCaseJob {
  testCase: TestCase;
  file: Pick<PromptTestFile, 'model' | 'judge'>;
  /** The prompt's analysis (which inputs it needs). */
  analysis: PromptAnalysis;
  /** The prompt rendered with an input (compiled once per run by the caller). */
  render(input: Record<string, unknown>): Promise<RenderResult>;
  /** The prompt file's name, for messages. */
  promptName: string;
}

export interface TestRunOptions {
  limiter: AdaptiveLimiter;
  signal: AbortSignal;
  /** Run on this model instead of the tests file's or the prompt's. */
  modelOverride?: string;
  /** Stream the answer (ConverseStream), to measure the time to the first token. */
  stream?: boolean;
  /**
   * The model's answer made elsewhere (a batch inference job): used instead of calling the model; the
   * assertions and the judge run as for any answer. `priceFactor` scales its cost (batch: half).
   */
  answered?: { outcome: InvokeOutcome; priceFactor: number };
  /** Grades `rubric` and `reference` assertions instead of the tests file's judge model (a Bedrock evaluation job). */
  judge?: Judge;
}

export async function runTestCase(host: Host, job: TestCaseJob, opts: TestRunOptions): Promise<CaseReport> {
  const { testCase, file } = job;
  const errored = (message: string, errorCode?: CaseReport['errorCode'], modelId?: string): CaseReport => ({
    state: 'errored',
    messages: [message],
    failures: [],
    errorCode,
    modelId,
  });
  const steps: CaseSteps = {
    problem: (input) => inputProblem(job.analysis, input),
    render: (input) => job.render(input),
    requestFor: (r) => requestFor(r, opts.modelOverride ?? file.model),
  };
  const ctxFor = (modelId: string) => ({
    operation: `test "${testCase.name}" on ${modelId}`,
    profile: host.profile(),
    modelId,
  });
  const runtime = host.clients().runtime;
  const call = <T extends { error?: { code: string } }>(send: () => Promise<T>) =>
    opts.limiter.run(send, (o) => retryFor(o.error?.code as ErrorCode | undefined), opts.signal);
  let generated: Retrieval | undefined;
  let agentRun: AgentRun | undefined;
  const ran = await runCase(testCase.input, steps, async (request, rendered) => {
    if (opts.answered) return opts.answered.outcome;
    const answering = answeringRuntime(host.clients(), rendered);
    const outcome = await call(() =>
      opts.stream
        ? converseStreamOnce(answering.runtime, request, ctxFor(request.modelId), {
            signal: opts.signal,
            stallTimeoutMs: host.stallTimeoutMs(),
          })
        : converseOnce(answering.runtime, request, ctxFor(request.modelId), { signal: opts.signal, retries: false }),
    );
    generated = answering.retrieval();
    agentRun = answering.agentRun();
    return outcome;
  });
  if (!ran.ok) {
    return errored(
      ran.code === 'InvalidRow'
        ? `Case "${testCase.name}": ${ran.message}`
        : `Could not render ${job.promptName} with this case's input: ${ran.message}`,
      ran.code,
    );
  }
  const { rendered, request, outcome } = ran;
  if (outcome.error) {
    if (outcome.error.code === 'Cancelled') return { state: 'skipped', messages: [], failures: [] };
    return errored(`${request.modelId}: ${outcome.error.message}`, outcome.error.code, request.modelId);
  }
  const listed = callCost((m, u) => host.costOf(m, u), request.modelId, outcome);
  const cost = listed && opts.answered ? { ...listed, usd: listed.usd * opts.answered.priceFactor } : listed;
  const ran2 = {
    modelId: request.modelId,
    output: outcome.text,
    latencyMs: outcome.latencyMs,
    timeToFirstTokenMs: outcome.timeToFirstTokenMs,
    costUsd: cost?.usd,
    usage: outcome.usage,
  };
  let judgeCostUsd: number | undefined;
  const judgeModel = file.judge ? normalizeModelRef(file.judge).modelId : undefined;
  const engine = promptEngine();
  let results: AssertionResult[];
  try {
    results = await engine.checkAssertions(
      testCase.assertions,
      {
        text: outcome.text,
        latencyMs: outcome.latencyMs,
        costUsd: cost?.usd,
        outputTokens: outcome.usage?.outputTokens,
        guardrail: guardrailVerdict(outcome),
        retrieved: (generated ?? rendered.retrieval)?.passages.map((p) => p.source),
        cited: citedSources(outcome.citations ?? [], generated ?? rendered.retrieval),
        toolCalls: agentRun?.toolCalls ?? outcome.toolCalls.map((t) => t.name),
      },
      {
        outputSchema: rendered.outputSchema,
        judge: opts.judge
          ? opts.judge
          : judgeModel
            ? async (rubric, answer, reference) => {
                const graded = await call(() =>
                  converseOnce(
                    runtime,
                    engine.judgeRequest(judgeModel, rubric, answer, reference),
                    { ...ctxFor(request.modelId), operation: `judge with ${judgeModel}`, modelId: judgeModel },
                    { signal: opts.signal, retries: false },
                  ),
                );
                const judged = host.costOf(judgeModel, graded.usage)?.usd;
                if (judged !== undefined) judgeCostUsd = (judgeCostUsd ?? 0) + judged;
                return engine.verdictFrom(graded);
              }
            : undefined,
      },
    );
  } catch (err) {
    return { ...errored(`Checking the assertions failed: ${(err as Error).message}`), ...ran2, state: 'errored' };
  }
  const failures = results.filter((r) => !r.pass);
  const checked = { ...ran2, judgeCostUsd, results };
  return failures.length === 0
    ? { state: 'passed', messages: results.map((r) => r.message), failures, ...checked }
    : { state: 'failed', messages: failures.map((f) => f.message), failures, ...checked };
}

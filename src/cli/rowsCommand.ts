// `prompt-lab rows <file.prompt> <rows> -o results.jsonl`: the editor's "Run Over Dataset" in a terminal.
// One Converse call per row (bounded, adaptive concurrency) into a JSONL; an interrupted run (Ctrl+C, a
// lost credential, a crash) keeps its answers in `<output>.partial` and the same command resumes it.
import path from 'node:path';
import type { Host } from '../app/host';
import { discardPartial, estimateRows, planRows, runRows } from '../app/runRows';
import { BedrockError } from '../core/shared/bedrockError';
import { estimateBasis, formatEstimate, formatUsd } from '../core/bedrock/pricing';
import { EXIT } from './exitCodes';
import { progressLine } from './progress';
import { loadPrompt } from './runCommand';

export interface RowsCommandOptions {
  output?: string;
  model?: string;
  concurrency: number;
  /** Forget an interrupted run's answers and send every row again. */
  restart?: boolean;
  /** Refuse to start when the estimate's upper bound is above this (US dollars). */
  maxCost?: number;
  quiet?: boolean;
}

export async function rowsCommand(
  host: Host,
  file: string,
  rowsFile: string,
  opts: RowsCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
    throw new BedrockError('PromptInvalid', `--concurrency ${opts.concurrency}: give a whole number of 1 or more.`);
  const prompt = await loadPrompt(file);
  const plan = await planRows(host, prompt, path.resolve(rowsFile), {
    outputPath: opts.output ? path.resolve(opts.output) : undefined,
    modelId: opts.model,
  });
  const say = (line: string) => !opts.quiet && process.stderr.write(`${line}\n`);
  if (plan.hasPartial && opts.restart) await discardPartial(plan);
  else if (plan.hasPartial)
    say(`resuming the interrupted run in ${host.displayPath(plan.partialPath)} (--restart sends every row again)`);
  const estimate = await estimateRows(host, plan);
  if (opts.maxCost !== undefined && estimate && (estimate.maxUsd ?? estimate.inputUsd) > opts.maxCost) {
    process.stderr.write(
      `prompt-lab: gate failed: ${plan.survey.count} rows on ${plan.modelId} are estimated at ${formatEstimate(estimate)}, over --max-cost ${formatUsd(opts.maxCost)}. Nothing was sent.\n`,
    );
    return EXIT.failed;
  }
  say(
    `${plan.survey.count} rows of ${host.displayPath(plan.dataPath)} on ${plan.modelId} → ${host.displayPath(plan.outputPath)}; estimated ${estimate ? `${formatEstimate(estimate)} (${estimateBasis(estimate)})` : 'cost unknown (no price for the model)'}`,
  );
  const progress = progressLine(plan.survey.count, 'rows', { quiet: opts.quiet });
  const started = performance.now();
  const result = await runRows(host, plan, {
    concurrency: opts.concurrency,
    signal,
    onProgress: (p) =>
      progress.update(
        p.done,
        p.costUsd,
        [
          p.failed ? `${p.failed} failed` : '',
          p.throttled ? `throttled ${p.throttled}×, ${p.concurrency} at a time` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
  });
  progress.end();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const done = result.resumed + result.written;
  if (result.fatalError)
    throw new BedrockError(
      result.fatalError.code,
      `${result.fatalError.message} The ${done} rows answered so far are kept in ${host.displayPath(plan.partialPath)}: run the same command again to resume.`,
    );
  if (!result.complete) {
    say(
      `stopped after ${done} of ${result.total} rows (${seconds} s): the answers so far are in ${host.displayPath(plan.partialPath)}; run the same command again to resume.`,
    );
    return signal.aborted ? EXIT.interrupted : EXIT.service;
  }
  say(
    `${result.total} rows → ${host.displayPath(plan.outputPath)} in ${seconds} s${result.resumed ? ` (${result.resumed} resumed)` : ''}${result.failed ? `; ${result.failed} failed: see their "error"` : ''}`,
  );
  if (result.failed === 0) return EXIT.ok;
  // The file is complete, with the failed rows' errors in it: a script can retry those rows.
  process.stderr.write(`prompt-lab: ${result.failed} of ${result.total} rows failed: their "error" says why.\n`);
  return EXIT.failed;
}

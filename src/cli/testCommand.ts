// `prompt-lab test [paths…]`: each `x.tests.yaml` with its `x.prompt`, every case through the same use
// case as the Testing view (src/app/runTests.ts), reported for people and for CI, with gates.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTestCase, type CaseReport } from '../app/runTests';
import type { Host } from '../app/host';
import { retrieverFor } from '../app/retrieval';
import { compilePromptText } from '../app/runPrompt';
import { AdaptiveLimiter } from '../core/bedrock/adaptiveLimiter';
import { BedrockError } from '../core/shared/bedrockError';
import { formatUsd } from '../core/bedrock/pricing';
import { decodeText } from '../core/io/readText';
import { promptEngine } from '../core/format/loadEngine';
import { isTestsFilePath, promptPathFor, testsPathFor } from '../core/format/testFiles';
import { confinedPromptFiles, diskAnalysisContext, isInside } from '../core/io/promptFiles';
import { forEachBounded } from '../core/shared/pool';
import { progressLine } from './progress';
import { EXIT, exitCodeFor } from './exitCodes';
import { filesUnder } from './filesUnder';
import { readBaseline } from './baseline';
import { compareWithBaseline, comparisonMarkdown, regressionProblem } from '../app/baseline';
import { mergeRepeats, summarize, type CaseEntry } from '../app/testResult';
import { githubReport, jsonReport, junitReport, prettyCase, summaryLine, type ReporterName } from './testReporters';

/** Which cases run, and how: what `test` and the MCP server's test tool share. */
export interface SuiteOptions {
  model?: string;
  concurrency: number;
  grep?: string;
  shard?: string;
  /** Run each case this many times and report how often it passed. */
  repeat: number;
}

export interface TestCommandOptions extends SuiteOptions {
  reporter: ReporterName[];
  output: string[];
  minPassRate?: string;
  maxCost?: number;
  /** A saved result to compare with, and the largest drop of the pass rate it allows (0: no case may newly fail). */
  baseline?: string;
  maxRegression?: string;
  quiet?: boolean;
}

/** `i/N` → [i, N], checked. */
export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n)
    throw new BedrockError('PromptInvalid', `--shard ${text}: write it as i/N with 1 ≤ i ≤ N, e.g. --shard 2/4.`);
  return [i, n];
}

/** Which shard (1…N) runs a case: a hash of its id, so N jobs together run each case exactly once. */
export function shardOf(id: string, n: number): number {
  return (createHash('sha1').update(id).digest().readUInt32BE(0) % n) + 1;
}

/** A rate as 0.9 or 90%. */
function parseRate(text: string, flag: string): number {
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new BedrockError('PromptInvalid', `${flag} ${text}: give a rate from 0 to 1, or a percentage such as 90%.`);
  return value;
}

interface PendingCase {
  entry: Omit<CaseEntry, 'report'>;
  run: () => Promise<CaseReport>;
}

async function collectCases(host: Host, files: string[], root: string, opts: SuiteOptions, signal: AbortSignal) {
  const shown = (f: string) => (isInside(root, f) ? path.relative(root, f) : f).split(path.sep).join('/');
  const limiter = new AdaptiveLimiter({ maxConcurrency: opts.concurrency });
  const pending: PendingCase[] = [];
  const problems: string[] = [];
  for (const testsPath of files) {
    const testsText = await fs.readFile(testsPath).then(decodeText, (err: Error) => {
      problems.push(`${shown(testsPath)}: cannot be read (${err.message}).`);
      return undefined;
    });
    if (testsText === undefined) continue;
    const parsed = promptEngine().parseTestFile(testsText);
    for (const p of parsed.problems) problems.push(`${shown(testsPath)}:${p.line + 1}: ${p.message}`);
    const promptPath = promptPathFor(testsPath);
    const promptText = await fs.readFile(promptPath).then(decodeText, () => undefined);
    if (promptText === undefined) {
      problems.push(`${shown(testsPath)}: its prompt ${shown(promptPath)} does not exist or cannot be read.`);
      continue;
    }
    const analysis = promptEngine().analyzePrompt(promptText, diskAnalysisContext(promptPath, root));
    let compiled: ReturnType<typeof compilePromptText> | undefined;
    const render = async (input: Record<string, unknown>) =>
      (await (compiled ??= compilePromptText(promptText, confinedPromptFiles(promptPath, root), retrieverFor(host))))(
        input,
      );
    for (const testCase of parsed.cases) {
      const entry = {
        id: `${shown(testsPath)}#${testCase.name}`,
        testsFile: shown(testsPath),
        promptFile: shown(promptPath),
        name: testCase.name,
        line: testCase.line + 1,
      };
      pending.push({
        entry,
        run: () =>
          runTestCase(
            host,
            { testCase, file: parsed, analysis, render, promptName: path.basename(promptPath) },
            { limiter, signal, modelOverride: opts.model },
          ),
      });
    }
  }
  return { pending, problems };
}

/** Finds the tests files under `paths` (a .prompt stands for its tests file), selects and runs their cases. */
export async function runSuite(
  host: Host,
  paths: string[],
  opts: SuiteOptions,
  signal: AbortSignal,
  events: {
    started?: (total: number) => void;
    finished?: (entry: CaseEntry, finished: number, costUsd: number) => void;
  } = {},
): Promise<{ done: CaseEntry[]; summary: ReturnType<typeof summarize> }> {
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  if (!Number.isInteger(opts.repeat) || opts.repeat < 1)
    throw new BedrockError('PromptInvalid', '--repeat must be a whole number of 1 or more.');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
    throw new BedrockError('PromptInvalid', '--concurrency must be a whole number of 1 or more.');
  const root = process.cwd();
  // A .prompt given stands for its tests file.
  const files = await filesUnder(paths.length > 0 ? paths : ['.'], {
    matches: isTestsFilePath,
    given: (file) => {
      if (isTestsFilePath(file)) return file;
      if (file.endsWith('.prompt')) return testsPathFor(file, existsSync);
      throw new BedrockError('PromptInvalid', `${file} is neither a .tests.yaml file nor a .prompt file.`);
    },
    what: 'tests files, prompts or folders that hold them',
  });
  if (files.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      'No .tests.yaml files there: give tests files, prompts or folders that hold them.',
    );
  const { pending, problems } = await collectCases(host, files, root, opts, signal);
  if (problems.length > 0)
    throw new BedrockError('PromptInvalid', `the tests files have problems:\n${problems.join('\n')}`);
  const grep = opts.grep?.toLowerCase();
  const selected = pending.filter(
    (p) => (!grep || p.entry.id.toLowerCase().includes(grep)) && (!shard || shardOf(p.entry.id, shard[1]) === shard[0]),
  );
  if (selected.length === 0 && !shard) throw new BedrockError('PromptInvalid', 'No test case matches: check --grep.');

  events.started?.(selected.length);
  const started = performance.now();
  const done: CaseEntry[] = new Array(selected.length);
  let finished = 0;
  let cost = 0;
  await forEachBounded(
    selected.map((p, i) => [p, i] as const),
    opts.concurrency,
    async ([p, i]) => {
      const runs: CaseReport[] = [];
      for (let r = 0; r < opts.repeat; r++)
        runs.push(signal.aborted ? { state: 'skipped', messages: [], failures: [] } : await p.run());
      const merged = opts.repeat > 1 ? mergeRepeats(runs) : { report: runs[0], repeat: undefined };
      const report = merged.report;
      done[i] = { ...p.entry, report, repeat: merged.repeat };
      finished++;
      cost += report.costUsd ?? 0;
      events.finished?.(done[i], finished, cost);
    },
  );
  return { done, summary: summarize(done, performance.now() - started) };
}

export async function testCommand(
  host: Host,
  paths: string[],
  opts: TestCommandOptions,
  version: string,
  signal: AbortSignal,
): Promise<number> {
  // Everything about the flags is checked before anything is sent.
  if (opts.shard) parseShard(opts.shard);
  const minPassRate = opts.minPassRate !== undefined ? parseRate(opts.minPassRate, '--min-pass-rate') : undefined;
  const maxRegression = opts.maxRegression !== undefined ? parseRate(opts.maxRegression, '--max-regression') : 0;
  if (opts.maxRegression !== undefined && !opts.baseline)
    throw new BedrockError('PromptInvalid', '--max-regression compares with a --baseline: give the saved result too.');
  const baseline = opts.baseline ? await readBaseline(opts.baseline) : undefined;
  if (opts.output.length > opts.reporter.length)
    throw new BedrockError(
      'PromptInvalid',
      'Each --output names the file of the --reporter before it: give a --reporter for each --output.',
    );
  if (opts.reporter.length - opts.output.length > 1)
    throw new BedrockError(
      'PromptInvalid',
      'Only one reporter can print to the terminal: give an --output file for the others.',
    );

  const pretty =
    opts.reporter.length === 0 || (opts.reporter.at(-1) === 'pretty' && opts.output.length < opts.reporter.length);
  let progress: ReturnType<typeof progressLine> | undefined;
  const { done, summary } = await runSuite(host, paths, opts, signal, {
    started: (total) => (progress = progressLine(total, 'cases', { quiet: opts.quiet })),
    finished: (entry, finished, cost) => {
      if (pretty) {
        progress?.end();
        process.stdout.write(prettyCase(entry));
      }
      progress?.update(finished, cost);
    },
  });
  progress?.end();

  // Reporters: the Nth --output is the file of the Nth --reporter; one may print here.
  const reporters = opts.reporter.length > 0 ? opts.reporter : ['pretty' as const];
  for (const [i, name] of reporters.entries()) {
    const text =
      name === 'json'
        ? jsonReport(done, summary, version)
        : name === 'junit'
          ? junitReport(done, summary)
          : name === 'github'
            ? githubReport(done, summary)
            : (i < opts.output.length ? done.map(prettyCase).join('') : '') + `${summaryLine(summary)}\n`;
    const file = opts.output[i];
    if (file) {
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, text);
      await fs.rename(tmp, file);
    } else if (name === 'pretty') {
      if (!opts.quiet) process.stdout.write(text);
    } else process.stdout.write(text);
  }
  if (opts.reporter.length > 0 && !reporters.includes('pretty') && !opts.quiet)
    process.stderr.write(`${summaryLine(summary)}\n`);

  if (signal.aborted) return EXIT.interrupted;
  // An error that says something about the set-up (credentials, the service) outranks failing cases.
  const codes = done
    .filter((c) => c.report.state === 'errored')
    .map((c) => {
      const code = c.report.errorCode;
      return code === undefined || code === 'InvalidRow' ? EXIT.usage : exitCodeFor(code);
    });
  for (const code of [EXIT.access, EXIT.service, EXIT.usage]) if (codes.includes(code)) return code;
  const gateFailures: string[] = [];
  if (baseline) {
    const comparison = compareWithBaseline(
      baseline,
      done.map((c) => ({ id: c.id, state: c.report.state })),
      // Over the cases both runs have: a run of some files (or --grep, --shard) is not a drop.
      { sameCasesOnly: true },
    );
    const markdown = comparisonMarkdown(comparison);
    if (!opts.quiet) process.stderr.write(markdown);
    // In a GitHub Actions job, the comparison also goes to the job's summary page.
    if (process.env.GITHUB_STEP_SUMMARY) await fs.appendFile(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    const problem = regressionProblem(comparison, maxRegression);
    if (problem) gateFailures.push(problem);
  }
  if (minPassRate !== undefined && summary.passRate < minPassRate)
    gateFailures.push(
      `pass rate ${(summary.passRate * 100).toFixed(1)}% is under --min-pass-rate ${(minPassRate * 100).toFixed(1)}%`,
    );
  if (opts.maxCost !== undefined && summary.costUsd > opts.maxCost)
    gateFailures.push(`cost ~${formatUsd(summary.costUsd)} is over --max-cost ${formatUsd(opts.maxCost)}`);
  for (const g of gateFailures) process.stderr.write(`prompt-lab: gate failed: ${g}.\n`);
  if (gateFailures.length > 0) return EXIT.failed;
  if (minPassRate === undefined && summary.passed + summary.skipped < summary.total) return EXIT.failed;
  return EXIT.ok;
}

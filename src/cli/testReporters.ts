// How `prompt-lab test` reports: pretty (a terminal or a log), json (the versioned result,
// docs/test-result.schema.json), junit (CI test tabs), github (annotations on the pull request's files).
import { XMLBuilder } from 'fast-xml-parser';
import type { CaseReport } from '../app/runTests';
import { formatUsd } from '../core/bedrock/pricing';
import { colors } from './progress';
import type { TestResult } from '../core/format/testResult';

export const REPORTERS = ['pretty', 'json', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface CaseEntry {
  /** `<tests file>#<case name>`: what --grep and --shard read. */
  id: string;
  testsFile: string;
  promptFile: string;
  name: string;
  /** 1-based line of the case in the tests file. */
  line: number;
  report: CaseReport;
  /** With --repeat N: how the N runs of the case went. */
  repeat?: RepeatStats;
}

export interface RepeatStats {
  runs: number;
  passed: number;
  failed: number;
  errored: number;
  /** Latency over the runs that got an answer, in ms. */
  latencyMs?: { mean: number; stdev: number; min: number; max: number };
}

/**
 * N runs of one case as one entry: passed only when every run passed; errored when none got an answer;
 * else failed (a case that passes only sometimes is a failing case). Cost adds up; the messages are the
 * first failing run's.
 */
export function mergeRepeats(reports: CaseReport[]): { report: CaseReport; repeat: RepeatStats } {
  const count = (s: CaseReport['state']) => reports.filter((r) => r.state === s).length;
  const latencies = reports.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  const stdev = Math.sqrt(latencies.reduce((a, b) => a + (b - mean) ** 2, 0) / (latencies.length || 1));
  const repeat: RepeatStats = {
    runs: reports.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    latencyMs: latencies.length ? { mean, stdev, min: Math.min(...latencies), max: Math.max(...latencies) } : undefined,
  };
  const worst =
    reports.find((r) => r.state === 'failed') ?? reports.find((r) => r.state === 'errored') ?? reports.at(-1)!;
  const state: CaseReport['state'] =
    repeat.passed === reports.length
      ? 'passed'
      : repeat.errored === reports.length
        ? 'errored'
        : count('skipped') === reports.length
          ? 'skipped'
          : 'failed';
  const costs = reports.flatMap((r) => (r.costUsd === undefined ? [] : [r.costUsd]));
  return {
    report: {
      ...worst,
      state,
      latencyMs: latencies.length ? mean : worst.latencyMs,
      costUsd: costs.length ? costs.reduce((a, b) => a + b, 0) : undefined,
    },
    repeat,
  };
}

/** The result's summary (docs/test-result.schema.json); passRate is passed / (total - skipped), 1 when nothing ran. */
export type TestSummary = TestResult['summary'];

export const TEST_RESULT_VERSION = 1;

export function summarize(cases: CaseEntry[], durationMs: number): TestSummary {
  const count = (s: CaseReport['state']) => cases.filter((c) => c.report.state === s).length;
  const skipped = count('skipped');
  const ran = cases.length - skipped;
  return {
    total: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    skipped,
    passRate: ran === 0 ? 1 : count('passed') / ran,
    costUsd: cases.reduce((sum, c) => sum + (c.report.costUsd ?? 0), 0),
    durationMs,
  };
}

/** The versioned result (docs/test-result.schema.json): the json reporter's file, the MCP test tool's answer. */
export function testResult(cases: CaseEntry[], summary: TestSummary, version: string) {
  return {
    version: TEST_RESULT_VERSION,
    tool: { name: 'prompt-lab', version },
    summary,
    cases: cases.map((c) => ({
      id: c.id,
      testsFile: c.testsFile,
      promptFile: c.promptFile,
      name: c.name,
      line: c.line,
      state: c.report.state,
      modelId: c.report.modelId,
      messages: c.report.messages,
      failures: c.report.failures.map((f) => ({
        kind: f.assertion.kind,
        line: f.assertion.line + 1,
        message: f.message,
        expected: f.expected,
        actual: f.actual,
      })),
      errorCode: c.report.errorCode,
      answer: c.report.output,
      usage: c.report.usage,
      costUsd: c.report.costUsd,
      latencyMs: c.report.latencyMs,
      repeat: c.repeat,
    })),
  };
}

export function jsonReport(cases: CaseEntry[], summary: TestSummary, version: string): string {
  return `${JSON.stringify(testResult(cases, summary, version), null, 2)}\n`;
}

export function junitReport(cases: CaseEntry[], summary: TestSummary): string {
  const files = [...new Set(cases.map((c) => c.testsFile))];
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const testcase = (c: CaseEntry) => {
    const r = c.report;
    const body: Record<string, unknown> = {
      '@_name': c.name,
      '@_classname': c.testsFile,
      '@_time': seconds(r.latencyMs),
      '@_file': c.testsFile,
      '@_line': c.line,
    };
    if (r.state === 'failed') body.failure = { '@_message': r.messages[0] ?? 'failed', '#text': r.messages.join('\n') };
    if (r.state === 'errored') body.error = { '@_message': r.messages[0] ?? 'error', '#text': r.messages.join('\n') };
    if (r.state === 'skipped') body.skipped = '';
    if (r.output !== undefined) body['system-out'] = r.output;
    return body;
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
  });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'prompt-lab',
      '@_tests': summary.total,
      '@_failures': summary.failed,
      '@_errors': summary.errored,
      '@_skipped': summary.skipped,
      '@_time': seconds(summary.durationMs),
      testsuite: files.map((file) => {
        const own = cases.filter((c) => c.testsFile === file);
        return {
          '@_name': file,
          '@_tests': own.length,
          '@_failures': own.filter((c) => c.report.state === 'failed').length,
          '@_errors': own.filter((c) => c.report.state === 'errored').length,
          '@_skipped': own.filter((c) => c.report.state === 'skipped').length,
          '@_time': seconds(own.reduce((t, c) => t + (c.report.latencyMs ?? 0), 0)),
          testcase: own.map(testcase),
        };
      }),
    },
  }) as string;
}

/** GitHub Actions workflow commands: escaped as the runner unescapes them (data: % CR LF; properties also : ,). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubReport(cases: CaseEntry[], summary: TestSummary): string {
  const lines = cases
    .filter((c) => c.report.state === 'failed' || c.report.state === 'errored')
    .map((c) => {
      const line = c.report.state === 'failed' ? (c.report.failures[0]?.assertion.line ?? c.line - 1) + 1 : c.line;
      return `::error file=${escapeProperty(c.testsFile)},line=${line},title=${escapeProperty(c.name)}::${escapeData(c.report.messages.join('\n'))}\n`;
    });
  lines.push(`::notice title=prompt-lab::${escapeData(summaryLine(summary))}\n`);
  return lines.join('');
}

export function summaryLine(s: TestSummary): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.errored} errored${s.skipped ? `, ${s.skipped} skipped` : ''} · pass rate ${(s.passRate * 100).toFixed(1)}% · ~${formatUsd(s.costUsd)} · ${(s.durationMs / 1000).toFixed(1)} s`;
}

/** One line per case as it ends (the pretty reporter prints these as they come). */
export function prettyCase(c: CaseEntry): string {
  const r = c.report;
  const mark = {
    passed: colors.green('✔'),
    failed: colors.red('✘'),
    errored: colors.yellow('!'),
    skipped: colors.dim('-'),
  }[r.state];
  const rep = c.repeat;
  const time = rep
    ? ` (${rep.passed}/${rep.runs} passed${rep.latencyMs ? `, ${Math.round(rep.latencyMs.mean)} ± ${Math.round(rep.latencyMs.stdev)} ms` : ''})`
    : r.latencyMs !== undefined
      ? ` (${Math.round(r.latencyMs)} ms)`
      : '';
  const head = `${mark} ${c.testsFile} › ${c.name}${time}`;
  if (r.state === 'passed' || r.state === 'skipped') return `${head}\n`;
  return `${head}\n${r.messages.map((m) => `    ${m.replace(/\n/g, '\n    ')}`).join('\n')}\n`;
}

// A run of test cases as the versioned result (docs/test-result.schema.json, version 1): one entry per
// case, with N repeats merged into one, and the summary. The CLI's json reporter, the MCP test tool and the
// editor's "Save Test Results as Baseline" all write it from here, so what CI keeps and what the editor
// keeps are one format.
import type { CaseReport } from './runTests';
import type { TestResult } from '../core/format/testResult';

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

export const TEST_RESULT_VERSION = 1 as const;

export function summarize(cases: CaseEntry[], durationMs: number): TestSummary {
  return summaryOf(
    cases.map((c) => ({ state: c.report.state, costUsd: c.report.costUsd })),
    durationMs,
  );
}

function summaryOf(cases: { state: CaseReport['state']; costUsd?: number }[], durationMs: number): TestSummary {
  const count = (s: CaseReport['state']) => cases.filter((c) => c.state === s).length;
  const skipped = count('skipped');
  const ran = cases.length - skipped;
  return {
    total: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    skipped,
    passRate: ran === 0 ? 1 : count('passed') / ran,
    costUsd: cases.reduce((sum, c) => sum + (c.costUsd ?? 0), 0),
    durationMs,
  };
}

/** The versioned result (docs/test-result.schema.json): the json reporter's file, the MCP test tool's answer. */
export function testResult(cases: CaseEntry[], summary: TestSummary, version: string) {
  return {
    version: TEST_RESULT_VERSION,
    tool: { name: 'prompt-lab' as const, version },
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

/**
 * A newer result laid over an older one, case by case: the newer state of each case it ran, the older one
 * of the rest, and the summary counted again. Saving the cases run now as the baseline keeps the
 * baseline's other cases (the editor runs a file or a case at a time).
 */
export function mergeResults(older: TestResult, newer: TestResult): TestResult {
  const ran = new Set(newer.cases.map((c) => c.id));
  const cases = [...older.cases.filter((c) => !ran.has(c.id)), ...newer.cases];
  return { ...newer, summary: summaryOf(cases, older.summary.durationMs + newer.summary.durationMs), cases };
}

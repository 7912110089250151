// How `prompt-lab test` reports: pretty (a terminal or a log), json (the versioned result,
// docs/test-result.schema.json), junit (CI test tabs), github (annotations on the pull request's files).
import { XMLBuilder } from 'fast-xml-parser';
import { formatUsd } from '../core/bedrock/pricing';
import { colors } from './progress';
import { testResult, type CaseEntry, type TestSummary } from '../app/testResult';

export const REPORTERS = ['pretty', 'json', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

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

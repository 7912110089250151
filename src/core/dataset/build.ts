// Builds a dataset: records from the sources, secret scanning, the model's rules, duplicates removed,
// a deterministic train/validation split, written to temporary files that are renamed only when the
// whole build succeeded. Memory stays bounded: records are written as they come; only a hash per record
// (for duplicates) and a token histogram are kept.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CHARS_PER_TOKEN } from './formats';
import { type ModelRules } from '../models/registry';
import { formatRecord, type RecordProblem, type SourceRecord } from './records';
import type { SecretFinding } from '../safety/secrets';
import { findingsOf, redactRanges } from '../safety/secretScan';
import { startScanThread, type ScanThread } from './scanThread';
import type { SecretMatch } from '../shared/secretRules';
import { commitDataset, outputErrorMessage, recoverOutput, TempFile, type OpenStream } from './outputFiles';
import { recordsFrom, type DatasetFile, type SourceItem, type SourceOptions } from './sources';
import { remedies } from '../shared/remedies';

export interface BuildOptions {
  rules: ModelRules;
  modelId: string;
  outputDir: string;
  /** Fraction of records for validation, 0–0.5. */
  validationSplit: number;
  seed: number;
  /** 'block' (default): any secret stops the build; 'redact': secrets are replaced and reported. */
  secrets: 'block' | 'redact';
  source: Omit<SourceOptions, 'customization' | 'maxChunkChars'>;
  signal?: AbortSignal;
  onProgress?: (filesDone: number, filesTotal: number, records: number) => void;
  /** Opens the temporary files (tests inject a device that fails, such as /dev/full). */
  openStream?: OpenStream;
}

export interface TokenStats {
  records: number;
  total: number;
  min: number;
  max: number;
  mean: number;
  p95: number;
}

export interface DatasetReport {
  modelId: string;
  family: string;
  format: string;
  customization: string;
  ok: boolean;
  /** Why the build produced no dataset, when it did not. */
  failure?: string;
  trainFile?: string;
  validationFile?: string;
  train: number;
  validation: number;
  duplicates: number;
  filesRead: number;
  skipped: { path: string; reason: string }[];
  rejected: RecordProblem[];
  secrets: SecretFinding[];
  secretsRedacted: boolean;
  tokens: TokenStats;
  bytes: { train: number; validation: number };
  warnings: string[];
}

/** Deterministic, order-independent split: a record goes to validation when hash(seed, record) < fraction. */
export function goesToValidation(recordHash: string, seed: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  const h = createHash('sha256').update(`${seed}:${recordHash}`).digest();
  return h.readUInt32BE(0) / 0x100000000 < fraction;
}

class Histogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  total = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;
  add(v: number): void {
    this.count++;
    this.total += v;
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
    const b = v < 64 ? v : Math.round(2 ** (Math.round(Math.log2(v) * 8) / 8));
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
  }
  stats(): TokenStats {
    let p95 = 0;
    let seen = 0;
    for (const [b, n] of [...this.buckets.entries()].sort((a, c) => a[0] - c[0])) {
      seen += n;
      if (seen >= this.count * 0.95) {
        p95 = b;
        break;
      }
    }
    return {
      records: this.count,
      total: this.total,
      min: this.count ? this.min : 0,
      max: this.max,
      mean: this.count ? this.total / this.count : 0,
      p95,
    };
  }
}

export async function buildDataset(files: DatasetFile[], opts: BuildOptions): Promise<DatasetReport> {
  const { rules } = opts;
  const report: DatasetReport = {
    modelId: opts.modelId,
    family: rules.family,
    format: rules.format,
    customization: rules.customization,
    ok: false,
    train: 0,
    validation: 0,
    duplicates: 0,
    filesRead: 0,
    skipped: [],
    rejected: [],
    secrets: [],
    secretsRedacted: opts.secrets === 'redact',
    tokens: { records: 0, total: 0, min: 0, max: 0, mean: 0, p95: 0 },
    bytes: { train: 0, validation: 0 },
    warnings: [],
  };
  try {
    await fs.mkdir(opts.outputDir, { recursive: true });
    report.warnings.push(...(await recoverOutput(opts.outputDir)));
  } catch (err) {
    report.failure = outputErrorMessage(err, opts.outputDir);
    return report;
  }
  const trainPath = path.join(opts.outputDir, 'train.jsonl');
  const validationPath = path.join(opts.outputDir, 'validation.jsonl');
  const split = rules.validationAllowed ? Math.max(0, Math.min(0.5, opts.validationSplit)) : 0;
  if (!rules.validationAllowed && opts.validationSplit > 0)
    report.warnings.push(`${rules.family} takes no validation set: every record goes to train.jsonl.`);
  let train: TempFile;
  let validation: TempFile | undefined;
  try {
    train = new TempFile(trainPath, opts.openStream);
    validation = split > 0 ? new TempFile(validationPath, opts.openStream) : undefined;
  } catch (err) {
    report.failure = outputErrorMessage(err, opts.outputDir);
    return report;
  }
  const seen = new Set<string>();
  const histogram = new Histogram();
  const maxChunkChars = (rules.maxTokensPerRecord ?? 4096) * CHARS_PER_TOKEN;
  let failure: string | undefined;
  let filesDone = 0;
  let lastFile = '';
  // Files are read and records scanned on a second thread, a few records ahead of this loop.
  const thread = startScanThread();
  const sourceFiles = files.map((f) =>
    f.fsPath === undefined ? f : { ...f, read: () => thread.readTextFile(f.fsPath as string) },
  );
  try {
    for await (const { item, joined, ranges } of scannedAhead(
      recordsFrom(sourceFiles, { ...opts.source, customization: rules.customization, maxChunkChars }),
      thread,
    )) {
      if (opts.signal?.aborted) {
        failure = 'Cancelled: no dataset was written.';
        break;
      }
      if ('skipped' in item) {
        report.skipped.push({ path: item.skipped, reason: item.reason });
        filesDone++;
        continue;
      }
      if ('problem' in item) {
        report.rejected.push({ path: item.path, line: item.line, message: item.message });
        continue;
      }
      if (item.path !== lastFile) {
        lastFile = item.path;
        filesDone++;
        opts.onProgress?.(filesDone, files.length, report.train + report.validation);
      }
      let record: SourceRecord = item;
      // Plain text keeps its own line numbers; an example's fields are reported at the example's line.
      // One scan of the record's fields joined (a secret split over the prompt and the completion is one
      // secret), and redaction of exactly what that scan found, field by field.
      const found = findingsOf(joined!.text, ranges!, record.path, record.line).map((f) =>
        record.kind === 'text' ? f : { ...f, line: record.line },
      );
      if (found.length > 0) {
        report.secrets.push(...found);
        if (opts.secrets === 'block') continue;
        record = redactRecord(record, joined!, ranges!);
      }
      const formatted = formatRecord(record, rules);
      if ('message' in formatted) {
        report.rejected.push(formatted);
        continue;
      }
      const hash = createHash('sha1').update(formatted.line).digest('base64');
      if (seen.has(hash)) {
        report.duplicates++;
        continue;
      }
      seen.add(hash);
      let toValidation = validation !== undefined && goesToValidation(hash, opts.seed, split);
      if (toValidation && rules.maxValidationRecords !== undefined && report.validation >= rules.maxValidationRecords)
        toValidation = false;
      histogram.add(formatted.tokens);
      const target = toValidation ? validation! : train;
      if (toValidation) report.validation++;
      else report.train++;
      const wait = target.write(formatted.line);
      if (wait) await wait;
    }
    report.filesRead = filesDone;
    report.tokens = histogram.stats();
    const total = report.train + report.validation;
    if (!failure && opts.secrets === 'block' && report.secrets.length > 0) {
      failure = `${report.secrets.length} secret${report.secrets.length > 1 ? 's' : ''} found (first: ${report.secrets[0].kind} in ${report.secrets[0].path}:${report.secrets[0].line}). Nothing was written: remove them, or build again ${remedies().redactSecrets}.`;
    }
    if (!failure && total === 0) failure = 'No usable records: see the rejected records and skipped files below.';
    if (!failure && rules.minRecords !== undefined && total < rules.minRecords)
      failure = `${total} records; ${rules.family} needs at least ${rules.minRecords}.`;
    if (!failure && rules.maxRecords !== undefined && total > rules.maxRecords)
      failure = `${total} records; ${rules.family} takes at most ${rules.maxRecords} (training + validation).`;
    await train.close();
    if (validation) await validation.close();
    report.bytes = { train: train.bytes, validation: validation?.bytes ?? 0 };
    if (!failure && train.bytes > rules.trainingFileBytes)
      failure = `train.jsonl would be ${(train.bytes / 1024 ** 2).toFixed(0)} MB; ${rules.family} takes at most ${(rules.trainingFileBytes / 1024 ** 2).toFixed(0)} MB.`;
    if (!failure && validation && rules.validationFileBytes && validation.bytes > rules.validationFileBytes)
      failure = `validation.jsonl is over ${(rules.validationFileBytes / 1024 ** 2).toFixed(0)} MB.`;
    if (failure) {
      report.failure = failure;
      return report;
    }
    // Only now do the files get their names: a failed or cancelled build leaves no partial dataset.
    const keepValidation = validation !== undefined && report.validation > 0;
    if (validation && !keepValidation)
      report.warnings.push('The split left no record for validation: raise the validation split or add records.');
    await commitDataset(opts.outputDir, train, keepValidation ? validation : undefined);
    report.trainFile = trainPath;
    if (keepValidation) report.validationFile = validationPath;
    report.ok = true;
    return report;
  } catch (err) {
    // A write error (disk full, folder not writable): said, and nothing is kept.
    if (typeof (err as { code?: unknown })?.code !== 'string') throw err;
    report.failure = outputErrorMessage(err, opts.outputDir);
    return report;
  } finally {
    await thread.close();
    await train.discard();
    if (validation) await validation.discard();
  }
}

/** How many records are being scanned while the build formats and writes the one before them. */
const SCAN_AHEAD = 16;

/**
 * The items in order, each record with its fields joined and the secrets found in them; the scans of
 * the next SCAN_AHEAD records run meanwhile on the scan thread.
 */
async function* scannedAhead(
  items: AsyncIterable<SourceItem>,
  thread: ScanThread,
): AsyncGenerator<{ item: SourceItem; joined?: JoinedFields; ranges?: SecretMatch[] }> {
  const queue: { item: SourceItem; joined?: JoinedFields; scan?: Promise<SecretMatch[]> }[] = [];
  const next = async () => {
    const { item, joined, scan } = queue.shift()!;
    return { item, joined, ranges: scan && (await scan) };
  };
  for await (const item of items) {
    if ('skipped' in item || 'problem' in item) queue.push({ item });
    else {
      const joined = joinFields(item);
      const scan = thread.secretRanges(joined.text);
      scan.catch(() => undefined); // awaited in order below; this only avoids an unhandled rejection meanwhile
      queue.push({ item, joined, scan });
    }
    if (queue.length > SCAN_AHEAD) yield await next();
  }
  while (queue.length > 0) yield await next();
}

interface JoinedFields {
  text: string;
  /** Where each field starts in `text` (fields are joined with one newline). */
  starts: number[];
  fields: string[];
}

function joinFields(r: SourceRecord): JoinedFields {
  const fields =
    r.kind === 'text'
      ? [r.text]
      : r.kind === 'image'
        ? [r.imageRef, r.caption]
        : [r.system ?? '', ...r.turns.map((t) => t.text)];
  const starts: number[] = [];
  let at = 0;
  for (const f of fields) {
    starts.push(at);
    at += f.length;
  }
  return { text: fields.join(''), starts, fields };
}

/** Each field with the parts of the joined text's secrets that fall in it redacted. */
function redactRecord(r: SourceRecord, joined: JoinedFields, ranges: SecretMatch[]): SourceRecord {
  const redacted = joined.fields.map((field, i) => {
    const start = joined.starts[i];
    const end = start + field.length;
    const inField = ranges
      .filter((m) => m.start < end && m.end > start)
      .map((m) => ({ kind: m.kind, start: Math.max(0, m.start - start), end: Math.min(field.length, m.end - start) }));
    return redactRanges(field, inField);
  });
  if (r.kind === 'text') return { ...r, text: redacted[0] };
  if (r.kind === 'image') return { ...r, caption: redacted[1] };
  return {
    ...r,
    system: r.system && redacted[0],
    turns: r.turns.map((t, i) => ({ ...t, text: redacted[i + 1] })),
  };
}

/** The report as Markdown (written beside the dataset and shown after a build). */
export function reportMarkdown(r: DatasetReport): string {
  const lines = [
    `# Dataset report: ${r.family}`,
    '',
    r.ok
      ? `**Ready**: ${r.train} training and ${r.validation} validation records for \`${r.modelId}\` (${r.customization.toLowerCase().replace(/_/g, ' ')}, format \`${r.format}\`).`
      : `**Not built**: ${r.failure}`,
    '',
    '| | |',
    '|---|---|',
    `| files read | ${r.filesRead} |`,
    `| training records | ${r.train} |`,
    `| validation records | ${r.validation} |`,
    `| duplicates removed | ${r.duplicates} |`,
    `| rejected records | ${r.rejected.length} |`,
    `| secrets found | ${r.secrets.length}${r.secrets.length && r.secretsRedacted ? ' (redacted)' : ''} |`,
    `| tokens (estimated, 6 chars/token) | ${r.tokens.total.toLocaleString('en-US')} total; per record min ${r.tokens.min}, mean ${r.tokens.mean.toFixed(0)}, p95 ≈ ${r.tokens.p95}, max ${r.tokens.max} |`,
    `| file sizes | train ${(r.bytes.train / 1024).toFixed(1)} KiB, validation ${(r.bytes.validation / 1024).toFixed(1)} KiB |`,
    '',
    "Training cost: Bedrock charges per token processed (records × epochs); see the model's customization price on the Amazon Bedrock pricing page.",
  ];
  if (r.warnings.length) lines.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  if (r.secrets.length)
    lines.push(
      '',
      '## Secrets',
      '',
      ...r.secrets.slice(0, 200).map((s) => `- \`${s.path}:${s.line}\` ${s.kind} (\`${s.preview}\`)`),
    );
  if (r.rejected.length)
    lines.push(
      '',
      '## Rejected records',
      '',
      ...r.rejected.slice(0, 500).map((p) => `- \`${p.path}:${p.line}\` ${p.message}`),
      ...(r.rejected.length > 500 ? [`- … and ${r.rejected.length - 500} more`] : []),
    );
  if (r.skipped.length)
    lines.push('', '## Skipped files', '', ...r.skipped.slice(0, 200).map((s) => `- \`${s.path}\`: ${s.reason}`));
  return `${lines.join('\n')}\n`;
}

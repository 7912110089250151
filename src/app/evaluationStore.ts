// Where evaluations live on disk, for both front ends: `.prompt-lab/evals/` in the workspace (or the CLI's
// working folder). A finished or stopped evaluation is one JSON record (written to a temporary name, then
// renamed); the calls of an unfinished one are appended to a journal named by its plan, so running the
// same evaluation again resumes it, and the journal goes once the record is complete.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EVAL_RECORD_VERSION, type EvalRecord, type EvalSample } from '../core/eval/evaluation';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { BedrockError } from '../core/shared/bedrockError';
import { refuseForbiddenKeys } from '../core/shared/inertData';
import type { EvalJournal } from './evaluate';

export const EVAL_DIR = path.join('.prompt-lab', 'evals');

const journalPath = (root: string, planId: string) => path.join(root, EVAL_DIR, `.partial-${planId}.jsonl`);
const jobsPath = (root: string, planId: string, kind: JobKind) =>
  path.join(root, EVAL_DIR, `.${kind}-jobs-${planId}.json`);

type JobKind = 'batch' | 'judge';

/** Where a plan's jobs are remembered between runs, until its record is complete. */
export interface JobStore<T> {
  read(): Promise<T[]>;
  write(jobs: T[]): Promise<void>;
}

/**
 * The jobs started for a plan (batch inference for `--backend batch`, evaluation jobs for `--judge-with
 * eval-job`), so running the same evaluation again waits for them; `restart` forgets them.
 */
export async function openJobStore<T extends { jobArn: string; keys: string[] }>(
  root: string,
  planId: string,
  kind: JobKind,
  restart = false,
): Promise<JobStore<T>> {
  const file = jobsPath(root, planId, kind);
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (restart) await fs.rm(file, { force: true });
  return {
    read: async () => {
      const text = await fs.readFile(file, 'utf8').catch(() => '[]');
      try {
        const jobs = JSON.parse(text) as T[];
        refuseForbiddenKeys(jobs, file);
        return Array.isArray(jobs) ? jobs.filter((j) => typeof j.jobArn === 'string' && Array.isArray(j.keys)) : [];
      } catch {
        throw new BedrockError(
          'PromptInvalid',
          `${file} is not a list of jobs: delete it (or run with --restart) to start new jobs.`,
        );
      }
    },
    write: (jobs) => writeFileAtomically(file, `${JSON.stringify(jobs, null, 2)}\n`),
  };
}

/** The journal of the plan: what an interrupted run of it already did (unless `restart`). */
export async function openJournal(root: string, planId: string, restart = false): Promise<EvalJournal> {
  const file = journalPath(root, planId);
  await fs.mkdir(path.dirname(file), { recursive: true });
  if (restart) await fs.rm(file, { force: true });
  const done = new Map<string, EvalSample>();
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { key?: unknown; sample?: EvalSample };
      refuseForbiddenKeys(entry, 'A journal line');
      if (typeof entry.key === 'string' && entry.sample && typeof entry.sample.config === 'string')
        done.set(entry.key, entry.sample);
    } catch {
      // A line cut short when the process was killed mid-write: that call is simply made again.
      continue;
    }
  }
  return {
    done,
    append: (key, sample) => fs.appendFile(file, `${JSON.stringify({ key, sample })}\n`),
  };
}

/** Saves the record (atomically) and, when it is complete, forgets the journal. Returns the file. */
export async function saveEvaluation(root: string, planId: string, record: EvalRecord): Promise<string> {
  const file = path.join(root, EVAL_DIR, `${record.id}.json`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
  if (record.complete)
    await Promise.all(
      [journalPath(root, planId), jobsPath(root, planId, 'batch'), jobsPath(root, planId, 'judge')].map((f) =>
        fs.rm(f, { force: true }),
      ),
    );
  return file;
}

/** Reads a saved record, or says what is wrong with the file. */
export async function readEvaluation(file: string): Promise<EvalRecord> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new BedrockError('PromptInvalid', `${file} is not an evaluation record: ${(err as Error).message}`);
  }
  refuseForbiddenKeys(parsed, file);
  const r = parsed as Partial<EvalRecord>;
  if (
    r.version !== EVAL_RECORD_VERSION ||
    !Array.isArray(r.configs) ||
    !Array.isArray(r.cases) ||
    !Array.isArray(r.samples) ||
    typeof r.settings !== 'object'
  )
    throw new BedrockError(
      'PromptInvalid',
      `${file} is not an evaluation record of version ${EVAL_RECORD_VERSION}: give a file from ${EVAL_DIR}.`,
    );
  return r as EvalRecord;
}

export interface SavedEvaluation {
  file: string;
  name: string;
  createdAt: string;
  complete: boolean;
}

/** The saved evaluations, newest first; of one prompt when `name` is given. */
export async function listEvaluations(root: string, name?: string): Promise<SavedEvaluation[]> {
  const dir = path.join(root, EVAL_DIR);
  const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  const out: SavedEvaluation[] = [];
  for (const f of files) {
    const record = await readEvaluation(path.join(dir, f)).catch(() => undefined);
    if (record && (!name || record.name === name))
      out.push({ file: path.join(dir, f), name: record.name, createdAt: record.createdAt, complete: record.complete });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

// What the extension remembers about the batch inference jobs it started (where the rows came from, where
// the results go), apart from the view that lists the jobs. Pure: it takes a key-value store (VS Code's
// workspace Memento fits), so it is tested without VS Code.

/** What the extension remembers about a batch job it started. */
export interface BatchJobRecord {
  jobArn: string;
  promptUri: string;
  dataPath: string;
  outputPath: string;
  modelId: string;
}

export interface KeyValueStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const KEY = 'batchJobs';
/** Jobs remembered per workspace; the oldest are forgotten first. */
export const MAX_REMEMBERED_JOBS = 200;

export class BatchJobStore {
  constructor(private readonly store: KeyValueStore) {}

  recordFor(jobArn: string): BatchJobRecord | undefined {
    return this.all().find((r) => r.jobArn === jobArn);
  }

  async remember(record: BatchJobRecord): Promise<void> {
    await this.store.update(
      KEY,
      [record, ...this.all().filter((r) => r.jobArn !== record.jobArn)].slice(0, MAX_REMEMBERED_JOBS),
    );
  }

  /** Every remembered job, the latest first. */
  all(): BatchJobRecord[] {
    const stored = this.store.get<unknown>(KEY, []);
    return Array.isArray(stored) ? (stored as BatchJobRecord[]).filter((r) => typeof r?.jobArn === 'string') : [];
  }
}

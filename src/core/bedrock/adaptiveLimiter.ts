// Bounded concurrency that gives way under throttling: additive increase, multiplicative decrease (as
// TCP does), with jittered exponential back-off before a throttled call is retried. Used by batch runs
// and prompt tests, where hundreds of calls would otherwise hammer an account's quota in lockstep.

export interface LimiterOptions {
  /** The most calls in flight (the user's choice). */
  maxConcurrency: number;
  /** How many times a throttled call is retried before its error is kept. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** For tests: waits and randomness. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** What a failed attempt calls for: `throttled` also lowers the concurrency; `transient` only waits and retries. */
export type Retry = 'throttled' | 'transient' | undefined;

/** The errors worth another attempt, by BedrockError code: the limiter is the only retry layer of a batch. */
export function retryFor(code: string | undefined): Retry {
  if (code === 'Throttled') return 'throttled';
  if (code === 'ServiceUnavailable' || code === 'ModelNotReady' || code === 'Network') return 'transient';
  return undefined;
}

export interface LimiterStats {
  throttled: number;
  /** Attempts that failed for a passing reason (unavailable, model loading, network) and were retried. */
  transient: number;
  retries: number;
  /** The lowest concurrency the limiter fell to. */
  lowestConcurrency: number;
  concurrency: number;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class AdaptiveLimiter {
  private limit: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private successesSinceChange = 0;
  readonly stats: LimiterStats;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly opts: LimiterOptions) {
    this.limit = Math.max(1, Math.floor(opts.maxConcurrency));
    this.maxRetries = opts.maxRetries ?? 8;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 20_000;
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
    this.stats = { throttled: 0, transient: 0, retries: 0, lowestConcurrency: this.limit, concurrency: this.limit };
  }

  get concurrency(): number {
    return this.limit;
  }

  /**
   * Runs `call` when a slot is free. `retry(result)` says whether the result is a failure worth another
   * attempt: a throttled one shrinks the limit first; either waits a jittered, growing delay, up to
   * maxRetries, then the last result is returned.
   */
  async run<T>(call: () => Promise<T>, retry: (result: T) => Retry, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.acquire();
      let result: T;
      try {
        result = await call();
      } finally {
        this.release();
      }
      const kind = retry(result);
      if (!kind) {
        this.onSuccess();
        return result;
      }
      if (kind === 'throttled') this.onThrottle();
      else this.stats.transient++;
      if (attempt >= this.maxRetries || signal?.aborted) return result;
      this.stats.retries++;
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
      await this.sleep(ceiling / 2 + this.random() * (ceiling / 2), signal);
      if (signal?.aborted) return result;
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inFlight++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.inFlight--;
    this.wake();
  }

  private wake(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) this.waiting.shift()!();
  }

  private onThrottle(): void {
    this.stats.throttled++;
    this.successesSinceChange = 0;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.stats.concurrency = this.limit;
    this.stats.lowestConcurrency = Math.min(this.stats.lowestConcurrency, this.limit);
  }

  private onSuccess(): void {
    if (this.limit >= this.opts.maxConcurrency) return;
    // One more slot after as many successes as there are slots: recovers in a few rounds, not at once.
    if (++this.successesSinceChange >= this.limit) {
      this.successesSinceChange = 0;
      this.limit++;
      this.stats.concurrency = this.limit;
      this.wake();
    }
  }
}

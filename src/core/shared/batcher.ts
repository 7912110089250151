// Batches streamed text into a bounded number of editor edits: text that arrives while an edit is in
// flight, or within `intervalMs` of the last one, goes into the next edit. Edits never overlap, so the
// document sees the text in order.

export class TextBatcher {
  private pending = '';
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private lastFlush = 0;
  private closed = false;
  /** When the oldest text still waiting arrived. */
  private oldestPendingAt?: number;
  edits = 0;
  /** Per edit: ms from the arrival of its oldest text to the edit being applied (the worst delay in it). */
  readonly delays: number[] = [];

  constructor(
    private readonly apply: (text: string) => Promise<void>,
    private readonly intervalMs = 33,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(text: string): void {
    if (this.closed || text.length === 0) return;
    this.oldestPendingAt ??= this.now();
    this.pending += text;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.inFlight) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flushNow();
    }, wait);
  }

  private async flushNow(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    if (this.pending.length === 0) return;
    const text = this.pending;
    const arrived = this.oldestPendingAt ?? this.now();
    this.pending = '';
    this.oldestPendingAt = undefined;
    this.lastFlush = this.now();
    this.edits++;
    this.inFlight = this.apply(text).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
    this.delays.push(this.now() - arrived);
    if (this.pending.length > 0 && !this.closed) this.schedule();
  }

  /**
   * Stops accepting text, waits for the edit in flight, and returns the text not yet applied instead of
   * applying it: the caller writes it with its own last edit (one round trip to the editor, not two).
   * Its delay is recorded as the caller's edit is not: that edit is counted by the caller.
   */
  async closeTakingRest(): Promise<string> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    const rest = this.pending;
    this.pending = '';
    this.oldestPendingAt = undefined;
    return rest;
  }

  /** Writes whatever is pending and stops accepting text. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight || this.pending.length > 0) {
      if (this.inFlight) await this.inFlight;
      else await this.flushNow();
    }
  }
}

// The one bounded-concurrency helper (Compare columns, prompt-test cases, batch rows). Hand-written, not
// p-limit: p-limit queues every task up front, while a batch run must read its rows only as fast as the
// calls go (a 300,000-row file is streamed, never held), which needs a pull-based loop like this one.

export interface BoundedOptions {
  /** Checked before each item is taken: true ends the intake (tasks already started still settle). */
  stop?: () => boolean;
}

/**
 * Runs `work` for each item, at most `limit` at once, taking items in order and only when a slot is free
 * (an async iterable is read no further ahead than that). Resolves when every started task has settled;
 * the first task that throws stops the intake and its error is thrown once the others have settled.
 */
export async function forEachBounded<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
  opts: BoundedOptions = {},
): Promise<void> {
  const most = Math.max(1, Math.floor(limit));
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure || opts.stop?.()) break;
    // One settle handler per task (a batch run makes 300,000 of them).
    const task: Promise<void> = work(item).then(
      () => void inFlight.delete(task),
      (error: unknown) => {
        inFlight.delete(task);
        failure ??= { error };
      },
    );
    inFlight.add(task);
    if (inFlight.size >= most) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}

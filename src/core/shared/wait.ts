/**
 * Waits `ms`, or less when the signal fires (it resolves either way: the caller checks the signal). The
 * abort listener goes when the time is up, so a poll loop on one signal does not pile them up.
 */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

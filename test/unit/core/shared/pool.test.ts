import assert from 'node:assert/strict';
import { forEachBounded } from '../../../../src/core/shared/pool';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('forEachBounded (the one concurrency helper)', () => {
  it('never runs more than the limit at once, and runs every item', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < n % 3; i++) await tick();
      running--;
      done.push(n);
    });
    assert.equal(most, 3);
    assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads an async source no further ahead than the free slots', async () => {
    let pulled = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield i;
      }
    }
    const run = forEachBounded(source(), 2, () => gate);
    await tick();
    await tick();
    // Two running and one pulled that waits for a slot: never the whole source.
    assert.ok(pulled <= 3, `pulled ${pulled}`);
    release();
    await run;
    assert.equal(pulled, 1000);
  });

  it('the first failure stops the intake and is thrown after the running tasks settle', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        settled++;
        if (n === 2) throw new Error('row 2 broke');
      }),
      /row 2 broke/,
    );
    assert.ok(!started.includes(6), `started ${started.join(',')}`);
    assert.equal(settled, started.length, 'every started task settled before the error was thrown');
  });

  it('stop() ends the intake; a limit below one is one', async () => {
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4], 0, async (n) => void seen.push(n), { stop: () => seen.length >= 2 });
    assert.deepEqual(seen, [1, 2]);
  });
});

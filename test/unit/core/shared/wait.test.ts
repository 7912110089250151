import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { wait } from '../../../../src/core/shared/wait';

describe('wait (the job pollers)', () => {
  it('leaves no abort listener behind after each wait, and ends early when aborted', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await wait(1, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    const waiting = wait(60_000, controller.signal).then(() => 'ended');
    controller.abort();
    const first = await Promise.race([waiting, new Promise((resolve) => setImmediate(() => resolve('still waiting')))]);
    assert.equal(first, 'ended', 'the abort ends the wait at once, not after the minute');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });
});

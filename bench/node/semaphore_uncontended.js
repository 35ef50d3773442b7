'use strict';
// semaphore_uncontended_acquire_await_release: one task, acquire -> await it -> release, N times on an
// uncontended one-permit promise semaphore (SemaphoreUncontended.acquireAwaitRelease in JMH; the issue's
// "promise mutex, uncontended" 79 ns).
const { countArg, bench } = require('./lib');
const { Semaphore } = require('./sync_primitives');

(async () => {
  const n = countArg(1_000_000);
  await bench('semaphore_uncontended_acquire_await_release', n, async (k) => {
    const sem = new Semaphore(1);
    let done = 0;
    for (let i = 0; i < k; i++) {
      await sem.acquire();
      done++;
      sem.release();
    }
    if (done !== k) throw new Error('bad count');
  });
})();

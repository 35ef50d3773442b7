'use strict';
// mutex_handoff_handoff100: 100 tasks on one thread loop lock -> counter++ -> unlock, so that ~99 always
// wait and every unlock hands the mutex to the oldest waiter; ns per hand-off (MutexHandoff.handoff100 in
// JMH; the "100 waiters" 107 ns).
const { countArg, bench } = require('./lib');
const { Semaphore } = require('./sync_primitives');

const TASKS = 100;

(async () => {
  const n = countArg(1_000_000);
  await bench('mutex_handoff_handoff100', n, async (k) => {
    const mutex = new Semaphore(1);
    const per = Math.ceil(k / TASKS);
    let counter = 0;
    let maxWaiters = 0;
    const task = async () => {
      for (let i = 0; i < per; i++) {
        const release = await mutex.acquire();
        if (mutex.waiters.length > maxWaiters) maxWaiters = mutex.waiters.length;
        counter++;
        release();
      }
    };
    const tasks = [];
    for (let t = 0; t < TASKS; t++) tasks.push(task());
    await Promise.all(tasks);
    if (counter !== per * TASKS) throw new Error('bad count');
    if (k >= 10000 && maxWaiters < TASKS - 2) throw new Error(`not contended: ${maxWaiters}`);
  });
})();

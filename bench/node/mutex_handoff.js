'use strict';
// mutex_handoff_handoff100: 100 tasks on one thread loop lock -> counter++ -> unlock, so that ~99 always
// wait and every unlock hands the mutex to the oldest waiter; ns per hand-off (MutexHandoff.handoff100 in
// JMH; the "100 waiters" 107 ns). The tasks are async functions, so the same figure is also the Node row
// of mutex_handoff_handoff100_async (MutexHandoff.handoff100Async: 100 async bodies awaiting each lock).
const { countArg, measure, median, report } = require('./lib');
const { Semaphore } = require('./sync_primitives');

const TASKS = 100;

(async () => {
  const n = countArg(1_000_000);
  const perOp = await measure(async (k) => {
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
  }, n);
  const fields = { ns_per_op: median(perOp), min: Math.min(...perOp), max: Math.max(...perOp), runs: perOp.length, n };
  report('mutex_handoff_handoff100', fields);
  report('mutex_handoff_handoff100_async', fields);
})();

'use strict';
// queue_same_loop_await_each1p2c: a bounded async queue (capacity 1024) on one thread, one producer
// awaiting each put and two consumers awaiting each take; ns per item (QueueSameLoop.awaitEach1p2c in
// JMH; the same-loop queue 134 ns).
const { countArg, bench } = require('./lib');
const { AsyncQueue } = require('./sync_primitives');

const DONE = -1;

(async () => {
  const n = countArg(1_000_000);
  await bench('queue_same_loop_await_each1p2c', n, async (k) => {
    const q = new AsyncQueue(1024);
    let sum = 0;
    let count = 0;
    const consumer = async () => {
      for (;;) {
        const v = await q.take();
        if (v === DONE) return;
        sum += v;
        count++;
      }
    };
    const producer = async () => {
      for (let i = 0; i < k; i++) await q.put(i);
      await q.put(DONE);
      await q.put(DONE);
    };
    await Promise.all([consumer(), consumer(), producer()]);
    if (count !== k || sum !== (k * (k - 1)) / 2) throw new Error('lost items');
  });
})();

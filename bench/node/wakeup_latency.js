'use strict';
// wakeup_latency: ping-pong with an idle loop, one message in flight. The main thread posts a message to
// a worker whose loop is idle and spins until the worker's handler has stored the sequence number into
// shared memory; ns per round trip. Like the JMH benchmark, only the loop (the worker) sleeps.
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

if (!isMainThread) {
  const seen = new Int32Array(workerData);
  parentPort.on('message', (i) => Atomics.store(seen, 0, i));
} else {
  const { countArg, bench } = require('./lib');
  const sab = new SharedArrayBuffer(4);
  const seen = new Int32Array(sab);
  const worker = new Worker(__filename, { workerData: sab });
  let seq = 0;
  const run = (n) => {
    for (let k = 0; k < n; k++) {
      seq++;
      worker.postMessage(seq);
      while (Atomics.load(seen, 0) !== seq); // spin
    }
  };
  worker.once('online', async () => {
    await bench('wakeup_latency', countArg(2000), run, { warm: 200 });
    await worker.terminate();
  });
}

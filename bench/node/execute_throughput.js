'use strict';
// execute_throughput: one producer thread (a worker) posts N messages to the main thread's loop, which
// counts them; ns per message from the worker's start signal to the last one received. Node's only
// way to hand work to another thread's loop: each message is structured-cloned (a small integer here).
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

if (!isMainThread) {
  parentPort.on('message', (n) => {
    for (let i = 0; i < n; i++) parentPort.postMessage(i);
  });
} else {
  const { countArg, bench } = require('./lib');
  const worker = new Worker(__filename);
  let count = 0;
  let target = 0;
  let done = null;
  worker.on('message', () => {
    if (++count === target) done();
  });
  const run = (n) =>
    new Promise((resolve) => {
      count = 0;
      target = n;
      done = resolve;
      worker.postMessage(n);
    });
  worker.once('online', async () => {
    await bench('execute_throughput', countArg(500_000), run);
    await worker.terminate();
  });
}

'use strict';
// postMessage echo with one worker_threads worker, the JMH WorkerRoundtrip and WorkerThroughput workloads:
//   worker_roundtrip   one message in flight: the parent's handler posts the next (ns per round trip)
//   worker_throughput  256 messages in flight, each reply posts the next (ns per round-tripped message)
// Usage: node worker_messages.js [n] [roundtrip|throughput] (default: both).
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

const WINDOW = 256;

if (!isMainThread) {
  parentPort.on('message', (m) => parentPort.postMessage(m));
} else {
  const { countArg, bench } = require('./lib');

  const pingPong = (w, n) =>
    new Promise((resolve) => {
      const onMsg = (m) => {
        const v = m + 1;
        if (v === n) {
          w.off('message', onMsg);
          resolve();
        } else {
          w.postMessage(v);
        }
      };
      w.on('message', onMsg);
      w.postMessage(0);
    });

  const pump = (w, n) =>
    new Promise((resolve) => {
      let sent = 0;
      let got = 0;
      const onMsg = () => {
        if (++got === n) {
          w.off('message', onMsg);
          resolve();
        } else if (sent < n) {
          w.postMessage(sent++);
        }
      };
      w.on('message', onMsg);
      while (sent < Math.min(WINDOW, n)) w.postMessage(sent++);
    });

  (async () => {
    const n = countArg(0);
    const only = process.argv[3];
    const w = new Worker(__filename);
    await new Promise((r) => w.once('online', r));
    if (!only || only === 'roundtrip') await bench('worker_roundtrip', n || 20_000, (k) => pingPong(w, k));
    if (!only || only === 'throughput') await bench('worker_throughput', n || 200_000, (k) => pump(w, k));
    await w.terminate();
  })();
}

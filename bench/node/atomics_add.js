'use strict';
// atomics_add_*: Atomics.add(a, i, 1) on a SharedArrayBuffer Int32Array, the JMH AtomicsAdd and
// AtomicsAddPair workloads:
//   atomics_add_single         the main thread alone, n adds on slot 0
//   atomics_add_pair_same      2 worker_threads, n/2 adds each, both on slot 0 (true sharing)
//   atomics_add_pair_adjacent  2 workers on slots 0 and 1 (one cache line: false sharing)
//   atomics_add_pair_padded    2 workers on slots 0 and 32 (128 bytes apart)
// ns_per_op: wall time / total adds (for the pairs, the inverse of both threads' total throughput, as
// JMH's group score). Usage: node atomics_add.js [n] [single|same|adjacent|padded] (default: all four).
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

function addLoop(a, idx, n) {
  for (let i = 0; i < n; i++) Atomics.add(a, idx, 1);
}

if (!isMainThread) {
  const a = new Int32Array(workerData.sab);
  parentPort.on('message', ({ idx, n }) => {
    addLoop(a, idx, n);
    parentPort.postMessage('done');
  });
} else {
  const { countArg, bench } = require('./lib');
  const SLOTS = { same: [0, 0], adjacent: [0, 1], padded: [0, 32] };
  const job = (w, idx, n) =>
    new Promise((resolve) => {
      w.once('message', resolve);
      w.postMessage({ idx, n });
    });

  (async () => {
    const n = countArg(20_000_000);
    const only = process.argv[3];
    const variants = only ? [only] : ['single', 'same', 'adjacent', 'padded'];
    const sab = new SharedArrayBuffer(64 * 4);
    const a = new Int32Array(sab);
    for (const v of variants) {
      if (v === 'single') {
        await bench('atomics_add_single', n, (k) => {
          const before = Atomics.load(a, 0);
          addLoop(a, 0, k);
          if (((Atomics.load(a, 0) - before) | 0) !== (k | 0)) throw new Error('bad count');
        });
        continue;
      }
      const slots = SLOTS[v];
      if (!slots) throw new Error(`unknown variant ${v}`);
      const workers = [0, 1].map(() => new Worker(__filename, { workerData: { sab } }));
      await Promise.all(workers.map((w) => new Promise((r) => w.once('online', r))));
      await bench(`atomics_add_pair_${v}`, n, async (k) => {
        a.fill(0);
        const half = Math.floor(k / 2);
        await Promise.all(workers.map((w, j) => job(w, slots[j], half)));
        const total = v === 'same' ? Atomics.load(a, 0) : Atomics.load(a, slots[0]) + Atomics.load(a, slots[1]);
        if (total !== 2 * half) throw new Error(`bad count ${total}`);
      });
      await Promise.all(workers.map((w) => w.terminate()));
    }
  })();
}

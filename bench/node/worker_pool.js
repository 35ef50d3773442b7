'use strict';
// The WorkerPool workloads on worker_threads, through a minimal piscina-style pool (a FIFO of tasks; a
// worker with room takes the next at once; run(task) returns a promise settled on the main thread; as
// piscina's concurrentTasksPerWorker, `perWorker` tasks may be posted to one worker at a time):
//   pool_roundtrip_threads1   one trivial task (x + 1) in flight on a 1-worker pool (JMH PoolRoundtrip)
//   pool_throughput_threads1  256 trivial tasks (echo) in flight on a 1-worker pool whose worker may hold all 256
//                    (with one task per worker every task would pay a round trip); each settled promise
//                    submits the next (JMH PoolThroughput)
//   cpu_split        the seed's job, Σ √i·sin i for i < 1e7, split in two halves over a warm 2-worker
//                    pool; ns_per_op is the whole job (JMH CpuSplit), single_ns the main thread alone
// Usage: node worker_pool.js [n] [roundtrip|throughput|cpu] (default: all three; n scales the first two).
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

function work(from, to) {
  let s = 0;
  for (let i = from; i < to; i++) s += Math.sqrt(i) * Math.sin(i);
  return s;
}

if (!isMainThread) {
  parentPort.on('message', ({ op, x, from, to }) => {
    if (op === 'inc') parentPort.postMessage(x + 1);
    else if (op === 'echo') parentPort.postMessage(x);
    else parentPort.postMessage(work(from, to));
  });
} else {
  const { countArg, bench, measure, median, report } = require('./lib');
  const WINDOW = 256;

  class Pool {
    constructor(size, perWorker = 1) {
      this.perWorker = perWorker;
      this.queue = [];
      this.workers = [];
      for (let i = 0; i < size; i++) {
        const w = new Worker(__filename);
        w.pending = []; // resolve functions of the tasks posted to w, oldest first (w answers in order)
        w.on('message', (v) => {
          const resolve = w.pending.shift();
          this.dispatch();
          resolve(v);
        });
        this.workers.push(w);
      }
    }
    start() {
      return Promise.all(this.workers.map((w) => new Promise((r) => w.once('online', r))));
    }
    run(task) {
      return new Promise((resolve) => {
        this.queue.push({ task, resolve });
        this.dispatch();
      });
    }
    dispatch() {
      for (const w of this.workers) {
        while (this.queue.length > 0 && w.pending.length < this.perWorker) {
          const next = this.queue.shift();
          w.pending.push(next.resolve);
          w.postMessage(next.task);
        }
      }
    }
    close() {
      return Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  const roundtrips = async (pool, n) => {
    let v = 0;
    for (let i = 0; i < n; i++) v = await pool.run({ op: 'inc', x: v });
    if (v !== n) throw new Error('bad count');
  };

  const pipelined = (pool, n) =>
    new Promise((resolve) => {
      let submitted = 0;
      let completed = 0;
      const submit = () => {
        submitted++;
        pool.run({ op: 'echo', x: submitted }).then(() => {
          if (++completed === n) resolve();
          else if (submitted < n) submit();
        });
      };
      for (let i = 0; i < Math.min(WINDOW, n); i++) submit();
    });

  (async () => {
    const n = countArg(0);
    const only = process.argv[3];
    if (!only || only === 'roundtrip') {
      const pool = new Pool(1);
      await pool.start();
      await bench('pool_roundtrip_threads1', n || 20_000, (k) => roundtrips(pool, k));
      await pool.close();
    }
    if (!only || only === 'throughput') {
      const pool = new Pool(1, WINDOW);
      await pool.start();
      await bench('pool_throughput_threads1', n || 200_000, (k) => pipelined(pool, k));
      await pool.close();
    }
    if (!only || only === 'cpu') {
      const N = 10_000_000;
      const pool = new Pool(2);
      await pool.start();
      const single = median(await measure(() => work(0, N), 1, { warm: 1, runs: 3 }));
      const split = await measure(async () => {
        const parts = await Promise.all([pool.run({ op: 'cpu', from: 0, to: N / 2 }), pool.run({ op: 'cpu', from: N / 2, to: N })]);
        return parts[0] + parts[1];
      }, 1, { warm: 1, runs: 5 });
      const ns = median(split);
      report('cpu_split', { ns_per_op: ns, min: Math.min(...split), max: Math.max(...split), runs: split.length, single_ns: single, speedup: single / ns });
      await pool.close();
    }
  })();
}

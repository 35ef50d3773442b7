'use strict';
// batch_throughput_*: a minimal DataLoader-like batcher (BatchThroughput in JMH): n items, each added with
// add(item) -> a promise of its own result, into batches of 10; a no-op batch function answers each batch
// with itself; flush() dispatches the open batch and resolves once every item is done.
//   batch_throughput_batch       a batch is due 5 ms after its first item (setTimeout, cleared when full)
//   batch_throughput_batch_tick  DataLoader's scheduling: due once the current tick's promise jobs ran
//   batch_throughput_item_promise_floor  one withResolvers() per item, resolved: the floor
// As in JMH, nobody reacts to the items' promises; the batcher counts the completed items.
const { countArg, bench } = require('./lib');

const resolved = Promise.resolve();

class Batcher {
  constructor(batchFn, { batchSize = 10, timeoutMs = 0 } = {}) {
    this.batchFn = batchFn;
    this.batchSize = batchSize;
    this.timeoutMs = timeoutMs;
    this.open = null;
    this.pending = 0;
    this.completed = 0;
    this.idle = null;
  }

  add(item) {
    let b = this.open;
    if (b === null) b = this.startBatch();
    const p = new Promise((resolve, reject) => {
      b.items.push(item);
      b.resolves.push(resolve);
      b.rejects.push(reject);
    });
    this.pending++;
    if (b.items.length >= this.batchSize) this.dispatch(b);
    return p;
  }

  startBatch() {
    const b = { items: [], resolves: [], rejects: [], timer: null, done: false };
    this.open = b;
    if (this.timeoutMs > 0) {
      b.timer = setTimeout(() => this.dispatch(b), this.timeoutMs);
    } else {
      // DataLoader's enqueuePostPromiseJob: a nextTick queued from a promise job runs after them all.
      resolved.then(() => process.nextTick(() => this.dispatch(b)));
    }
    return b;
  }

  dispatch(b) {
    if (b.done) return;
    b.done = true;
    if (b.timer !== null) clearTimeout(b.timer);
    if (this.open === b) this.open = null;
    let result;
    try {
      result = this.batchFn(b.items);
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then((values) => this.finish(b, values, null), (e) => this.finish(b, null, e));
  }

  finish(b, values, error) {
    const n = b.items.length;
    if (error === null && values.length !== n) error = new Error(`${values.length} results for ${n} items`);
    for (let i = 0; i < n; i++) {
      if (error === null) b.resolves[i](values[i]);
      else b.rejects[i](error);
    }
    this.pending -= n;
    this.completed += n;
    if (this.pending === 0 && this.idle !== null) {
      const done = this.idle;
      this.idle = null;
      done();
    }
  }

  flush() {
    if (this.open !== null) this.dispatch(this.open);
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => { this.idle = resolve; });
  }
}

// Promise.withResolvers() (Node 22+), written out so that Node 20 runs it too.
function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const identity = (batch) => Promise.resolve(batch);

async function run(k, options) {
  const b = new Batcher(identity, options);
  for (let i = 0; i < k; i++) b.add(i);
  await b.flush();
  if (b.completed !== k) throw new Error(`expected ${k} items done, got ${b.completed}`);
  return b.completed;
}

(async () => {
  const n = countArg(100_000);
  await bench('batch_throughput_batch', n, (k) => run(k, { batchSize: 10, timeoutMs: 5 }));
  await bench('batch_throughput_batch_tick', n, (k) => run(k, { batchSize: 10 }));
  await bench('batch_throughput_item_promise_floor', n, async (k) => {
    let pending = [];
    let done = 0;
    for (let i = 0; i < k; i++) {
      pending.push(withResolvers());
      if (pending.length === 10) {
        for (const r of pending) r.resolve(i);
        done += pending.length;
        pending = [];
      }
    }
    return done + pending.length;
  });
})();

'use strict';
// Node.js counterparts of the stream suite (bench/src/main/java/org/eventloop4j/bench/stream/), per item:
//   stream_pipeline             source -> map(x * 3) -> filter(even) -> map(x + 1) as async generators, consumed
//                               with for await, counting (StreamPipeline; the seed's shape)
//   stream_for_await            for await over an async generator of 10^6 items, summing (StreamForAwait)
//   stream_map_async_ordered    a concurrency-16 pool over already-resolved promises, results in input order
//   stream_map_async_unordered  the same pool, results in completion order (StreamMapAsync)
// The pools are async generators over a plain loop (the JMH source is a synchronous range), holding at most
// 16 items in flight plus finished-and-not-taken, as mapAsync / mapAsyncUnordered do.
const { countArg, bench } = require('./lib');

async function* source(n) {
  for (let i = 0; i < n; i++) yield i;
}
async function* map(it, f) {
  for await (const v of it) yield f(v);
}
async function* filter(it, p) {
  for await (const v of it) if (p(v)) yield v;
}

// Ordered: a FIFO of the calls' promises; the head is awaited once the pool is full.
async function* mapAsyncOrdered(n, fn, concurrency) {
  const window = [];
  for (let i = 0; i < n; i++) {
    window.push(fn(i));
    if (window.length >= concurrency) yield await window.shift();
  }
  while (window.length > 0) yield await window.shift();
}

// Unordered: results queue up as their promises settle; the generator waits only when none is ready.
async function* mapAsyncUnordered(n, fn, concurrency) {
  const ready = [];
  let running = 0;
  let wake = null;
  const settled = (r) => {
    running--;
    ready.push(r);
    if (wake !== null) {
      const w = wake;
      wake = null;
      w();
    }
  };
  const next = async () => {
    if (ready.length === 0) await new Promise((resolve) => (wake = resolve));
    return ready.shift();
  };
  for (let i = 0; i < n; i++) {
    running++;
    fn(i).then(settled);
    if (running + ready.length >= concurrency) yield await next();
  }
  while (running + ready.length > 0) yield await next();
}

const double = (x) => Promise.resolve(x * 2);

(async () => {
  const n = countArg(500_000);
  await bench('stream_pipeline', n, async (k) => {
    let count = 0;
    for await (const v of map(filter(map(source(k), (x) => x * 3), (x) => x % 2 === 0), (x) => x + 1)) {
      count += v > 0 ? 1 : 0;
    }
    if (count !== Math.floor((k + 1) / 2)) throw new Error(`bad count ${count}`);
  });
  await bench('stream_for_await', 2 * n, async (k) => {
    let sum = 0;
    for await (const v of source(k)) sum += v;
    if (sum !== (k * (k - 1)) / 2) throw new Error(`bad sum ${sum}`);
  });
  for (const [name, pool] of [['stream_map_async_ordered', mapAsyncOrdered], ['stream_map_async_unordered', mapAsyncUnordered]]) {
    await bench(name, n, async (k) => {
      let sum = 0;
      for await (const v of pool(k, double, 16)) sum += v;
      if (sum !== k * (k - 1)) throw new Error(`bad sum ${sum}`);
    });
  }
})();

'use strict';
// await_* workloads: an async function awaiting N times (AwaitBench in the JMH suite).
//   await_resolved  await an already-resolved promise
//   await_value     await a plain value
//   await_call      await a call to an async function that never awaits
//   async_call      call such a function from synchronous code (no await), N times
const { countArg, bench } = require('./lib');

async function trivial(x) {
  return x;
}

const variants = {
  await_resolved: async (n) => {
    const r = Promise.resolve(1);
    let s = 0;
    for (let i = 0; i < n; i++) s += await r;
    if (s !== n) throw new Error('bad sum');
  },
  await_value: async (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += await 1;
    if (s !== n) throw new Error('bad sum');
  },
  await_call: async (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += await trivial(1);
    if (s !== n) throw new Error('bad sum');
  },
  async_call: (n) => {
    const ps = new Array(n);
    for (let i = 0; i < n; i++) ps[i] = trivial(i);
    return ps[n - 1];
  },
};

(async () => {
  const n = countArg(1_000_000);
  for (const [name, fn] of Object.entries(variants)) await bench(name, n, fn);
})();

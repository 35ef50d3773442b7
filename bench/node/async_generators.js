'use strict';
// for_await_generator: for await over an async generator of N values.
// generator_pipeline: source -> map -> filter -> map async generators, consumed with for await (ns per item).
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

(async () => {
  const n = countArg(500_000);
  await bench('for_await_generator', n, async (k) => {
    let s = 0;
    for await (const v of source(k)) s += v;
    return s;
  });
  await bench('generator_pipeline', n, async (k) => {
    let s = 0;
    for await (const v of map(filter(map(source(k), (x) => x * 2), (x) => x % 3 !== 0), (x) => x + 1)) s += v;
    return s;
  });
})();

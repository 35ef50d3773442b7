'use strict';
// microtask_chain: each queueMicrotask callback queues the next, N per run.
const { countArg, bench } = require('./lib');

function run(n) {
  return new Promise((resolve) => {
    let left = n;
    const step = () => {
      if (--left > 0) queueMicrotask(step);
      else resolve();
    };
    queueMicrotask(step);
  });
}

bench('microtask_chain', countArg(1_000_000), run);

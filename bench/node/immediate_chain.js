'use strict';
// immediate_chain: each setImmediate callback schedules the next: one loop turn per step.
const { countArg, bench } = require('./lib');

function run(n) {
  return new Promise((resolve) => {
    let left = n;
    const step = () => {
      if (--left > 0) setImmediate(step);
      else resolve();
    };
    setImmediate(step);
  });
}

bench('immediate_chain', countArg(200_000), run);

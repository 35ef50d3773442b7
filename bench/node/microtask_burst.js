'use strict';
// microtask_burst: N queueMicrotask calls from one synchronous loop, then the queue drains.
const { countArg, bench } = require('./lib');

function run(n) {
  return new Promise((resolve) => {
    let count = 0;
    const cb = () => {
      if (++count === n) resolve();
    };
    for (let i = 0; i < n; i++) queueMicrotask(cb);
  });
}

bench('microtask_burst', countArg(1_000_000), run);

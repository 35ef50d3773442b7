'use strict';
// pingpong: two async functions take turns through fresh pending promises: each hop wakes the other
// function and waits for it (AwaitBench.pingPong in the JMH suite); ns per hop.
const { countArg, bench } = require('./lib');

function run(n) {
  let waiting = null;
  const hop = () => new Promise((resolve) => {
    const other = waiting;
    waiting = resolve;
    if (other) other();
  });
  const release = () => {
    const other = waiting;
    waiting = null;
    if (other) other();
  };
  const player = async () => {
    for (let i = 0; i < n; i++) await hop();
    release();
  };
  return Promise.all([player(), player()]);
}

bench('ping_pong', countArg(500_000), (n) => run(n / 2));

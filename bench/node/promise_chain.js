'use strict';
// promise_chain: an N-link p.then(x => x + 1) chain built up front on a pending promise, then settled.
// Times building, settling and draining; every link is live at once (GC-heavy).
const { countArg, bench } = require('./lib');

const inc = (x) => x + 1;

function run(n) {
  return new Promise((done, fail) => {
    let settle;
    let p = new Promise((resolve) => (settle = resolve));
    for (let i = 0; i < n; i++) p = p.then(inc);
    p.then((v) => (v === n ? done() : fail(new Error(`bad result ${v}`))));
    settle(0);
  });
}

bench('promise_chain', countArg(1_000_000), run);

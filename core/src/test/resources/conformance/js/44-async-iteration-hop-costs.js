// Hop cost of async iteration, measured with the ticker. The handler of the
// first next() on a fresh async generator runs at hop 2: `yield` awaits its
// operand (1 hop), then the request promise is fulfilled (its handler: 1 more).
// A for-await body over an async generator runs at hop 2, 4, 6: each next()
// resumes the body synchronously, which reaches the next yield. Its end costs
// 1 hop (the body returns inside next(), no yield to await). A yield of a
// resolved promise costs the same as a plain value. Over a hand-written
// iterator whose next() returns a resolved promise, the body runs every hop.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 8) queueMicrotask(tick); });
async function* gen(name) {
  yield name + '1';
  yield Promise.resolve(name + '2');
  yield name + '3';
}
gen('n').next().then((r) => log('first next() of a fresh generator: ' + r.value));
(async () => {
  for await (const v of gen('g')) log('for await over a generator: ' + v);
  log('for await over a generator: done');
})();
const handWritten = {
  i: 0,
  [Symbol.asyncIterator]() { return this; },
  next() { this.i++; return Promise.resolve({ value: 'h' + this.i, done: this.i > 3 }); },
};
(async () => {
  for await (const v of handWritten) log('for await over a hand-written iterator: ' + v);
  log('for await over a hand-written iterator: done');
})();
log('sync end');

// Hop cost of for await over a SYNC iterable. The async-from-sync iterator
// resolves each value as a promise and unwraps it in a then (1 hop), and the
// loop awaits that (1 hop): the body runs at hop 2, 4, 6, for plain values and
// already-resolved promises alike, the same pace as over an async generator.
// The end costs 2 hops too (the wrapper unwraps `undefined` the same way),
// one more than the end of an async generator.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 9) queueMicrotask(tick); });
(async () => {
  for await (const v of ['a1', 'a2', 'a3']) log('plain values: ' + v);
  log('plain values: done');
})();
(async () => {
  for await (const v of [Promise.resolve('p1'), Promise.resolve('p2')]) log('resolved promises: ' + v);
  log('resolved promises: done');
})();
function* syncGen() { yield 's1'; yield 's2'; }
(async () => {
  for await (const v of syncGen()) log('sync generator: ' + v);
  log('sync generator: done');
})();
log('sync end');

// yield* chains: a recursive walk of a tree that delegates at every level, consumed with for await. With
// nothing else queued each value travels up the chain of delegations within one job chain; a ticker
// started from the consumer counts the hops of the later values, of each delegation's return value and of
// an await inside a delegating generator's own code. Then values sent with next(v) through a delegation,
// with a ticker running, and return() forwarded to the inner generator: its value is awaited before it is
// forwarded (a rejected one is forwarded as a throw), and the inner iterator's return value is passed on as
// it is, even a promise (not awaited again).
const log = (s) => console.log(s);
function ticker(label, max) {
  let k = 0;
  queueMicrotask(function tick() { log(label + ' tick ' + (++k)); if (k < max) queueMicrotask(tick); });
}
const leaf = (v) => ({ v, kids: [] });
const tree = { v: 1, kids: [{ v: 2, kids: [leaf(3), leaf(4)] }, { v: 5, kids: [leaf(6)] }] };
async function* walk(node) {
  log('enter ' + node.v);
  yield node.v;
  for (const k of node.kids) {
    const r = yield* walk(k);
    log('back in ' + node.v + ' from ' + k.v + ': ' + r);
  }
  if (node.v === 5) {
    await null;
    log('5 awaited');
  }
  return 'done ' + node.v;
}
async function* echo() {
  try {
    let x = yield 'first';
    for (;;) {
      log('echo received ' + x);
      x = yield 'echo ' + x;
    }
  } finally {
    log('echo finally');
  }
}
async function* outer() {
  const r = yield* echo();
  log('outer got ' + r);
}
const handWritten = {
  [Symbol.asyncIterator]() { return this; },
  next() { return Promise.resolve({ value: 'h', done: false }); },
  return(v) { return Promise.resolve({ value: Promise.resolve('inner return ' + v), done: true }); },
};
async function* overHandWritten() {
  yield* handWritten;
}
(async () => {
  for await (const v of walk(tree)) {
    log('got ' + v);
    if (v === 4) ticker('a', 30);
  }
  log('walk done');
  const g = outer();
  log((await g.next('ignored')).value);
  log((await g.next('x')).value);
  ticker('b', 8);
  log((await g.next('y')).value);
  const r = await g.return('r');
  log('return: ' + r.value + ' ' + r.done);
  log('sent done');
  const h = overHandWritten();
  log('hand-written: ' + (await h.next()).value);
  const hr = await h.return(Promise.resolve('R'));
  log('its return value is a promise: ' + (hr.value instanceof Promise) + ', of ' + (await hr.value));
  const t = outer();
  log((await t.next()).value);
  try {
    await t.return(Promise.reject(new Error('rejected return value')));
  } catch (e) {
    log('return(rejected) threw: ' + e.message);
  }
})();
log('sync end');

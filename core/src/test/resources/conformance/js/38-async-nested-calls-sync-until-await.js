// Nested async calls: each async body runs synchronously until its own first
// await, so calling an async function from another runs the callee's first
// part inside the caller's synchronous part. A body with no await runs to its
// end synchronously, yet awaiting its settled promise still costs a hop.
// Awaiting a callee resumes one hop after the callee's promise settles.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 7) queueMicrotask(tick); });
async function leaf(label) {
  log(label + ': leaf start');
  await null;
  log(label + ': leaf after await');
  return label;
}
async function noAwait() {
  log('noAwait: runs to its end synchronously');
  return 'no-await';
}
async function middle() {
  log('middle: start');
  const v = await leaf('b');
  log('middle: after await leaf(b) = ' + v);
  return 'middle(' + v + ')';
}
async function outer() {
  log('outer: start');
  const a = leaf('a');
  log('outer: leaf(a) returned a pending promise');
  const n = noAwait();
  log('outer: noAwait() returned');
  const m = await middle();
  log('outer: after await middle() = ' + m);
  log('outer: after await leaf(a) = ' + (await a) + ', noAwait() = ' + (await n));
  return 'outer done';
}
log('main: before outer()');
outer().then((v) => log('outer settled: ' + v));
log('main: after outer()');
Promise.resolve().then(() => log('main: microtask queued after outer()'));

// yield* in an async generator forwards every request to the inner iterator:
// next() steps it, throw(e) is thrown into it (where it can be caught), and
// return(v) calls its return(v), running its finally blocks first, then ends
// the outer generator with v. The outer generator does not await the inner
// values again, but it awaits each inner next() result: a delegated value
// reaches the consumer at hop 3, one hop later than a direct yield (hop 2).
// A sync inner iterable is wrapped by the async-from-sync iterator, so its
// promises are awaited and consumers get their values.
const log = (s) => console.log(s);
const fmt = (r) => `{value: ${String(r.value)}, done: ${r.done}}`;
async function* inner(name) {
  try {
    yield name + '-1';
    yield name + '-2';
  } catch (e) {
    log('  inner ' + name + ' caught: ' + e.message);
    yield name + '-recovered';
  } finally {
    log('  inner ' + name + ' finally');
  }
}
async function* outer(name) {
  try {
    yield 'outer-start';
    yield* inner(name);
    yield 'outer-end';
  } finally {
    log('  outer ' + name + ' finally');
  }
}
async function* overSync() {
  yield* ['s1', Promise.resolve('s2'), 's3'];
}
function ticker(max) {
  let t = 0;
  queueMicrotask(function tick() { log('tick ' + (++t)); if (t < max) queueMicrotask(tick); });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function hops() {
  const o = outer('hops');
  ticker(4);
  o.next().then((r) => log('direct yield: ' + r.value));
  await sleep(5);
  ticker(4);
  o.next().then((r) => log('delegated yield: ' + r.value));
  await sleep(5);
  log('return -> ' + fmt(await o.return('end')));
}
async function main() {
  for await (const v of outer('all')) log('got ' + v);
  const a = outer('throw');
  await a.next();
  log('next -> ' + fmt(await a.next()));
  log('throw -> ' + fmt(await a.throw(new Error('E'))));
  log('next -> ' + fmt(await a.next()));
  log('next -> ' + fmt(await a.next()));
  const b = outer('return');
  await b.next();
  log('next -> ' + fmt(await b.next()));
  log('return -> ' + fmt(await b.return('R')));
  log('next -> ' + fmt(await b.next()));
  for await (const v of overSync()) log('sync inner: ' + v + (v instanceof Promise ? ' (a promise)' : ' (a value)'));
  await hops();
}
main();

'use strict';
// Values into and out of an async generator. next(v) is what the paused yield evaluates to (the first
// next()'s argument is dropped: no yield is paused yet). `return v` awaits v where it stands, before the
// finally blocks around it run, and a rejected v throws there (a catch around the return sees it); the
// request it serves gets {value, done: true}. yield* forwards the sent values to the inner generator and
// evaluates to the inner generator's return value.
const log = (s) => console.log(s);
const fmt = (r) => `{value: ${String(r.value)}, done: ${r.done}}`;
function ticker(max) {
  let t = 0;
  queueMicrotask(function tick() { log('tick ' + (++t)); if (t < max) queueMicrotask(tick); });
}
async function* echo() {
  let got = yield 'first';
  while (got !== 'stop') {
    log('echo received ' + got);
    got = yield 'echo:' + got;
  }
  return 'echo done';
}
async function* outer() {
  const r = yield* echo();
  log('yield* evaluated to ' + r);
  const last = yield 'outer-last';
  log('outer received ' + last);
  return 'outer done';
}
async function* returnsPromise() {
  try {
    log('returning a promise');
    return new Promise((r) => setTimeout(() => r('late value'), 10));
  } finally {
    log('finally runs after the returned promise settled');
  }
}
async function* returnsRejection() {
  try {
    return Promise.reject(new Error('bad return'));
  } catch (e) {
    log('caught at the return: ' + e.message);
    yield 'recovered';
    return 'after recovery';
  } finally {
    log('finally of returnsRejection');
  }
}
async function* returnsPlain() {
  try {
    return 'plain';
  } finally {
    log('finally of returnsPlain');
  }
}
async function main() {
  const o = outer();
  log(fmt(await o.next('dropped')));
  log(fmt(await o.next('a')));
  log(fmt(await o.next('b')));
  log(fmt(await o.next('stop')));
  log(fmt(await o.next('x')));
  log(fmt(await o.next('y')));
  const p = returnsPromise();
  log(fmt(await p.next()));
  const q = returnsRejection();
  log(fmt(await q.next()));
  log(fmt(await q.next()));
  log(fmt(await q.next()));
  const h = returnsPlain();
  ticker(5);
  h.next().then((r) => log('returnsPlain -> ' + fmt(r)));
}
main();

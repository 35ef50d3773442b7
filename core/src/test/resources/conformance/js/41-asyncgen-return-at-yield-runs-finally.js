// return(v) on a generator suspended at a yield: the yield awaits v (1 hop),
// then completes like a `return v` statement. catch blocks do not see it,
// finally blocks run, and a finally may await and even yield again: return()
// then resolves with that value and done: false. A request queued behind it
// resumes the finally, and when the body ends the pending return completes it
// with {value: v, done: true}. If v is a rejected promise, the rejection is
// thrown at the yield, where the body can catch it.
const log = (s) => console.log(s);
const fmt = (r) => `{value: ${String(r.value)}, done: ${r.done}}`;
async function* gen() {
  try {
    log('body: yield 1');
    yield 1;
    log('body: after yield 1 (never)');
  } catch (e) {
    log('catch (never: a return is not an exception)');
  } finally {
    log('finally: start, awaits');
    await new Promise((r) => setTimeout(r, 5));
    log('finally: yields again');
    yield 'from finally';
    log('finally: resumed by the queued next()');
  }
  log('after try (never)');
}
async function* caught() {
  try {
    yield 'x';
  } catch (e) {
    log('caught at the yield: ' + e.message);
    yield 'after catch';
  }
}
async function main() {
  const it = gen();
  log('next -> ' + fmt(await it.next()));
  const r = it.return('R');
  const n = it.next();
  log('return() and next() issued');
  log('return -> ' + fmt(await r));
  log('queued next -> ' + fmt(await n));
  log('next after completion -> ' + fmt(await it.next()));
  const c = caught();
  log('next -> ' + fmt(await c.next()));
  log('return(Promise.resolve) -> ' + fmt(await c.return(Promise.resolve('P'))));
  const d = caught();
  await d.next();
  log('return(rejected) -> ' + fmt(await d.return(Promise.reject(new Error('rv')))));
  log('next -> ' + fmt(await d.next()));
}
main();

'use strict';
// Requests that reach an async generator while its body runs (awaiting, not at a yield) wait in its queue
// and are served in order once it reaches a yield or ends: a return(v) resumes the yield as a return (its
// finally blocks run, may await and yield again), a throw(e) resumes it as a throw (a catch around the
// yield sees e). return(v) awaits v where the body stands: a rejected v becomes a throw there. On a
// finished generator return(v) awaits v and answers {value, done: true}, or rejects.
const log = (s) => console.log(s);
const fmt = (r) => `{value: ${String(r.value)}, done: ${r.done}}`;
function ticker(label, max) {
  let t = 0;
  queueMicrotask(function tick() { log(label + ' tick ' + (++t)); if (t < max) queueMicrotask(tick); });
}
const show = (label, p) => p.then((r) => log(label + ' -> ' + fmt(r)), (e) => log(label + ' rejected ' + e.message));
async function* slow() {
  try {
    log('slow starts');
    await null;
    log('slow after one await');
    await null;
    yield 'a';
    log('slow resumed after a');
    yield 'b';
  } finally {
    log('slow finally starts');
    await null;
    log('slow finally after await');
  }
}
async function* catcher() {
  for (let i = 0; ; i++) {
    try {
      await null;
      yield 'c' + i;
    } catch (e) {
      log('catcher caught ' + e.message);
      yield 'caught ' + e.message;
    }
  }
}
async function* finallyYields() {
  try {
    yield 'body';
  } finally {
    log('finallyYields finally');
    yield 'from finally';
    log('finallyYields finally resumed');
  }
}
async function* returnCatcher() {
  try {
    yield 'x';
  } catch (e) {
    log('returnCatcher caught ' + e.message);
    yield 'after return rejection';
  } finally {
    log('returnCatcher finally');
  }
}
async function main() {
  ticker('A', 12);
  const s = slow();
  show('s.next 1', s.next());
  show('s.return', s.return('r'));
  show('s.next 2', s.next());
  await new Promise((r) => setTimeout(r, 0));
  log('--- catcher');
  ticker('B', 10);
  const c = catcher();
  show('c.next 1', c.next());
  show('c.throw', c.throw(new Error('boom')));
  show('c.next 2', c.next());
  show('c.return', c.return('end'));
  await new Promise((r) => setTimeout(r, 0));
  log('--- finallyYields');
  ticker('C', 10);
  const f = finallyYields();
  show('f.next 1', f.next());
  show('f.return', f.return('ret'));
  show('f.next 2', f.next());
  show('f.next 3', f.next());
  await new Promise((r) => setTimeout(r, 0));
  log('--- returnCatcher');
  ticker('D', 10);
  const rc = returnCatcher();
  show('rc.next 1', rc.next());
  show('rc.return rejected', rc.return(Promise.reject(new Error('rejected return'))));
  show('rc.next 2', rc.next());
  show('rc.next 3', rc.next());
  await new Promise((r) => setTimeout(r, 0));
  log('--- finished generator');
  ticker('E', 8);
  show('rc.return promise', rc.return(Promise.resolve('late')));
  show('rc.return rejected', rc.return(Promise.reject(new Error('late rejection'))));
  show('rc.throw', rc.throw(new Error('after end')));
  show('rc.next', rc.next());
}
main();

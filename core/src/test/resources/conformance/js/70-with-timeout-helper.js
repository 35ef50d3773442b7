// eventloop4j's Timers.withTimeout(ms, op), written as the JavaScript helper it stands for: the operation
// gets a signal of its own; its outcome is passed on one microtask turn after it settles (as Promise.race
// passes on its winner's); at the deadline the signal aborts (its listeners run) and then the promise
// rejects; an outcome after the deadline is dropped. Traced with ticks, a race beside it and plain timers.
const log = (s) => console.log(s);
class TimeoutError extends Error {}
function withTimeout(ms, operation) {
  return new Promise((resolve, reject) => {
    const ac = new AbortController();
    let settled = false;
    const work = operation(ac.signal); // a throw rejects: no timer is armed
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const e = new TimeoutError('withTimeout: the operation did not settle within ' + ms + ' ms');
      ac.abort(e);
      reject(e);
    }, ms);
    work.then(
      (v) => { if (!settled) { settled = true; clearTimeout(timer); resolve(v); } },
      (e) => { if (!settled) { settled = true; clearTimeout(timer); reject(e); } });
  });
}
const sleep = (ms, v, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(() => resolve(v), ms);
  if (signal) signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); });
});
const ticks = (label, n) => {
  let p = Promise.resolve();
  for (let i = 1; i <= n; i++) p = p.then(() => log(label + ' tick ' + i));
};
const show = (name, p) => p.then((v) => log(name + ' fulfilled: ' + v), (e) => log(name + ' rejected: ' + e.message));

// 1. an operation that settles at once: passed on one turn later, beside Promise.race
const ready = Promise.resolve('ready');
show('withTimeout(ready)', withTimeout(50, () => ready));
show('race(ready)', Promise.race([ready]));
ticks('a', 3);

// 2. a synchronous throw rejects (no timer); a rejection before the deadline is passed on
show('throws', withTimeout(50, () => { throw new Error('thrown'); }));
show('rejects', withTimeout(50, () => sleep(5).then(() => { throw new Error('failed at 5'); })));

// 3. the deadline: the signal's listener runs before the rejection's reactions, beside a timer of the same time
show('deadline', withTimeout(20, (signal) => {
  signal.addEventListener('abort', () => log('listener: ' + signal.reason.message));
  return sleep(1000, 'too late', signal);
}));
setTimeout(() => { log('plain timer at 20'); ticks('b', 2); }, 20);

// 4. in time, slow: the outcome is passed on, and the cleared deadline never fires
show('in time', withTimeout(40, () => sleep(30, 'made it')));
setTimeout(() => log('plain timer at 45: nothing fired at 40'), 45);

// 5. a late outcome is dropped, also a late rejection
show('late', withTimeout(10, () => sleep(15).then(() => { log('late operation settles'); throw new Error('late'); })));

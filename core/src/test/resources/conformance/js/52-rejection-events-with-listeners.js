// With an 'unhandledRejection' listener the process survives: the event fires
// once the nextTick+microtask drain is over, once per promise in rejection
// order, with (reason, promise). Ticks and microtasks queued by the listener
// run before the loop moves on. A handler attached later (from a timer) makes
// 'rejectionHandled' fire with the promise, after the handler itself ran.
const log = (s) => console.log(s);
const name = (p) => (p === p1 ? 'p1' : p === p2 ? 'p2' : 'unknown promise');
process.on('unhandledRejection', (reason, promise) => {
  log('unhandledRejection: ' + reason.message + ' (' + name(promise) + ')');
  process.nextTick(() => log('  nextTick queued by the listener'));
  Promise.resolve().then(() => log('  microtask queued by the listener'));
});
process.on('rejectionHandled', (promise) => log('rejectionHandled: ' + name(promise)));
process.on('exit', (code) => log('exit code ' + code));
const p1 = Promise.reject(new Error('p1 is handled late'));
const p2 = Promise.reject(new Error('p2 is never handled'));
Promise.resolve().then(() => log('microtask from the main script'));
setTimeout(() => {
  log('timer attaches a handler to p1');
  p1.catch((e) => log('p1 caught: ' + e.message));
}, 0);
setTimeout(() => log('next timer: process survived'), 0);

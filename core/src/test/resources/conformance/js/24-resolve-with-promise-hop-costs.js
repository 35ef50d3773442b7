// Resolving a promise with a native promise, or returning one from a then
// handler, costs 2 extra hops (NewPromiseResolveThenableJob, then the
// reaction on the inner promise). Promise.resolve(p) returns p itself, so it
// costs nothing. Rejections adopted this way cost the same.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 5) queueMicrotask(tick); });
const p = Promise.resolve('v');
log('Promise.resolve(p) === p: ' + (Promise.resolve(p) === p));
new Promise((resolve) => resolve(p)).then((v) => log('new Promise(r => r(p)).then: ' + v));
Promise.resolve().then(() => p).then((v) => log('then(() => p).then: ' + v));
Promise.resolve().then(() => 'plain').then((v) => log('then(() => plain).then: ' + v));
Promise.resolve(p).then((v) => log('Promise.resolve(p).then: ' + v));
new Promise((resolve) => resolve(Promise.reject(new Error('inner')))).catch((e) => log('resolve(rejected).catch: ' + e.message));
log('sync end');

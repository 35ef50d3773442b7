// Hop costs of the combinators with already-settled inputs: each input goes
// through Promise.resolve(x).then(...) synchronously, so the element reactions
// run at hop 1 and the handlers on the aggregate promise run at hop 2.
// all([]), allSettled([]) and any([]) settle synchronously: their handlers run at hop 1.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 4) queueMicrotask(tick); });
const ok = () => Promise.resolve('ok');
const bad = () => Promise.reject(new Error('bad'));
Promise.all([ok(), ok()]).then(() => log('all fulfilled'));
Promise.all([ok(), bad()]).catch(() => log('all rejected'));
Promise.allSettled([ok(), bad()]).then(() => log('allSettled fulfilled'));
Promise.race([ok(), bad()]).then(() => log('race fulfilled'));
Promise.any([bad(), ok()]).then(() => log('any fulfilled'));
Promise.any([bad(), bad()]).catch(() => log('any rejected'));
Promise.all([]).then(() => log('all([]) fulfilled'));
Promise.allSettled([]).then(() => log('allSettled([]) fulfilled'));
Promise.any([]).catch(() => log('any([]) rejected'));
Promise.resolve().then(() => log('plain then'));
log('sync end');

// finally(f) costs 2 more hops than then(): f runs at hop 1 like a then
// handler, but the outcome passes through PromiseResolve(f()).then(() => value),
// whose promise the derived promise must adopt (+2 hops). Same for a rejection,
// and for an f that returns an already-resolved native promise.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 5) queueMicrotask(tick); });
Promise.resolve('a').then(() => log('then handler')).then(() => log('then after then'));
Promise.resolve('b').finally(() => log('finally callback')).then((v) => log('then after finally: ' + v));
Promise.reject(new Error('c')).finally(() => log('finally callback on rejection')).catch((e) => log('catch after finally: ' + e.message));
Promise.resolve('d').finally(() => Promise.resolve('ignored')).then((v) => log('then after finally returning a resolved promise: ' + v));
log('sync end');

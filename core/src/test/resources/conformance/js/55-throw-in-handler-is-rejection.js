// A throw inside a then/catch/finally handler, a promise executor or an async
// function rejects the promise it belongs to: it is not an uncaught exception.
// A throw inside a queueMicrotask callback IS one: the listener runs at once
// and the rest of the microtask queue carries on.
const log = (s) => console.log(s);
process.on('uncaughtException', (e) => log('uncaughtException: ' + e.message));
Promise.resolve().then(() => { throw new Error('thrown in then'); }).catch((e) => log('rejection: ' + e.message));
Promise.reject(new Error('x')).catch(() => { throw new Error('thrown in catch'); }).catch((e) => log('rejection: ' + e.message));
Promise.resolve().finally(() => { throw new Error('thrown in finally'); }).catch((e) => log('rejection: ' + e.message));
new Promise(() => { throw new Error('thrown in executor'); }).catch((e) => log('rejection: ' + e.message));
(async () => { throw new Error('thrown in async function'); })().catch((e) => log('rejection: ' + e.message));
queueMicrotask(() => { log('queueMicrotask callback throws'); throw new Error('thrown in queueMicrotask'); });
Promise.resolve().then(() => log('next microtask still runs'));
setTimeout(() => log('timer runs'), 0);

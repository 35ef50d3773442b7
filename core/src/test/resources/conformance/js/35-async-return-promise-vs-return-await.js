// What an async function's return costs. Its implicit promise is resolved with
// the return value: a plain value settles it at once (handler at hop 1); a
// native promise goes through the resolution procedure, a thenable job plus
// the promise's reaction (handler at hop 3, also when that promise rejects); a
// thenable costs its job (hop 2). `return await p` resumes after 1 hop and then
// returns a plain value, so it settles SOONER than `return p` (hop 2). Only
// `return await` lets the function's own try/catch see a rejection.
const log = (s) => console.log(s);
let t = 0;
queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 5) queueMicrotask(tick); });
const p = Promise.resolve('v');
async function returnPromise() { return p; }
async function returnAwaitPromise() { return await p; }
async function returnPlain() { return 'plain'; }
async function returnThenable() { return { then(r) { r('t'); } }; }
async function returnRejected() {
  try { return Promise.reject(new Error('escapes the try')); } catch (e) { return 'caught (never)'; }
}
async function returnAwaitRejected() {
  try { return await Promise.reject(new Error('rejected')); } catch (e) { return 'caught ' + e.message; }
}
returnPromise().then((v) => log('return p: ' + v));
returnAwaitPromise().then((v) => log('return await p: ' + v));
returnPlain().then((v) => log('return plain value: ' + v));
returnThenable().then((v) => log('return thenable: ' + v));
returnRejected().catch((e) => log('return rejected p: rejects, ' + e.message));
returnAwaitRejected().then((v) => log('return await rejected p: ' + v));
log('sync end');

// Leaving a for await early (break, return, throw in the body) calls the
// iterator's return() and AWAITS its result before the code after the loop
// runs. If return() rejects, that rejection replaces a break or a return, but
// an exception thrown by the body wins over it. A next() that rejects ends the
// loop with that error and return() is NOT called (the iterator is broken).
// Normal completion does not call return() either.
const log = (s) => console.log(s);
function source(name, opts = {}) {
  let i = 0;
  return {
    [Symbol.asyncIterator]() { return this; },
    next() {
      i++;
      if (opts.failAt === i) return Promise.reject(new Error(name + ': next() failed'));
      return Promise.resolve({ value: name + i, done: i > 3 });
    },
    return() {
      log('  ' + name + ': return() called');
      if (opts.failReturn) return Promise.reject(new Error(name + ': return() failed'));
      return new Promise((r) => setTimeout(() => { log('  ' + name + ': return() settles'); r({ done: true }); }, 5));
    },
  };
}
async function withBreak() {
  for await (const v of source('break')) { log('got ' + v); if (v === 'break2') break; }
  log('after the loop (break)');
}
async function withReturn() {
  for await (const v of source('return')) { log('got ' + v); return 'returned ' + v; }
  return 'not reached';
}
async function withThrow() {
  try {
    for await (const v of source('throw')) { log('got ' + v); throw new Error('thrown in body'); }
  } catch (e) { log('caught: ' + e.message); }
}
async function breakWithFailingReturn() {
  try {
    for await (const v of source('break-fail', { failReturn: true })) { log('got ' + v); break; }
    log('not reached');
  } catch (e) { log('caught: ' + e.message); }
}
async function throwWithFailingReturn() {
  try {
    for await (const v of source('throw-fail', { failReturn: true })) { log('got ' + v); throw new Error('thrown in body'); }
  } catch (e) { log('caught: ' + e.message); }
}
async function nextRejects() {
  try {
    for await (const v of source('next-fail', { failAt: 2 })) log('got ' + v);
  } catch (e) { log('caught: ' + e.message); }
}
async function normalEnd() {
  for await (const v of source('normal')) log('got ' + v);
  log('after the loop (normal end)');
}
async function* generator() {
  try {
    yield 'gen1';
    yield 'gen2';
  } finally {
    log('  generator: finally awaits');
    await new Promise((r) => setTimeout(r, 5));
    log('  generator: finally done');
  }
}
async function generatorBreak() {
  for await (const v of generator()) { log('got ' + v); break; }
  log('after the loop (generator break)');
}
async function main() {
  await withBreak();
  log(await withReturn());
  await withThrow();
  await breakWithFailingReturn();
  await throwWithFailingReturn();
  await nextRejects();
  await normalEnd();
  await generatorBreak();
}
main();

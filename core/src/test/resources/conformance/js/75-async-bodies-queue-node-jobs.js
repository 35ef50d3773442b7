'use strict';
// An async body is ordinary JavaScript between its awaits: what it queues (nextTick, queueMicrotask,
// setImmediate, setTimeout 0) lands where the same calls from a plain callback land. A tick queued in a
// resumed body (a microtask) runs once the whole microtask queue is empty, before the next phase; its
// immediates run in this turn's check phase, its timers when due; a body resumed by a timer or an
// immediate drains ticks then microtasks right after that callback, before the next callback of the phase.
const log = (s) => console.log(s);
async function body(name) {
  log(name + ' starts');
  process.nextTick(() => log(name + ' tick before await'));
  queueMicrotask(() => log(name + ' microtask before await'));
  await null;
  log(name + ' after first await');
  process.nextTick(() => log(name + ' tick after await'));
  queueMicrotask(() => log(name + ' microtask after await'));
  setImmediate(() => log(name + ' immediate'));
  setTimeout(() => log(name + ' timeout 5'), 5);
  await null;
  log(name + ' after second await');
  await new Promise((r) => setImmediate(r));
  log(name + ' resumed by an immediate');
  process.nextTick(() => log(name + ' tick in check phase'));
  await new Promise((r) => setTimeout(r, 0));
  log(name + ' resumed by a timer');
  process.nextTick(() => log(name + ' tick in timers phase'));
  queueMicrotask(() => log(name + ' microtask in timers phase'));
  return name + ' done';
}
setTimeout(() => {
  log('timer starts both');
  body('one').then(log);
  body('two').then(log);
  setImmediate(() => log('outer immediate'));
  process.nextTick(() => log('outer tick'));
  log('timer ends');
}, 1);

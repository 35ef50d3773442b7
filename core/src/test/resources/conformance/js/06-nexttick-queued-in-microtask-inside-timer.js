// Variant of 05, inside a timer callback: a nextTick queued by a microtask waits
// until the microtask queue is completely empty (here a 4-hop ticker keeps it
// busy); a microtask queued by that nextTick waits until the nextTick queue is
// empty again. The drain alternates (all ticks, all microtasks, ...) until both
// queues are empty, and all of it happens before the next timer.
const log = (s) => console.log(s);
setTimeout(() => {
  log('timer 1');
  let t = 0;
  queueMicrotask(function tick() { log('tick ' + (++t)); if (t < 4) queueMicrotask(tick); });
  Promise.resolve().then(() => {
    log('microtask queues nextTick A');
    process.nextTick(() => {
      log('nextTick A queues a microtask, then nextTick B');
      Promise.resolve().then(() => {
        log('microtask from A queues nextTick C');
        process.nextTick(() => log('nextTick C'));
      });
      process.nextTick(() => log('nextTick B'));
    });
  });
  process.nextTick(() => log('nextTick queued by timer 1'));
}, 0);
setTimeout(() => log('timer 2'), 0);

// setInterval with slow callbacks. Node reads `start` (a fresh clock reading)
// just before the callback runs and re-arms the interval from it: the next run
// is due at callback start + interval. An interval never runs twice in one
// timers phase (the phase's `now` is fixed), and runs missed during a slow
// callback are not made up. Busy-waits make it deterministic (nothing ever
// waits for the clock): the main script takes 15ms, so the interval and the
// timeout are both due in the first timers phase; run 1 takes 35ms and then
// creates a 5ms timeout T (due ~55); run 2 is overdue (due ~25) and comes
// before T; run 2 takes 12ms, so run 3 (due ~60) is due with T, after T.
const log = (s) => console.log(s);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const busyWait = (ms) => { const end = now() + ms; while (now() < end); };
let n = 0;
const iv = setInterval(() => {
  n++;
  log(`interval run ${n}`);
  process.nextTick(() => log(`  nextTick queued by run ${n}`));
  if (n === 1) {
    setImmediate(() => log('  immediate queued by run 1'));
    busyWait(35);
    setTimeout(() => log('T: 5ms timeout created at the end of run 1'), 5);
  } else if (n === 2) {
    busyWait(12);
  } else {
    clearInterval(iv);
  }
}, 10);
setTimeout(() => log('timeout (10ms list, behind the interval)'), 10);
busyWait(15);

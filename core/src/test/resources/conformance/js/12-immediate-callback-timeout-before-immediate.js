// Inside an immediate (check phase) callback, a setTimeout(0) runs BEFORE a new
// setImmediate when the timer is already due at the start of the next loop
// iteration: timers come first in every iteration, and an immediate queued
// during the check phase waits for the next one. The callback busy-waits 5ms
// after scheduling both, so the 1ms timer is always due (without the busy-wait
// the order would depend on the clock, as in 02).
const log = (s) => console.log(s);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const busyWait = (ms) => { const end = now() + ms; while (now() < end); };
setImmediate(() => {
  log('immediate 1 schedules a timeout and an immediate, then busy-waits 5ms');
  setImmediate(() => log('immediate 2 (check phase of the next iteration)'));
  setTimeout(() => log('timeout (timers phase of the next iteration)'), 0);
  busyWait(5);
});

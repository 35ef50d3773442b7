// Consequence of Node's timer lists (one FIFO list per delay, lists in a
// priority queue keyed by their head's expiry, `now` fixed per timers phase).
// A slow callback (busy-wait) makes every timer due at once; then each list
// runs all its due timers before the next list: A2 runs before B1 although B1
// expired first. D, created during the phase with 1ms, never runs in that phase.
// (All timers are created by C, so their start times do not depend on how long
// Node takes to reach its first timers phase.)
const log = (s) => console.log(s);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const busyWait = (ms) => { const end = now() + ms; while (now() < end); };
setTimeout(() => {
  log('C creates A1 (50ms), B1 (100ms), D (1ms), busy-waits 60ms, creates A2 (50ms), busy-waits 60ms');
  setTimeout(() => log('A1 (50ms list, due at C+50)'), 50);
  setTimeout(() => log('B1 (100ms list, due at C+100)'), 100);
  setTimeout(() => log('D (1ms, created during the phase)'), 1);
  busyWait(60);
  setTimeout(() => log('A2 (50ms list behind A1, due at >= C+110)'), 50);
  busyWait(60);
}, 1);

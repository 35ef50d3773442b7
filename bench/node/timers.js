'use strict';
// timers<N>_<op>: N timers with random integer delays 0..1000 ms (fixed seed), real clock.
//   node timers.js [N] [schedule|cancel|fire_all]
//   schedule: wall time of the setTimeout loop per timer (they are cleared again, untimed)
//   cancel:   wall time of the clearTimeout loop per timer (scheduled just before, untimed)
//   fire_all: process CPU time (user + system) per timer for scheduling all and firing all; the loop
//             waits ~1 s of wall clock for the last one (eventloop4j's row runs on virtual time instead)
const { countArg, report, median, delays, now, nsSince } = require('./lib');

const MAX_DELAY = 1000;
const n = countArg(100_000);
const op = process.argv[3] === undefined ? 'schedule' : process.argv[3];
const power = Math.log10(n);
const name = `timers${Number.isInteger(power) ? `1e${power}` : n}_${op}`;
const noop = () => {};

function scheduleAll(d) {
  const handles = new Array(d.length);
  for (let i = 0; i < d.length; i++) handles[i] = setTimeout(noop, d[i]);
  return handles;
}

function clearAll(handles) {
  for (let i = 0; i < handles.length; i++) clearTimeout(handles[i]);
}

// One timed run of `op` over delays d; returns ns per timer.
function once(d) {
  if (op === 'schedule') {
    const t0 = now();
    const handles = scheduleAll(d);
    const ns = nsSince(t0);
    clearAll(handles);
    return ns / d.length;
  }
  const handles = scheduleAll(d);
  const t0 = now();
  clearAll(handles);
  return nsSince(t0) / d.length;
}

function fireAll(d) {
  return new Promise((resolve) => {
    let fired = 0;
    const cpu0 = process.cpuUsage();
    const cb = () => {
      if (++fired === d.length) {
        const cpu = process.cpuUsage(cpu0);
        resolve(((cpu.user + cpu.system) * 1000) / d.length);
      }
    };
    for (let i = 0; i < d.length; i++) setTimeout(cb, d[i]);
  });
}

(async () => {
  const d = delays(n, MAX_DELAY);
  if (op === 'fire_all') {
    const warm = delays(Math.min(n, 20_000), 20);
    await fireAll(warm);
    await fireAll(warm);
    report(name, { ns_per_op: await fireAll(d), runs: 1, n });
  } else if (op === 'schedule' || op === 'cancel') {
    const warm = d.subarray(0, Math.max(1, Math.floor(n / 10)));
    once(warm);
    once(warm);
    const perOp = [];
    for (let r = 0; r < 5; r++) perOp.push(once(d));
    report(name, { ns_per_op: median(perOp), min: Math.min(...perOp), max: Math.max(...perOp), runs: 5, n });
  } else {
    throw new Error(`op must be schedule, cancel or fire_all, got ${op}`);
  }
})();

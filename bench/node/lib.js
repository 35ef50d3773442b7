'use strict';
// Helpers for eventloop4j's Node.js counterparts of the JMH workloads (bench/src/main/java/...).
// Every script prints exactly one line:  <workload> ns_per_op=<median> [field=value ...]
// where <workload> is the name BENCHMARKS.md uses for the same JMH workload.

function countArg(defaultCount) {
  const a = process.argv[2];
  if (a === undefined || a === '' || a === '-') return defaultCount;
  const n = Number(a);
  if (!Number.isInteger(n) || n < 1) throw new Error(`count must be a positive integer, got ${a}`);
  return n;
}

function now() {
  return process.hrtime.bigint();
}

function nsSince(t0) {
  return Number(process.hrtime.bigint() - t0);
}

function fmt(x) {
  if (typeof x !== 'number' || !Number.isFinite(x) || Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return String(Math.round(x));
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function report(name, fields) {
  console.log([name, ...Object.entries(fields).map(([k, v]) => `${k}=${fmt(v)}`)].join(' '));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Runs `fn(warm)` twice so V8 optimises the hot code, then `fn(n)` `runs` times; fn may return a
// promise. Returns ns per op of each timed run.
async function measure(fn, n, { warm = Math.max(1, Math.floor(n / 10)), runs = 5 } = {}) {
  await fn(warm);
  await fn(warm);
  const perOp = [];
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    await fn(n);
    perOp.push(nsSince(t0) / n);
  }
  return perOp;
}

// measure() + report() in one: the median as ns_per_op, and the spread of the timed runs.
async function bench(name, n, fn, options) {
  const perOp = await measure(fn, n, options);
  report(name, { ns_per_op: median(perOp), min: Math.min(...perOp), max: Math.max(...perOp), runs: perOp.length, n });
}

// Deterministic integer delays 0..max (mulberry32), the same for every run of a given n.
function delays(n, max) {
  let s = 42;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (max + 1));
  }
  return out;
}

module.exports = { countArg, now, nsSince, report, median, measure, bench, delays };

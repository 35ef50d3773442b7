'use strict';
// circuit_breaker_call_*: per-call cost of a minimal count-window circuit breaker (100 outcomes, opens at
// 50 % failures) around an already-resolved async call, and of the bare call (CircuitBreakerCall in JMH).
const { countArg, bench } = require('./lib');

class Breaker {
  constructor(windowSize = 100) {
    this.outcomes = new Uint8Array(windowSize);
    this.pos = 0;
    this.failures = 0;
    this.open = false;
  }
  async call(fn) {
    if (this.open) throw new Error('circuit open');
    let result;
    try {
      result = await fn();
    } catch (e) {
      this.record(1);
      throw e;
    }
    this.record(0);
    return result;
  }
  record(failed) {
    this.failures += failed - this.outcomes[this.pos];
    this.outcomes[this.pos] = failed;
    this.pos = (this.pos + 1) % this.outcomes.length;
    if (this.failures * 2 >= this.outcomes.length) this.open = true;
  }
}

const resolved = Promise.resolve(1);
const service = () => resolved;

(async () => {
  const n = countArg(1_000_000);
  await bench('circuit_breaker_call_bare_call', n, async (k) => {
    let s = 0;
    for (let i = 0; i < k; i++) s += await service();
    return s;
  });
  const breaker = new Breaker();
  await bench('circuit_breaker_call_breaker_call', n, async (k) => {
    let s = 0;
    for (let i = 0; i < k; i++) s += await breaker.call(service);
    return s;
  });
})();

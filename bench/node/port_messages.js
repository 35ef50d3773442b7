'use strict';
// Two MessageChannels on the main thread bouncing 64 messages between them, each handler posting every
// message it gets to the other channel: the JMH PortMessages workload (ns per delivery).
// Usage: node port_messages.js [n]
const { MessageChannel } = require('node:worker_threads');
const { countArg, bench } = require('./lib');

const WINDOW = 64;

const run = (n) =>
  new Promise((resolve) => {
    const a = new MessageChannel();
    const b = new MessageChannel();
    let delivered = 0;
    const bounce = (to) => (m) => {
      const d = ++delivered;
      if (d === n) {
        a.port1.close();
        b.port1.close();
        resolve();
      } else if (d <= n - WINDOW) {
        to.port2.postMessage(m);
      }
    };
    a.port1.on('message', bounce(b));
    b.port1.on('message', bounce(a));
    for (let i = 0; i < Math.min(WINDOW, n); i++) a.port2.postMessage(i);
  });

bench('port_messages', countArg(200_000), run);

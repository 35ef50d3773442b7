'use strict';
// A port closed inside an immediate: its own 'close' runs in that iteration's close phase, after the
// immediates already queued; the peer's 'close' comes once the close reaches it as a message, in the
// next iteration's close phase (after the immediate queued by the first one).
const { MessageChannel } = require('worker_threads');
const { port1, port2 } = new MessageChannel();
port1.on('message', (m) => console.log('port1 got', m));
port2.on('message', (m) => console.log('port2 got', m));
port1.on('close', () => console.log('port1 close'));
port2.on('close', () => console.log('port2 close'));
setImmediate(() => {
  console.log('immediate 1: closing port1');
  port1.close();
  setImmediate(() => console.log('immediate 3 (queued by 1)'));
  process.nextTick(() => console.log('tick after close'));
});
setImmediate(() => console.log('immediate 2'));

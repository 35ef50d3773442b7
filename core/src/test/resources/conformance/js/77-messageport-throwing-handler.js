// A 'message' handler that throws (with an 'uncaughtException' listener):
// the exception is reported, the rest of that port's queue waits for the next
// iteration's poll phase, and the other ports with messages are still served
// in this one.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const c = new MessageChannel(), d = new MessageChannel();
d.port2.on('message', (m) => log('d ' + m));
c.port2.on('message', (m) => {
  log('c ' + m);
  if (m === 1) throw new Error('boom');
  if (m === 3) {
    c.port1.close();
    d.port1.close();
  }
});
process.on('uncaughtException', (e) => log('uncaught ' + e.message));
c.port1.postMessage(1);
c.port1.postMessage(2);
c.port1.postMessage(3);
d.port1.postMessage('x');
setImmediate(() => log('immediate'));

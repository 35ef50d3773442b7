// MessagePort messages within one thread: each message is its own callback in
// the poll phase, followed by its own nextTick + microtask drain. Messages
// posted by the main script run after its ticks and promise jobs and before
// its immediates; a message posted by a handler runs in the same poll phase,
// before any immediate; one posted by an immediate waits for the next
// iteration's poll phase, which comes before the immediates queued meanwhile.
// From a handler, setImmediate beats setTimeout(0) (as from an I/O callback);
// from a timer, a posted message beats the timer's setImmediate.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const { port1, port2 } = new MessageChannel();
port1.on('message', (m) => {
  log('message ' + m);
  process.nextTick(() => log('  nextTick after ' + m));
  Promise.resolve().then(() => log('  promise after ' + m));
  if (m === 'b') port2.postMessage('posted by handler b');
  if (m === 'from immediate 1') {
    setTimeout(() => {
      log('timeout queued by message');
      port2.postMessage('from timeout');
      setImmediate(() => log('immediate queued by timeout'));
    }, 0);
    setImmediate(() => log('immediate queued by message'));
  }
  if (m === 'from timeout') port1.close();
});
port1.on('close', () => log('port1 close'));
port2.postMessage('a');
port2.postMessage('b');
setImmediate(() => {
  log('immediate 1');
  port2.postMessage('from immediate 1');
  setImmediate(() => log('immediate queued by immediate 1'));
});
setImmediate(() => log('immediate 2'));
process.nextTick(() => log('nextTick'));
Promise.resolve().then(() => log('promise'));
log('main done');

// Several ports of one thread: the poll phase serves the ports that have
// messages in the order their handles were created (not the order they
// started listening, nor the order the messages were posted), each port's
// whole queue back to back, each message with its own nextTick + microtask
// drain. A message a handler posts to its own port, or to a port served
// later in that order, runs in the same poll phase; one posted to a port
// already served waits for the next iteration, after the immediates.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const c1 = new MessageChannel(), c2 = new MessageChannel(), c3 = new MessageChannel();
c2.port2.on('message', (m) => {
  log('p2 ' + m);
  if (m === 'b1') {
    c1.port1.postMessage('a-late');
    c2.port1.postMessage('b-late');
    c3.port1.postMessage('c-late');
    setImmediate(() => log('immediate queued by p2'));
  }
});
c1.port2.on('message', (m) => {
  log('p1 ' + m);
  process.nextTick(() => log('  nextTick after ' + m));
  Promise.resolve().then(() => log('  promise after ' + m));
});
c3.port2.on('message', (m) => {
  log('p3 ' + m);
  if (m === 'c-imm') {
    c1.port1.close();
    c2.port1.close();
    c3.port1.close();
  }
});
c1.port1.postMessage('a1');
c2.port1.postMessage('b1');
c1.port1.postMessage('a2');
c3.port1.postMessage('c1');
c2.port1.postMessage('b2');
setImmediate(() => {
  log('immediate');
  c3.port1.postMessage('c-imm');
  c1.port1.postMessage('a-imm');
});
log('main done');

// MessagePort.close(): messages still queued for a port that closes before
// they are delivered are dropped; a port that closes inside its own message
// handler still receives the messages already queued for it; the peer of a
// closing port first receives what the closing port had posted. 'close'
// events come after the immediates of that loop iteration (close phase), the
// closing end first, then its peer.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
function channel(n) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m) => log(n + ': port1 got ' + m));
  port2.on('message', (m) => log(n + ': port2 got ' + m));
  return { port1, port2 };
}
function step1() {
  log('-- 1: the receiver closes before its messages are delivered');
  const { port1, port2 } = channel(1);
  port1.on('close', () => log('1: port1 close'));
  port2.on('close', () => { log('1: port2 close'); setTimeout(step2, 1); });
  port2.postMessage('x');
  port2.postMessage('y');
  port1.close();
  process.nextTick(() => log('1: nextTick'));
  Promise.resolve().then(() => log('1: promise'));
  setImmediate(() => log('1: immediate'));
}
function step2() {
  log('-- 2: the sender posts, then closes');
  const { port1, port2 } = channel(2);
  port1.on('close', () => { log('2: port1 close'); setTimeout(step3, 1); });
  port2.on('close', () => log('2: port2 close'));
  port2.postMessage('x');
  port2.postMessage('y');
  port2.close();
  process.nextTick(() => log('2: nextTick'));
  Promise.resolve().then(() => log('2: promise'));
  setImmediate(() => log('2: immediate'));
}
function step3() {
  log('-- 3: the receiver closes inside its handler');
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m) => {
    log('3: port1 got ' + m);
    if (m === 'a') {
      port1.close();
      setImmediate(() => log('3: immediate queued by handler a'));
    }
  });
  port2.on('message', (m) => log('3: port2 got ' + m));
  port1.on('close', () => log('3: port1 close'));
  port2.on('close', () => log('3: port2 close'));
  port2.postMessage('a');
  port2.postMessage('b');
  port2.postMessage('c');
  setImmediate(() => log('3: immediate'));
}
setTimeout(step1, 1);

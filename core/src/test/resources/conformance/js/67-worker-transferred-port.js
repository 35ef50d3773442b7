// A MessagePort transferred to a worker carries a conversation of its own:
// messages posted on port1 before the transfer are waiting for the worker's
// port and arrive in order; the worker answers on it; when the parent closes
// port1, the worker's port gets 'close', and the worker, with nothing left
// to keep it alive, exits with 0. Only the parent prints.
const { Worker, MessageChannel, isMainThread, parentPort } = require('worker_threads');
const log = (s) => console.log(s);
if (!isMainThread) {
  parentPort.once('message', ({ port }) => {
    parentPort.postMessage('worker got a port');
    port.on('message', (m) => port.postMessage('pong ' + m));
    port.on('close', () => parentPort.postMessage('worker saw its port close'));
  });
  return;
}
const w = new Worker(__filename);
const { port1, port2 } = new MessageChannel();
w.on('message', (m) => log('parent: ' + m));
w.on('exit', (code) => log('exit ' + code));
port1.on('message', (m) => {
  log('port1 got ' + m);
  if (m === 'pong 2') port1.close();
});
port1.postMessage(1);
w.postMessage({ port: port2 }, [port2]);
port1.postMessage(2);
log('main done');

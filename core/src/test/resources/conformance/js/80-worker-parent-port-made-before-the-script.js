// A worker's parentPort is made before the worker's script runs, so it comes
// first in the worker's order of ports: messages its handler posts to a port
// the script made are served in the same poll phase, before the immediate it
// queued. The worker reports what it saw; only the parent prints.
const { Worker, MessageChannel, isMainThread, parentPort } = require('worker_threads');
const log = (s) => console.log(s);
if (!isMainThread) {
  const seen = [];
  const c = new MessageChannel();
  c.port2.on('message', (m) => seen.push('c ' + m));
  parentPort.on('message', (m) => {
    seen.push('parent ' + m);
    c.port1.postMessage(1);
    c.port1.postMessage(2);
    setImmediate(() => {
      seen.push('immediate');
      parentPort.postMessage(seen.join(', '));
      parentPort.unref();
      c.port2.close();
    });
  });
  return;
}
const w = new Worker(__filename);
w.on('message', (m) => log('worker saw: ' + m));
w.on('exit', (code) => log('exit ' + code));
w.postMessage('go');
log('main done');

// A port closed by its own handler still receives what reaches it during that
// turn (here a message its peer posts after the close), then closes; its
// 'close' runs in the close phase. A message posted on the same thread to an
// unref'd port is not delivered when nothing else keeps the loop alive: the
// program ends first.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const a = new MessageChannel();
const b = new MessageChannel();
b.port2.on('message', (m) => log('b got ' + m));
b.port2.unref();
a.port2.on('message', (m) => {
  log('a got ' + m);
  if (m === 'x') {
    a.port2.close();
    a.port1.postMessage('y');
    setImmediate(() => log('immediate'));
  }
});
a.port2.on('close', () => {
  log('a closed');
  b.port1.postMessage('never delivered');
});
a.port1.postMessage('x');
log('main done');

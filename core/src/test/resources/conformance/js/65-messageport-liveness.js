// Liveness: a port keeps the process alive once it listens for messages
// (hasRef() is false before); unref() lets the process exit anyway, ref()
// restores it; adding a listener again does not re-ref; closing releases it.
// Here the only timer is unref()ed, so only port b keeps the process alive
// until the timer's message arrives; port a, unref()ed, never gets one.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
process.on('exit', (code) => log('exit ' + code));
const a = new MessageChannel();
log('a fresh hasRef ' + a.port1.hasRef());
a.port1.on('message', (m) => log('a got ' + m));
log('a listening hasRef ' + a.port1.hasRef());
a.port1.unref();
log('a unref hasRef ' + a.port1.hasRef());
a.port1.on('message', (m) => log('a second listener got ' + m));
log('a second listener hasRef ' + a.port1.hasRef());
const b = new MessageChannel();
b.port1.on('message', (m) => {
  log('b got ' + m);
  b.port1.close();
});
b.port1.on('close', () => log('b closed'));
b.port1.unref();
b.port1.ref();
log('b ref again hasRef ' + b.port1.hasRef());
setTimeout(() => {
  log('unref timer posts');
  b.port2.postMessage('late');
}, 20).unref();
log('main done');

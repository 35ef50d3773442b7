// A port's turn emits at most max(1000, its queue's length when the turn
// began) messages: a handler that keeps posting to its own port gets 1000
// messages in one poll phase, then the immediates run, then the rest.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const { port1, port2 } = new MessageChannel();
let last = -1;
port2.on('message', (n) => {
  if (n === 0) setImmediate(() => log('immediate after message ' + last));
  last = n;
  if (n % 500 === 0 || n === 999 || n === 1001) log('message ' + n);
  if (n < 1200) port1.postMessage(n + 1);
  else port2.close();
});
port1.postMessage(0);

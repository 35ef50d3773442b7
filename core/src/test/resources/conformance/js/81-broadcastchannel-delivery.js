// BroadcastChannel within one thread: a post reaches every other open channel
// of the name (not the sender, not other names, not channels made later),
// each channel is served like a port — in the order the channels were made,
// its whole queue at once, each message with its own nextTick + microtask
// drain — and a channel with no listener when its message is dispatched
// drops it. Posting on a closed channel throws.
const { BroadcastChannel } = require('worker_threads');
const log = (s) => console.log(s);
const a = new BroadcastChannel('news');
const b = new BroadcastChannel('news');
const quiet = new BroadcastChannel('news');
const other = new BroadcastChannel('other');
other.onmessage = (e) => log('other got ' + e.data);
b.onmessage = (e) => {
  log('b got ' + e.data);
  process.nextTick(() => log('  nextTick after b ' + e.data));
  Promise.resolve().then(() => log('  promise after b ' + e.data));
  if (e.data === 1) b.postMessage('reply from b');
};
a.onmessage = (e) => {
  log('a got ' + e.data);
  if (e.data === 'reply from b') {
    const late = new BroadcastChannel('news');
    late.onmessage = (ev) => log('late got ' + ev.data);
    quiet.onmessage = (ev) => {
      log('quiet got ' + ev.data);
      for (const c of [a, b, quiet, other, late]) c.close();
      try {
        a.postMessage('after close');
      } catch (err) {
        log('post after close: ' + err.message);
      }
    };
    setImmediate(() => log('immediate'));
    a.postMessage('last');
  }
};
a.postMessage(1);
b.postMessage(2);
a.postMessage(3);
setImmediate(() => log('first immediate'));
log('main done');

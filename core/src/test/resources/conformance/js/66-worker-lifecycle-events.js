// A Worker seen from its parent, one worker at a time: 'online' comes before
// 'error'; every message the worker posted comes before 'exit', also
// one posted from a timer just before it ends; the exit code is 0 when it runs
// out of work, n after process.exit(n), and 1 after an uncaught error or an
// unhandled rejection (after the 'error' event with that error) or after
// terminate(), whose promise resolves with 1 like an 'exit' listener added at
// that moment: after the listeners added before.
// Not deterministic in Node, so not printed: 'online' vs the worker's messages,
// and a message posted just before an uncaught throw vs 'error' (they travel
// on different ports of the worker).
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const log = (s) => console.log(s);
if (!isMainThread) {
  const kind = workerData;
  if (kind === 'two messages') {
    parentPort.postMessage('one');
    parentPort.postMessage('two');
  } else if (kind === 'throws') {
    throw new Error('boom');
  } else if (kind === 'rejects') {
    Promise.reject(new Error('rejected in worker'));
  } else if (kind === 'exit(7)') {
    parentPort.postMessage('before exit');
    process.exit(7);
  } else if (kind === 'listens') {
    parentPort.on('message', (m) => parentPort.postMessage('echo ' + m));
  } else if (kind === 'posts from a timer') {
    setTimeout(() => parentPort.postMessage('last words'), 5);
  }
  return;
}
function run(kind) {
  return new Promise((resolve) => {
    log('-- ' + kind);
    const w = new Worker(__filename, { workerData: kind });
    w.on('online', () => {
      if (kind === 'throws' || kind === 'rejects') log(kind + ': online');
    });
    w.on('message', (m) => {
      log(kind + ': message ' + m);
      if (kind === 'listens') {
        w.terminate().then((code) => log(kind + ': terminate() resolved with ' + code));
      }
    });
    w.on('error', (e) => log(kind + ': error ' + e.constructor.name + ': ' + e.message));
    w.on('exit', (code) => {
      log(kind + ': exit ' + code);
      resolve();
    });
    if (kind === 'listens') w.postMessage('hi');
  });
}
(async () => {
  for (const kind of ['two messages', 'throws', 'rejects', 'exit(7)', 'listens', 'posts from a timer']) {
    await run(kind);
  }
  log('all done');
})();

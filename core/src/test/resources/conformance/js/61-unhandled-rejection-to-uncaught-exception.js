// Default --unhandled-rejections=throw, without an 'unhandledRejection'
// listener but WITH an 'uncaughtException' one: the reason is raised as an
// uncaught exception (origin 'unhandledRejection') once the drain is over, the
// listener handles it, and the process lives on: timers still run.
const log = (s) => console.log(s);
process.on('uncaughtException', (e, origin) => {
  log('uncaughtException: ' + e.message);
  log('  origin: ' + origin);
});
process.on('exit', (code) => log('exit code ' + code));
Promise.reject(new Error('nobody handles me'));
process.nextTick(() => log('nextTick'));
Promise.resolve().then(() => log('microtask'));
setTimeout(() => log('timer runs: the listener kept the process alive'), 0);

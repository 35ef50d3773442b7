// A pipeline of async generators left early and failing: a break in the consumer travels up the stages as
// return() (each stage's finally runs, and may await, before the code after the loop), and an error thrown
// by the source travels down through each stage's catch and finally. The first two run with nothing else
// queued (every pull goes straight through the stages), the third with a ticker running to count the hops.
const log = (s) => console.log(s);
function ticker(label, max) {
  let k = 0;
  queueMicrotask(function tick() { log(label + ' tick ' + (++k)); if (k < max) queueMicrotask(tick); });
}
async function* source(name, n, failAt) {
  try {
    for (let i = 0; i < n; i++) {
      if (i === failAt) throw new Error(name + ' failed at ' + i);
      log(name + ' yields ' + i);
      yield i;
    }
  } finally {
    log(name + ' finally');
  }
}
async function* stage(inner, name) {
  try {
    for await (const v of inner) {
      log(name + ' got ' + v);
      yield v * 10;
    }
  } catch (e) {
    log(name + ' caught ' + e.message);
    throw e;
  } finally {
    log(name + ' finally');
    await null;
    log(name + ' finally after await');
  }
}
async function run(n, failAt, breakAt) {
  try {
    for await (const v of stage(stage(source('s' + n, 10, failAt), 'a' + n), 'b' + n)) {
      log('consumer ' + n + ' got ' + v);
      if (v === breakAt) break;
    }
    log('consumer ' + n + ' after the loop');
  } catch (e) {
    log('consumer ' + n + ' caught ' + e.message);
  }
}
(async () => {
  await run(1, -1, 100);
  await run(2, 2, -1);
  ticker('t', 40);
  await run(3, -1, 100);
  await run(4, 2, -1);
  log('done');
})();
log('sync end');

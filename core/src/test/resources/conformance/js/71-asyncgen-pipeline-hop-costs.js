// Hop costs through a pipeline of async generators: source -> map1 -> filter -> map2, consumed with for
// await. Between values the pipeline runs with nothing else queued (each pull goes through every stage
// and back with no tick of its own); a ticker started from the consumer after a value shows what one pull
// costs while other jobs are queued. Inside the stages: a settled await in a middle stage, a microtask
// queued by a middle stage just before its yield (it runs before that yield completes), a pending timer in
// the source mid-pipeline, and values the filter drops.
const log = (s) => console.log(s);
function ticker(label, max) {
  let k = 0;
  queueMicrotask(function tick() { log(label + ' tick ' + (++k)); if (k < max) queueMicrotask(tick); });
}
async function* source(n) {
  for (let i = 0; i < n; i++) {
    if (i === 4) {
      await new Promise((r) => setTimeout(r, 1));
      log('source: timer fired');
    }
    log('source yields ' + i);
    yield i;
  }
  log('source returns');
}
async function* map(inner, f, name) {
  for await (const v of inner) {
    if (name === 'map1' && v === 1) log(name + ': awaited ' + (await Promise.resolve(v)));
    if (name === 'map1' && v === 5) {
      queueMicrotask(() => {
        log(name + ': microtask queued before yielding ' + f(v));
        ticker('m', 8);
      });
    }
    log(name + ' yields ' + f(v));
    yield f(v);
  }
  log(name + ' returns');
}
async function* filter(inner, p) {
  for await (const v of inner) {
    if (p(v)) {
      log('filter passes ' + v);
      yield v;
    } else {
      log('filter drops ' + v);
    }
  }
  log('filter returns');
}
(async () => {
  const pipeline = map(filter(map(source(7), (x) => x * 2, 'map1'), (x) => x % 3 !== 0), (x) => x + 1, 'map2');
  for await (const v of pipeline) {
    log('consumer got ' + v);
    if (v === 3) ticker('a', 12);
    if (v === 11) ticker('b', 30);
  }
  log('consumer done');
})();
log('sync end');

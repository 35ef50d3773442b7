// Promise.any: the first FULFILMENT wins (rejections are skipped); if every
// input rejects, it rejects with an AggregateError whose errors are in INPUT
// order (not settle order); any([]) rejects with an empty AggregateError.
const log = (s) => console.log(s);
const later = (ms, v) => new Promise((r) => setTimeout(() => { log('  settled ' + v); r(v); }, ms));
const fail = (ms, m) => new Promise((_, j) => setTimeout(() => { log('  failing ' + m); j(new Error(m)); }, ms));
const describe = (e) => e.constructor.name + ': ' + e.message + ' errors=[' + e.errors.map((x) => x.message).join(',') + ']';
Promise.any([fail(20, 'f1'), later(80, 'slow'), later(40, 'fast')]).then((v) => log('any 1: ' + v));
Promise.any([fail(60, 'a'), fail(100, 'b'), Promise.reject(new Error('c'))]).catch((e) => log('any 2: ' + describe(e)));
Promise.any([]).catch((e) => log('any([]): ' + describe(e)));
Promise.any([Promise.reject(new Error('r')), Promise.resolve('resolved')]).then((v) => log('any 4: ' + v));

// Many delays, created out of order: timers fire in expiry order
// (start + delay), FIFO among equal delays, whatever the creation order. A
// timer created later, by a callback, takes its start from the moment it is
// created: X (110ms) and Y (190ms), created at ~100ms, fire after the 200ms
// timers created at 0. (Every margin is 20ms or more, and no list holds timers
// with different start times, so a loaded machine cannot change the order.)
const log = (s) => console.log(s);
const delays = [200, 40, 1, 120, 40, 1, 200, 80];
delays.forEach((d, i) => setTimeout(() => log(`#${i} ${d}ms`), d));
setTimeout(() => {
  log('100ms: creates X (110ms, due ~210) and Y (190ms, due ~290)');
  setTimeout(() => log('X 110ms created at ~100'), 110);
  setTimeout(() => log('Y 190ms created at ~100'), 190);
}, 100);

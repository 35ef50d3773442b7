'use strict';
// The promise-based primitives the sync suite's Node counterparts measure (semaphore_uncontended.js,
// mutex_handoff.js, queue_same_loop.js): the usual async-mutex pattern and a bounded async queue, the
// same code as the research baseline (shared/bench-node/mutex.js and async_queue.js) that gave the
// issue's 79 / 107 / 134 ns figures.

// A growable power-of-two ring (FIFO) without Array.prototype.shift's O(n) copies.
class Deque {
  constructor(capacity = 16) {
    let c = 16;
    while (c < capacity) c <<= 1;
    this.buf = new Array(c);
    this.mask = c - 1;
    this.head = 0;
    this.tail = 0;
  }
  get length() {
    return (this.tail - this.head) & this.mask;
  }
  push(x) {
    this.buf[this.tail] = x;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this._grow();
  }
  shift() {
    if (this.head === this.tail) return undefined;
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return x;
  }
  _grow() {
    const old = this.buf;
    const n = old.length;
    const nb = new Array(n * 2);
    for (let i = 0; i < n; i++) nb[i] = old[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.tail = n;
    this.mask = n * 2 - 1;
  }
}

// acquire() resolves to a release function; waiters are served FIFO; a release hands the permit over.
class Semaphore {
  constructor(permits) {
    this.permits = permits;
    this.waiters = new Deque();
    this._release = () => this.release();
  }
  acquire() {
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve(this._release);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release() {
    const next = this.waiters.shift();
    if (next !== undefined) next(this._release);
    else this.permits++;
  }
}

// put() waits while the queue is full, take() while it is empty; both always return promises.
class AsyncQueue {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = new Deque(capacity);
    this.takers = new Deque();
    this.putters = new Deque(); // entries: [item, resolve]
  }
  put(item) {
    const taker = this.takers.shift();
    if (taker !== undefined) {
      taker(item);
      return Promise.resolve();
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.putters.push([item, resolve]));
  }
  take() {
    if (this.items.length > 0) {
      const item = this.items.shift();
      const p = this.putters.shift();
      if (p !== undefined) {
        this.items.push(p[0]);
        p[1]();
      }
      return Promise.resolve(item);
    }
    const p = this.putters.shift(); // only with capacity 0
    if (p !== undefined) {
      p[1]();
      return Promise.resolve(p[0]);
    }
    return new Promise((resolve) => this.takers.push(resolve));
  }
}

module.exports = { Deque, Semaphore, AsyncQueue };

/**
 * Async coordination primitives: {@link org.eventloop4j.sync.Semaphore}, {@link org.eventloop4j.sync.Mutex}
 * (with its {@link org.eventloop4j.sync.AsyncCondition}s), {@link org.eventloop4j.sync.KeyedMutex}, {@link
 * org.eventloop4j.sync.KeyedSemaphore}, {@link org.eventloop4j.sync.ReadWriteMutex} and {@link org.eventloop4j.sync.AsyncQueue}; also the engine of
 * {@link org.eventloop4j.resilience.RateLimiter}, which follows the rules below too.
 *
 * <h2>Rules common to every type of this package</h2>
 *
 * <ul>
 *   <li><b>Threads.</b> Each primitive is safe to share between loops, worker threads and plain threads.
 *       Methods that return a promise (acquire, lock, push, pop, execute, onIdle, ...) must be called on a
 *       loop thread: the promise belongs to that loop and settles on it, even when another thread grants
 *       the permit or supplies the item (the settlement is then posted to the loop). The {@code try}
 *       forms, releases, {@code offer}, {@code poll}, {@code close} and the introspection methods work on
 *       any thread, with or without a loop. Blocking forms are not offered: on a thread that may block,
 *       {@link org.eventloop4j.Promise#join()} a promise made on some loop.
 *   <li><b>Happens-before.</b> Everything a thread did before releasing permits (unlocking, pushing an
 *       item, making room, signalling a condition) happens-before the reactions of the call that receives
 *       them.
 *   <li><b>Order.</b> Waiters are served strictly first come, first served; a {@code try} form never
 *       overtakes a waiter. Serving a waiter settles its promise and never runs its code synchronously:
 *       reactions run as microtasks of the waiting loop, so handing on a permit or an item through any
 *       number of waiters never deepens the stack.
 *   <li><b>Cost.</b> With nobody waiting, the operations take no lock (one CAS on a state word) and, on the
 *       first loop that uses the primitive, allocate nothing but what they return. The exception is
 *       {@link org.eventloop4j.resilience.RateLimiter}, whose every call is one short monitor section (it reads
 *       a clock and may keep a timer, and a rate-limited call is not a hot path).
 *   <li><b>Abort.</b> A call given an {@link org.eventloop4j.AbortSignal} that is already aborted rejects
 *       with the signal's reason and changes nothing. An abort while the call waits removes exactly that
 *       waiter and rejects it with the reason. If the call was served first (possibly on another thread,
 *       before its promise settled), the abort does nothing and the call fulfils: a permit or item is never
 *       lost or duplicated in that race.
 *   <li><b>Close.</b> {@code close} rejects every waiting and later call; holders keep what they hold.
 *   <li><b>Liveness.</b> A primitive created inside a loop callback and used only by that loop behaves as
 *       in JavaScript: a waiting call keeps nothing alive. A primitive created outside any loop, or used by
 *       a second loop or thread, keeps each waiting call's (real-time) loop alive until it is settled. A
 *       {@link org.eventloop4j.resilience.RateLimiter}'s waiting queue also keeps the loop of its head alive with
 *       the timer for the next window, as a JavaScript rate limiter's {@code setTimeout} does.
 *   <li><b>Errors.</b> Bad arguments throw at once ({@link java.lang.IllegalArgumentException},
 *       {@link java.lang.NullPointerException}); misuse of state — releasing what is not held, offering to a
 *       closed queue — throws {@link java.lang.IllegalStateException} (or {@link
 *       org.eventloop4j.sync.ClosedError}) and changes nothing. On a closed primitive the {@code try}
 *       forms and {@code offer} throw {@link org.eventloop4j.sync.ClosedError}; calls that return a promise
 *       reject instead.
 * </ul>
 */
@NullMarked
package org.eventloop4j.sync;

import org.jspecify.annotations.NullMarked;

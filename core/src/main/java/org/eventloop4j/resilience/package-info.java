/**
 * Resilience patterns on the loop's clock: {@link org.eventloop4j.resilience.CircuitBreaker} (with a keyed
 * {@link org.eventloop4j.resilience.CircuitBreaker.Registry}), {@link org.eventloop4j.resilience.Retry}
 * (which waits for an open breaker's next trial call), {@link org.eventloop4j.resilience.Timeout} (a time
 * limit per call that aborts the call's signal), {@link org.eventloop4j.resilience.AdaptiveLimiter} (a
 * concurrency limit that adapts to drops and slow calls), {@link org.eventloop4j.resilience.BatchProcessor} and
 * {@link org.eventloop4j.resilience.RateLimiter} (whose threading, order, abort and close follow the rules of
 * {@link org.eventloop4j.sync}'s primitives).
 *
 * <h2>Rules for every type of this package</h2>
 *
 * <ul>
 *   <li><b>Time</b> is always an {@link org.eventloop4j.EventLoop}'s clock ({@code EventLoop.now()}) and
 *       its timers, never the wall clock directly: on a loop built with
 *       {@link org.eventloop4j.EventLoop.Builder#virtualTime()} every timeout, reset timeout, retry delay,
 *       sliding window and batch timeout runs in exact order without waiting.
 *   <li><b>Promises</b> returned by a method belong to the loop of the calling thread and settle there;
 *       methods that return one must be called on a loop's thread.
 *   <li><b>Threads</b>: a {@code CircuitBreaker}, a {@code Registry}, a {@code Retry}, a {@code Timeout},
 *       an {@code AdaptiveLimiter} and a {@code RateLimiter} are thread-safe and may be shared by many
 *       loops; a {@code BatchProcessor} belongs to one loop (calls from other loops are posted to it).
 *       Each type's documentation says which of its methods may be called from any thread.
 *   <li><b>Errors</b> are never dropped: a failed call or batch rejects the promises it concerns with the
 *       original error, unwrapped; what a batch processor's key function or weigher throws rejects the
 *       add it was called for; what a retry's predicate throws rejects its execution; what a breaker's
 *       listener or predicate, or a retry's listener, throws goes to the calling loop's uncaught-exception
 *       handler, or, on a thread without a loop, to the {@link java.lang.System.Logger} named {@code
 *       org.eventloop4j.resilience}. Bad arguments throw at once ({@link
 *       java.lang.IllegalArgumentException}, or {@link java.lang.IllegalStateException} for settings that
 *       contradict each other).
 * </ul>
 */
@NullMarked
package org.eventloop4j.resilience;

import org.jspecify.annotations.NullMarked;

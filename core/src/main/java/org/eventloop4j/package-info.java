/**
 * The event loop and Promises.
 *
 * <h2>Threads and ordering</h2>
 *
 * <p>An {@link org.eventloop4j.EventLoop} runs every callback on one thread at a time, each to completion.
 * Code that touches state only from callbacks of one loop needs no locks, exactly as in JavaScript. The
 * rules below hold for every type of this package and are not repeated in each class:
 *
 * <ul>
 *   <li><b>Loop-affine methods</b> (scheduling a timer, an immediate, a microtask or a nextTick; creating,
 *       settling or chaining a {@link org.eventloop4j.Promise}) must be called from the loop's own thread,
 *       that is from inside one of its callbacks, or — before the loop runs — from the one thread that
 *       sets it up. Any other thread gets an {@link java.lang.IllegalStateException} naming the thread.
 *   <li><b>Thread-safe methods</b> say so: {@link org.eventloop4j.EventLoop#execute(Runnable)},
 *       {@link org.eventloop4j.EventLoop#keepAlive()}, settling a promise through its resolving functions
 *       or {@link org.eventloop4j.Resolvers} (from a foreign thread the settlement is posted to the
 *       promise's loop), {@link org.eventloop4j.Promise#join()} and
 *       {@link org.eventloop4j.Promise#toCompletableFuture()}.
 *   <li><b>Happens-before:</b> everything a thread did before {@code execute(task)} happens-before
 *       {@code task} runs; everything before a foreign-thread settlement happens-before the reactions
 *       it triggers; everything the loop did before settling a promise happens-before {@code join()}
 *       returns.
 *   <li><b>Order</b> is Node.js 20's (CommonJS main script): after every callback the nextTick queue and
 *       then the microtask queue drain, repeatedly, until both are empty. Each iteration runs the phases
 *       timers → poll ({@code execute} tasks, I/O completions) → check ({@code setImmediate}) → close.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * <p>An exception thrown by a timer, immediate, nextTick, microtask or posted task is an <em>uncaught
 * exception</em>; a rejected promise that has no handler by the end of the drain in which it was rejected
 * is an <em>unhandled rejection</em>. Both go to the handlers given to
 * {@link org.eventloop4j.EventLoop.Builder}; without a handler the loop stops and
 * {@link org.eventloop4j.EventLoop#run(Runnable)} throws the error, as Node exits with it.
 */
@NullMarked
package org.eventloop4j;

import org.jspecify.annotations.NullMarked;

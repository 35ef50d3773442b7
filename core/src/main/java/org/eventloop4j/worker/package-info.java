/**
 * Parallelism: a pool of threads for CPU-heavy or blocking tasks ({@link org.eventloop4j.worker.WorkerPool}),
 * and workers — threads with event loops of their own — that talk through message ports
 * ({@link org.eventloop4j.worker.Worker}, {@link org.eventloop4j.worker.MessageChannel},
 * {@link org.eventloop4j.worker.MessagePort}) and named one-to-many channels
 * ({@link org.eventloop4j.worker.BroadcastChannel}), as Node's {@code worker_threads}.
 *
 * <h2>Threads and ordering</h2>
 *
 * <ul>
 *   <li><b>Results come home as tasks.</b> A pool task's outcome, a message, a worker's error or exit event
 *       is posted with {@link org.eventloop4j.EventLoop#execute} to the loop that asked for it (the caller
 *       of {@code execute}/{@code submit}, the port's listening loop, the worker's parent) and runs there in
 *       a poll phase, followed by a microtask drain; a loop's ports and broadcast channels are served in
 *       the order they were made, each its whole queue, as libuv serves Node's (see
 *       {@link org.eventloop4j.worker.MessagePort}). Pool outcomes that finish close together share one
 *       such task, which settles them in the order they finished (see
 *       {@link org.eventloop4j.worker.WorkerPool}). A pool task's progress reports travel the same way,
 *       each before the outcome of its task. Nothing in this package runs user callbacks on a pool or
 *       worker thread except the task or script itself.
 *   <li><b>Happens-before.</b> Everything a loop did before submitting a task or posting a message
 *       happens-before the task runs or the message is handled; everything the task or the sender did
 *       before finishing or posting happens-before the promise's reactions or the handler run, and what
 *       it did before a progress report happens-before that report's callback runs.
 *   <li><b>Liveness.</b> A task queued or running keeps its caller's loop alive; a running, referenced
 *       worker keeps its parent's loop alive; a started, referenced port and an open, referenced broadcast
 *       channel keep their loop alive. A pending
 *       promise alone keeps nothing alive, as in Node.
 *   <li><b>By reference.</b> Tasks, arguments, results and messages are handed over, not copied: share
 *       immutable values, or stop using what you handed over.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * <p>A task's exception rejects its promise with that exception (a broadcast's with the exception of its
 * one failing thread, or an {@link org.eventloop4j.AggregateError} of several); an uncaught error in a
 * worker reaches the parent's {@code onError} handler (or, without one, the parent loop's uncaught-exception
 * handling); a message handler's or progress callback's exception is an uncaught exception of the receiving
 * loop. Refusals (a full queue, a closed pool, a terminated worker) are immediate: a rejected promise or an
 * {@link IllegalStateException}.
 */
@NullMarked
package org.eventloop4j.worker;

import org.jspecify.annotations.NullMarked;

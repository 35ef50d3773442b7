/**
 * Shared memory: {@link org.eventloop4j.shared.SharedArrayBuffer}, its typed views
 * ({@link org.eventloop4j.shared.Int32Array} and the others of JavaScript) and ECMAScript's
 * {@link org.eventloop4j.shared.Atomics}; and, built on them, a lock and a condition variable that live in
 * one element of a buffer: {@link org.eventloop4j.shared.SharedMutex} and {@link
 * org.eventloop4j.shared.SharedCondition} (the shared-structs proposal's {@code Atomics.Mutex} and {@code
 * Atomics.Condition}).
 *
 * <h2>Memory model</h2>
 *
 * <p>JavaScript's, mapped onto Java's: every {@code Atomics} operation is a volatile access (sequentially
 * consistent with every other {@code Atomics} operation, on every thread); plain {@code get}/{@code set}
 * on a view are plain accesses — unordered, racy if another thread writes at the same time, like
 * JavaScript's "Unordered" accesses. Publish data written with plain writes by an {@code Atomics.store}
 * (or a {@code notify}) that the reader observes with {@code Atomics.load} (or a {@code wait} that returns
 * {@code "ok"}): the store happens-before the load that sees it. Handing a buffer to another thread
 * through a message or a pool task also orders what was written before.
 *
 * <h2>Blocking</h2>
 *
 * <p>{@code Atomics.wait} blocks only threads that run no event loop (pool tasks, plain threads); on a loop
 * thread it throws, and {@code Atomics.waitAsync} is the way to wait. See {@link org.eventloop4j.shared.Atomics}.
 *
 * <h2>Errors</h2>
 *
 * <p>ECMAScript's {@code RangeError} becomes {@link IllegalArgumentException} (sizes, offsets, lengths) or
 * {@link IndexOutOfBoundsException} (element indices); its {@code TypeError} becomes
 * {@link org.eventloop4j.TypeError} (a view of the wrong type for an atomic operation).
 */
@NullMarked
package org.eventloop4j.shared;

import org.jspecify.annotations.NullMarked;

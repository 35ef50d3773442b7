/**
 * Async coordination primitives: semaphore, mutex, read-write mutex and async queue. Each is safe to share
 * between loops and threads; a waiter's promise settles on the loop that waits.
 */
@NullMarked
package org.eventloop4j.sync;

import org.jspecify.annotations.NullMarked;

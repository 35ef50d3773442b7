/**
 * Benchmarks of the coordination primitives of {@code org.eventloop4j.sync} next to the JDK, JCTools and
 * the Disruptor; the Node.js counterparts are {@code mutex.js} and {@code async_queue.js} of the Node
 * baseline.
 */
package org.eventloop4j.bench.sync;

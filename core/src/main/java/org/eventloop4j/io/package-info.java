/**
 * Promise-returning file I/O for an {@link org.eventloop4j.EventLoop}, like Node's {@code fs} module.
 *
 * <h2>Threads and ordering</h2>
 *
 * <p>Each operation is started from a loop thread and belongs to that loop ({@link
 * org.eventloop4j.EventLoop#current()}). The work runs on the JDK's asynchronous-channel threads; its
 * completion is posted back to the loop with {@link org.eventloop4j.EventLoop#execute}, so it arrives in a
 * poll phase exactly like a Node I/O callback, followed by the usual nextTick and microtask drain. Until
 * then the operation keeps the loop alive. Nothing completes synchronously — not even a failure to open
 * the file — so the order of what a completion schedules never depends on how fast the disk was.
 *
 * <h2>Errors</h2>
 *
 * <p>Failures are reported with the JDK's own exception, unwrapped: {@link
 * java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}, {@link
 * java.nio.charset.MalformedInputException} for text that is not valid UTF-8, and so on. Only a {@code
 * null} argument ({@link NullPointerException}) and a call off a loop thread ({@link
 * IllegalStateException}) throw.
 */
@NullMarked
package org.eventloop4j.io;

import org.jspecify.annotations.NullMarked;

package org.eventloop4j;

/**
 * Thrown out of {@code Async.await} (and a generator's {@code yield}) in an async body that is still
 * suspended when its loop's run ends, so that the body's {@code finally} blocks run and its virtual thread
 * ends instead of staying parked forever. The runtime rethrows it through every frame it owns; a body that
 * catches it anyway and awaits again gets it again at once.
 */
final class Unwind extends Error {
  private static final long serialVersionUID = 1L;

  static final Unwind INSTANCE = new Unwind();

  private Unwind() {
    super("the event loop's run ended while this async body was suspended", null, false, false);
  }
}

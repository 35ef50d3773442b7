package org.eventloop4j.internal;

import static java.util.Objects.requireNonNull;

import org.eventloop4j.EventLoop;
import org.eventloop4j.stream.AsyncGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Lets the exported {@code stream} package reach implementation classes that live package-private in
 * {@code org.eventloop4j}, which registers them here when {@link EventLoop} initialises. Not exported.
 */
public final class Bridge {
  private Bridge() {}

  /** Creates generators. */
  public interface Generators {
    /** A new generator for {@code body} on the current loop. */
    <T> AsyncGenerator<T> create(AsyncGenerator.Body<T> body);
  }

  private static volatile @Nullable Generators generators;

  /** Called once by {@code org.eventloop4j}. */
  public static void register(Generators g) {
    generators = g;
  }

  /** {@link AsyncGenerator#of}. */
  public static <T> AsyncGenerator<T> newGenerator(AsyncGenerator.Body<T> body) {
    requireNonNull(body, "body");
    EventLoop.tryCurrent();
    return requireNonNull(generators, "generators").create(body);
  }
}

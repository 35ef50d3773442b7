package org.eventloop4j;

import java.util.Iterator;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * ECMA-262's CreateAsyncFromSyncIterator: each element is resolved as a promise and unwrapped, so a for
 * await over it costs two microtask turns per element, as in JavaScript. A rejected element closes the
 * source first when it is {@link AutoCloseable} (current ECMAScript; Node 20 does not close it).
 */
final class FromSyncIterator<T> implements AsyncIterator<T> {
  private final Iterator<? extends @Nullable Object> source;

  FromSyncIterator(Iterator<? extends @Nullable Object> source) {
    this.source = source;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Promise<IteratorResult<T>> next() {
    if (!source.hasNext()) {
      return Promise.<@Nullable Object>resolve((Object) null).then(v -> IteratorResult.end());
    }
    Promise<Object> element = Promise.resolve(source.next());
    return element.then(v -> IteratorResult.of((T) v), e -> {
      close();
      throw Promise.sneaky(e);
    });
  }

  @Override
  public Promise<IteratorResult<T>> returnValue(@Nullable T value) {
    close();
    return Promise.resolve(new IteratorResult<>(value, true));
  }

  private void close() {
    if (source instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw Promise.sneaky(e);
      }
    }
  }
}

package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The synchronous sources of {@link AsyncStream}: Java iterators (and streams), ranges, suppliers. */
final class SyncSources {
  private SyncSources() {}

  /** A Java iterator, with the resource to close at its end or on an early close (a Stream's). */
  static final class IteratorStage<T> extends SyncStage<T> {
    private @Nullable Iterator<? extends T> it;
    private final @Nullable AutoCloseable resource;

    IteratorStage(Iterator<? extends T> it, @Nullable AutoCloseable resource) {
      this.it = requireNonNull(it, "iterator() returned null");
      this.resource = resource;
    }

    @Override
    Object poll() {
      Iterator<? extends T> i = it;
      if (i == null) {
        return END;
      }
      try {
        if (i.hasNext()) {
          return requireNonNull(i.next(), Steps.NULL_ELEMENT);
        }
      } catch (Throwable t) {
        closeAfter(t);
        throw t;
      }
      close();
      return END;
    }

    private void closeAfter(Throwable t) {
      try {
        close();
      } catch (Throwable e) {
        Steps.suppress(t, e);
      }
    }

    @Override
    void close() {
      if (it == null) {
        return;
      }
      it = null;
      if (resource != null) {
        try {
          resource.close();
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("closing the source failed", e);
        }
      }
    }
  }

  /** {@code start, start + 1, …, end - 1}. */
  static final class RangeStage extends SyncStage<Integer> {
    private int next;
    private final int end;

    RangeStage(int start, int end) {
      this.next = start;
      this.end = end;
    }

    @Override
    Object poll() {
      int i = next;
      if (i >= end) {
        return END;
      }
      next = i + 1;
      return i;
    }

    /** A primitive loop: no END sentinel compared with the boxed element, so the JIT may drop the box. */
    @Override
    boolean forEachRemaining(java.util.function.Predicate<Object> sink) {
      int i = next;
      int e = end;
      try {
        while (i < e) {
          if (!sink.test(i++)) {
            next = i;
            return false;
          }
        }
      } catch (Throwable t) {
        next = e;
        throw t;
      }
      next = e;
      return true;
    }

    /**
     * {@link #forEachRemaining} straight into a fused operator chain (no Predicate frame in between, so C2
     * inlines the whole chain into this loop): true at the end, false once an operator or the sink stopped.
     */
    boolean pushTo(Fused.Op head) {
      int i = next;
      int e = end;
      try {
        while (i < e) {
          if (!head.push(i++)) {
            next = i;
            return false;
          }
        }
      } catch (Throwable t) {
        next = e;
        throw t;
      }
      next = e;
      return true;
    }

    @Override
    void close() {
      next = end;
    }
  }

  /** An endless source calling a supplier. */
  static final class GenerateStage<T> extends SyncStage<T> {
    private final Supplier<? extends T> supplier;
    private boolean closed;

    GenerateStage(Supplier<? extends T> supplier) {
      this.supplier = supplier;
    }

    @Override
    Object poll() {
      if (closed) {
        return END;
      }
      try {
        return requireNonNull(supplier.get(), "generate supplier returned null");
      } catch (Throwable t) {
        closed = true;
        throw t;
      }
    }

    @Override
    void close() {
      closed = true;
    }
  }
}

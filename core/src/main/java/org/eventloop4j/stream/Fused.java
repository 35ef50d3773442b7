package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * Synchronous operators ({@code map}, {@code filter}, {@code peek}, {@code take}, {@code drop}, {@code
 * takeWhile}, {@code dropWhile}) fused into one stage, the way {@code java.util.stream} fuses a pipeline.
 */
final class Fused {
  /*
   * Overview. A stream's chain of synchronous operators is declared as an immutable linked list of Spec
   * nodes (newest last, linked backwards by `prev`), shared by every iteration. Opening the stream builds,
   * per iteration, one Op per Spec, each pushing into the next, ending in the State's output slot: pushing
   * one upstream element yields zero or one output element, and may set `stop` (take reached its count,
   * takeWhile's predicate failed). The stage over the upstream iterator is then
   *
   *   SyncFused  — upstream is a SyncStage: poll() loops poll-push until an output, the end, or stop;
   *                forEachRemaining(sink) runs the same loop with the sink as the last operator (push
   *                mode: the terminals' fast path, no output slot; the sink answering false sets `stop`
   *                and `sinkStopped`, and leaves the stage open for the terminal to close);
   *   AsyncFused — otherwise: one reaction per upstream step, re-pulling after a dropped element.
   *
   * `stop` is checked before each pull, so take(n) closes the upstream at the pull after its n-th element
   * (TC39's Iterator.prototype.take), and takeWhile at once. An operator that throws closes the upstream
   * first; the error is then thrown (sync) or rejects the request (async), the close's own failure attached
   * as suppressed.
   *
   * Performance: the push mode exists so that C2 inlines source loop, operators and terminal into one
   * compilation unit and drops the boxes of intermediate values (StreamPipeline benchmark, -prof gc: 0 B
   * per item). map and filter have a second, identical class for the last position (TailMapOp,
   * TailFilterOp): C2 inlines by the type profile of each call site, which is kept per method, not per
   * position, so with one MapOp class the first map's `down.push` and `f.apply` would also list the last
   * map's Emit and function; C2 then follows map → filter → map → filter … by those profiles, with type
   * checks for both, until its recursive-inlining limit (MaxRecursiveInlineLevel) stops it mid-chain and
   * the boxes stay. That duplication is deliberate and is the least that works: a shared static helper or
   * a kind-switch in one class has the same one profile, and an array of ops called from one loop is a
   * megamorphic call site; Reactor does the same (its Conditional subscriber variants). A chain with the
   * same operator at three positions or more may still stop inlining, as Reactor's may. The ops keep their
   * function and their downstream in their own fields and the Emit its sink, so each hop is one load.
   * Tests: AsyncStreamOperatorsTest, AsyncStreamErrorsTest.
   */
  static final Object NONE = new Object();

  private Fused() {}

  /** Per-iteration state shared by a fused stage and its operators. */
  static final class State {
    Object out = NONE;
    boolean stop;
    /** The sink answered false (push mode). */
    boolean sinkStopped;
  }

  /** One operator of one iteration; the last one of a chain is an {@link Emit}. */
  abstract static class Op {
    final State st;
    final Op down;

    Op(State st, Op down) {
      this.st = st;
      this.down = down;
    }

    /** For {@link Emit}, which has no downstream. */
    @SuppressWarnings("NullAway")
    Op(State st) {
      this.st = st;
      this.down = null;
    }

    /**
     * Pushes one element through this operator and those after it. Returns false iff that set
     * {@code st.stop} (this element's push ended the iteration), so that a push loop needs no load of the
     * shared flag per element.
     */
    abstract boolean push(Object v);
  }

  /** The end of a chain: the output slot (poll mode) or the sink (push mode, see SyncFused). */
  static final class Emit extends Op {
    /** In push mode (SyncFused.forEachRemaining), where outputs go instead of `st.out`. */
    java.util.function.@Nullable Predicate<Object> sink;

    Emit(State st) {
      super(st);
    }

    @Override
    boolean push(Object v) {
      java.util.function.Predicate<Object> s = sink;
      if (s == null) {
        st.out = v;
      } else if (!s.test(v)) {
        st.stop = true;
        st.sinkStopped = true;
        return false;
      }
      return true;
    }
  }

  /** One declared operator; immutable and thread-safe. */
  abstract static class Spec {
    final @Nullable Spec prev;

    Spec(@Nullable Spec prev) {
      this.prev = prev;
    }

    abstract Op create(State st, Op down);
  }

  /** The plan of a stream that ends in fused operators: an upstream and the newest operator. */
  static final class Plan<T> implements AsyncIterable<T> {
    final AsyncIterable<?> upstream;
    final Spec last;

    Plan(AsyncIterable<?> upstream, Spec last) {
      this.upstream = upstream;
      this.last = last;
    }

    @Override
    public AsyncIterator<T> asyncIterator() {
      AsyncIterator<?> up = requireNonNull(upstream.asyncIterator(), "asyncIterator() returned null");
      State st = new State();
      Emit tail = new Emit(st);
      Op h = tail;
      for (Spec s = last; s != null; s = s.prev) {
        h = s.create(st, h);
      }
      return up instanceof SyncStage<?> sync ? new SyncFused<>(sync, h, tail, st) : new AsyncFused<>(up, h, st);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The two stages

  /** Fused operators over a synchronous upstream: itself synchronous. */
  static final class SyncFused<T> extends SyncStage<T> implements java.util.function.Predicate<Object> {
    private final SyncStage<?> up;
    private final Op head;
    private final Emit tail;
    private final State st;
    private boolean finished;

    SyncFused(SyncStage<?> up, Op head, Emit tail, State st) {
      this.up = up;
      this.head = head;
      this.tail = tail;
      this.st = st;
    }

    @Override
    Object poll() {
      if (finished) {
        return END;
      }
      State s = st;
      for (;;) {
        if (s.stop) {
          close();
          return END;
        }
        Object v = up.poll();
        if (v == END) {
          finished = true;
          return END;
        }
        push(v);
        Object o = s.out;
        if (o != NONE) {
          s.out = NONE;
          return o;
        }
      }
    }

    /**
     * Push mode: the upstream pushes into this stage ({@link #test}), which pushes through the operators
     * into {@code sink} — one inlinable chain from the source's loop to the terminal, so the JIT can drop
     * the boxes of intermediate values.
     */
    @Override
    boolean forEachRemaining(java.util.function.Predicate<Object> sink) {
      State s = st;
      if (finished) {
        return true;
      }
      if (s.stop) {
        close();
        return true;
      }
      tail.sink = sink;
      try {
        boolean ended;
        try {
          ended = up instanceof SyncSources.RangeStage r ? r.pushTo(head) : up.forEachRemaining(this);
        } catch (Throwable t) {
          finished = true; // the upstream released itself
          throw t;
        }
        if (ended) {
          finished = true;
          return true;
        }
        if (s.sinkStopped) {
          return false;
        }
        close();
        return true;
      } finally {
        tail.sink = null;
      }
    }

    /** One upstream element in push mode: through the operators; false once they or the sink stopped. */
    @Override
    public boolean test(Object v) {
      return head.push(v);
    }

    private void push(Object v) {
      try {
        head.push(v);
      } catch (Throwable t) {
        finished = true;
        try {
          up.close();
        } catch (Throwable e) {
          Steps.suppress(t, e);
        }
        throw t;
      }
    }

    @Override
    void close() {
      if (!finished) {
        finished = true;
        up.close();
      }
    }
  }

  /** Fused operators over an asynchronous upstream: one reaction per upstream step. */
  static final class AsyncFused<T> extends AsyncStage<T> {
    private final AsyncIterator<?> up;
    private final Op head;
    private final State st;
    private final Function<IteratorResult<?>, @Nullable Object> onStep = this::onStep;
    private final Function<Throwable, @Nullable Object> onError = this::onError;
    private boolean pulling;

    AsyncFused(AsyncIterator<?> up, Op head, State st) {
      this.up = up;
      this.head = head;
      this.st = st;
    }

    @Override
    boolean progress() {
      if (pulling) {
        return false;
      }
      if (st.stop) {
        closeUpstreamThenEnd();
        return true;
      }
      Promise<? extends IteratorResult<?>> p;
      try {
        p = Steps.next(up);
      } catch (Throwable t) {
        fail(t);
        return true;
      }
      pulling = true;
      p.then(onStep, onError);
      return false;
    }

    private void closeUpstreamThenEnd() {
      terminate(Steps.close(up), null);
    }

    private @Nullable Object onStep(IteratorResult<?> r) {
      pulling = false;
      if (isFinished()) {
        return null;
      }
      Object v;
      try {
        if (Steps.done(r)) {
          end();
          return null;
        }
        v = Steps.value(r);
      } catch (Throwable t) {
        failClosing(t);
        return null;
      }
      try {
        head.push(v);
      } catch (Throwable t) {
        failClosing(t);
        return null;
      }
      Object o = st.out;
      if (o != NONE) {
        st.out = NONE;
        emitCast(o);
      }
      pump();
      return null;
    }

    @SuppressWarnings("unchecked")
    private void emitCast(Object o) {
      emit((T) o);
    }

    private void failClosing(Throwable t) {
      terminate(Steps.close(up), t);
    }

    private @Nullable Object onError(Throwable e) {
      pulling = false;
      if (!isFinished()) {
        fail(e);
      }
      return null;
    }

    @Override
    Promise<?> onClose() {
      return Steps.close(up);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The operators

  static final class MapSpec extends Spec {
    private final Function<Object, ?> f;

    @SuppressWarnings("unchecked")
    MapSpec(@Nullable Spec prev, Function<?, ?> f) {
      super(prev);
      this.f = (Function<Object, ?>) f;
    }

    @Override
    Op create(State st, Op down) {
      return down instanceof Emit ? new TailMapOp(st, down, f) : new MapOp(st, down, f);
    }
  }

  // MapOp/TailMapOp and FilterOp/TailFilterOp are the same code twice on purpose: see the overview.

  static final class MapOp extends Op {
    private final Function<Object, ?> f;

    MapOp(State st, Op down, Function<Object, ?> f) {
      super(st, down);
      this.f = f;
    }

    @Override
    boolean push(Object v) {
      return down.push(requireNonNull(f.apply(v), "map function returned null"));
    }
  }

  /** {@link MapOp} before the Emit (see the overview). */
  static final class TailMapOp extends Op {
    private final Function<Object, ?> f;

    TailMapOp(State st, Op down, Function<Object, ?> f) {
      super(st, down);
      this.f = f;
    }

    @Override
    boolean push(Object v) {
      return down.push(requireNonNull(f.apply(v), "map function returned null"));
    }
  }

  static final class FilterSpec extends Spec {
    private final Predicate<Object> p;

    @SuppressWarnings("unchecked")
    FilterSpec(@Nullable Spec prev, Predicate<?> p) {
      super(prev);
      this.p = (Predicate<Object>) p;
    }

    @Override
    Op create(State st, Op down) {
      return down instanceof Emit ? new TailFilterOp(st, down, p) : new FilterOp(st, down, p);
    }
  }

  static final class FilterOp extends Op {
    private final Predicate<Object> p;

    FilterOp(State st, Op down, Predicate<Object> p) {
      super(st, down);
      this.p = p;
    }

    @Override
    boolean push(Object v) {
      return !p.test(v) || down.push(v);
    }
  }

  /** {@link FilterOp} before the Emit (see the overview). */
  static final class TailFilterOp extends Op {
    private final Predicate<Object> p;

    TailFilterOp(State st, Op down, Predicate<Object> p) {
      super(st, down);
      this.p = p;
    }

    @Override
    boolean push(Object v) {
      return !p.test(v) || down.push(v);
    }
  }

  static final class PeekSpec extends Spec {
    private final Consumer<Object> c;

    @SuppressWarnings("unchecked")
    PeekSpec(@Nullable Spec prev, Consumer<?> c) {
      super(prev);
      this.c = (Consumer<Object>) c;
    }

    @Override
    Op create(State st, Op down) {
      return new Op(st, down) {
        @Override
        boolean push(Object v) {
          c.accept(v);
          return down.push(v);
        }
      };
    }
  }

  static final class TakeSpec extends Spec {
    private final long n;

    TakeSpec(@Nullable Spec prev, long n) {
      super(prev);
      this.n = n;
    }

    @Override
    Op create(State st, Op down) {
      if (n == 0) {
        st.stop = true;
      }
      return new Op(st, down) {
        private long remaining = n;

        @Override
        boolean push(Object v) {
          if (remaining == 0) {
            st.stop = true;
            return false;
          }
          if (--remaining == 0) {
            st.stop = true;
            down.push(v);
            return false;
          }
          return down.push(v);
        }
      };
    }
  }

  static final class DropSpec extends Spec {
    private final long n;

    DropSpec(@Nullable Spec prev, long n) {
      super(prev);
      this.n = n;
    }

    @Override
    Op create(State st, Op down) {
      return new Op(st, down) {
        private long remaining = n;

        @Override
        boolean push(Object v) {
          if (remaining > 0) {
            remaining--;
            return true;
          }
          return down.push(v);
        }
      };
    }
  }

  static final class TakeWhileSpec extends Spec {
    private final Predicate<Object> p;

    @SuppressWarnings("unchecked")
    TakeWhileSpec(@Nullable Spec prev, Predicate<?> p) {
      super(prev);
      this.p = (Predicate<Object>) p;
    }

    @Override
    Op create(State st, Op down) {
      return new Op(st, down) {
        @Override
        boolean push(Object v) {
          if (p.test(v)) {
            return down.push(v);
          }
          st.stop = true;
          return false;
        }
      };
    }
  }

  static final class DropWhileSpec extends Spec {
    private final Predicate<Object> p;

    @SuppressWarnings("unchecked")
    DropWhileSpec(@Nullable Spec prev, Predicate<?> p) {
      super(prev);
      this.p = (Predicate<Object>) p;
    }

    @Override
    Op create(State st, Op down) {
      return new Op(st, down) {
        private boolean dropping = true;

        @Override
        boolean push(Object v) {
          if (dropping && p.test(v)) {
            return true;
          }
          dropping = false;
          return down.push(v);
        }
      };
    }
  }
}

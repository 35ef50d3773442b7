package org.eventloop4j.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eventloop4j.AggregateError;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Thenable;
import org.eventloop4j.fuzz.Ast.*;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * Runs an {@link Ast.Program} on eventloop4j's public API, on a virtual-time loop, and returns the lines it
 * printed: the Java counterpart of {@link JsEmitter}'s script, construct for construct ({@code then(v =>
 * promise)} is {@code thenCompose}, {@code async function} is {@code Async.async}, {@code for await} is a
 * try-with-resources over {@code Async.forAwait}, and so on). Node's {@code unhandledRejection} and {@code
 * rejectionHandled} listeners are the loop's {@code onUnhandledRejection} / {@code onRejectionHandled}.
 *
 * <p>JavaScript never runs the {@code finally} of an async body that stays suspended forever; eventloop4j
 * unwinds such bodies when the run ends, so the interpreter's {@code try} skips its {@code finally} for that
 * internal unwinding error.
 */
final class Interpreter {
  /** JavaScript's {@code new Error(message)}. */
  static final class JsErr extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JsErr(String message) {
      super(message, null, false, false);
    }
  }

  private final Program program;
  private final EventLoop loop;
  private final List<String> out;
  private final List<Promise<Object>> deferred = new ArrayList<>();
  private final List<Consumer<Object>> resolvers = new ArrayList<>();
  private final List<Consumer<Throwable>> rejecters = new ArrayList<>();

  private Interpreter(Program program, EventLoop loop, List<String> out) {
    this.program = program;
    this.loop = loop;
    this.out = out;
  }

  /** Runs {@code p} and returns what it printed; a run that throws or hangs ends with a {@code !!} line. */
  static List<String> run(Program p, long timeoutSeconds) {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + p.seed());
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?> f = exec.submit(() -> runOnLoop(p, out));
      f.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      out.add("!! timeout after " + timeoutSeconds + " s");
    } catch (Exception e) {
      out.add("!! " + e);
    } finally {
      exec.shutdownNow();
    }
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  private static void runOnLoop(Program p, List<String> out) {
    try (EventLoop loop = EventLoop.builder()
        .virtualTime()
        .onUnhandledRejection((e, promise) -> out.add("unhandledRejection " + fmt(e)))
        .onRejectionHandled(promise -> out.add("rejectionHandled"))
        .build()) {
      Interpreter in = new Interpreter(p, loop, out);
      loop.run(in::main);
    } catch (RuntimeException | Error e) {
      out.add("!! java threw " + e);
    }
  }

  private void main() {
    for (Deferred d : program.deferreds()) {
      if (d.id() % 2 == 1 && d.executor().stream().noneMatch(s -> s instanceof Throw)) {
        // the same promise through the other constructor: withResolvers, then the executor's statements
        Resolvers<Object> r = Promise.withResolvers();
        deferred.add(r.promise());
        resolvers.add(r::resolve);
        rejecters.add(r::reject);
        exec(d.executor(), null);
        continue;
      }
      deferred.add(Promise.create((res, rej) -> {
        resolvers.add(res);
        rejecters.add(rej);
        exec(d.executor(), null);
      }));
    }
    exec(program.main(), null);
  }

  private void log(String line) {
    out.add(line);
  }

  // ------------------------------------------------------------------------------------------------
  // Statements

  private void exec(List<Stmt> body, AsyncGenerator.@Nullable Yielder<Object> y) {
    for (Stmt s : body) {
      stmt(s, y);
    }
  }

  private void stmt(Stmt s, AsyncGenerator.@Nullable Yielder<Object> y) {
    switch (s) {
      case Log l -> log(l.label());
      case NextTick t -> loop.nextTick(() -> exec(t.body(), null));
      case Microtask m -> loop.queueMicrotask(() -> exec(m.body(), null));
      case Timeout t -> loop.setTimeout(() -> exec(t.body(), null), t.delay());
      case Immediate i -> loop.setImmediate(() -> exec(i.body(), null));
      case Expr e -> eval(e.p());
      case Settle st -> settle(st);
      case Throw t -> throw new JsErr(t.label());
      case Await a -> {
        Object v = await(a.operand());
        log(a.label() + " " + fmt(v));
      }
      case Try t -> execTry(t, y);
      case Ast.ForAwait f -> forAwait(f);
      case Yield yi -> {
        if (y == null) {
          throw new IllegalStateException("yield outside a generator");
        }
        y.yield(operand(yi.operand()));
        log(yi.label());
      }
      case YieldStar ys -> {
        if (y == null) {
          throw new IllegalStateException("yield* outside a generator");
        }
        y.yieldAll(gen(ys.gen()));
        log(ys.label());
      }
      case Drive d -> drive(d);
    }
  }

  private void settle(Settle s) {
    Consumer<Object> res = resolvers.get(s.deferred());
    switch (s.arg()) {
      case SettleValue v -> res.accept(v.value());
      case SettleReject r -> rejecters.get(s.deferred()).accept(new JsErr(r.label()));
      case SettlePromise p -> res.accept(eval(p.p()));
      case SettleThenable t -> res.accept(thenable(t.thenable()));
    }
  }

  private void execTry(Try t, AsyncGenerator.@Nullable Yielder<Object> y) {
    Throwable pending = null;
    try {
      exec(t.body(), y);
    } catch (Throwable e) {
      if (isUnwind(e)) {
        throw e;
      }
      if (t.catchLabel() != null && !isGeneratorReturn(e)) {
        try {
          log(t.catchLabel() + " " + fmt(e));
          exec(t.handler() == null ? List.of() : t.handler(), y);
        } catch (Throwable e2) {
          if (isUnwind(e2)) {
            throw e2;
          }
          pending = e2;
        }
      } else {
        pending = e;
      }
    }
    if (t.fin() != null) {
      exec(t.fin(), y);
    }
    if (pending != null) {
      throw sneaky(pending);
    }
  }

  private static boolean isUnwind(Throwable t) {
    return t.getClass().getName().equals("org.eventloop4j.Unwind");
  }

  private static boolean isGeneratorReturn(Throwable t) {
    return t.getClass().getName().equals("org.eventloop4j.GeneratorReturn");
  }

  private void forAwait(Ast.ForAwait f) {
    org.eventloop4j.ForAwait<Object> values = switch (f.source()) {
      case GenSource g -> Async.forAwait(gen(g.gen()));
      case ArraySource a -> {
        List<@Nullable Object> elements = new ArrayList<>();
        for (Operand o : a.elements()) {
          elements.add(operand(o));
        }
        yield Async.forAwait(elements);
      }
    };
    try (values) {
      int n = 0;
      for (Object v : values) {
        log(f.label() + " " + fmt(v));
        exec(f.body(), null);
        if (++n == f.breakAfter()) {
          break;
        }
      }
    }
  }

  private void drive(Drive d) {
    AsyncGenerator<Object> it = gen(d.gen());
    for (GenOp op : d.ops()) {
      Promise<IteratorResult<Object>> p = switch (op.kind()) {
        case NEXT -> it.next();
        case RETURN -> it.returnValue(op.promise() != null ? eval(op.promise()) : op.arg());
        case THROW -> it.throwError(new JsErr(op.arg()));
      };
      p.then(r -> {
        log(op.label() + " " + fmt(r));
        return null;
      }, e -> {
        log(op.label() + " rej " + fmt(e));
        return null;
      });
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Functions and generators

  private Callable<@Nullable Object> body(int fn) {
    Fn f = program.fns().get(fn);
    return () -> {
      exec(f.body(), null);
      return ret(f.ret());
    };
  }

  private Promise<Object> call(int fn) {
    return Async.<Object>async(body(fn));
  }

  private AsyncGenerator<Object> gen(int g) {
    Gen def = program.gens().get(g);
    return AsyncGenerator.of(y -> exec(def.body(), y));
  }

  private @Nullable Object ret(Ret r) {
    return switch (r) {
      case RetNothing n -> null;
      case RetValue v -> v.value();
      case RetThrow t -> throw new JsErr(t.label());
      case RetPromise p -> eval(p.p());
      case RetThenable t -> thenable(t.thenable());
      case RetAwait a -> Async.await(eval(a.p()));
    };
  }

  private @Nullable Object await(Operand o) {
    return switch (o) {
      case OpValue v -> Async.await((Object) v.value());
      case OpPromise p -> Async.await(eval(p.p()));
      case OpThenable t -> Async.await(thenable(t.thenable()));
      case OpCall c -> c.fused() ? Async.awaitCall(body(c.fn())) : Async.await(call(c.fn()));
    };
  }

  /** An operand as a value (yield, array elements). */
  private @Nullable Object operand(Operand o) {
    return switch (o) {
      case OpValue v -> v.value();
      case OpPromise p -> eval(p.p());
      case OpThenable t -> thenable(t.thenable());
      case OpCall c -> call(c.fn());
    };
  }

  private Thenable<Object> thenable(Ast.Thenable t) {
    return (res, rej) -> {
      log(t.label());
      if (t.rejects()) {
        rej.accept(new JsErr(t.label()));
      } else {
        res.accept(t.label());
      }
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Promise expressions

  @SuppressWarnings("unchecked")
  private Promise<Object> eval(PExpr p) {
    return switch (p) {
      case Resolved r -> Promise.resolve((Object) r.value());
      case Rejected r -> Promise.reject(new JsErr(r.label()));
      case OfThenable t -> Promise.resolve(thenable(t.thenable()));
      case DeferredRef d -> deferred.get(d.id());
      case Call c -> call(c.fn());
      case Combine c -> {
        List<Promise<Object>> inputs = new ArrayList<>();
        for (PExpr in : c.inputs()) {
          inputs.add(eval(in));
        }
        Promise<?> combined = switch (c.kind()) {
          case ALL -> Promise.all(inputs);
          case ALL_SETTLED -> Promise.allSettled(inputs);
          case RACE -> Promise.race(inputs);
          case ANY -> Promise.any(inputs);
        };
        yield (Promise<Object>) combined;
      }
      case Chain c -> {
        Promise<Object> cur = eval(c.base());
        for (Link l : c.links()) {
          cur = link(cur, l);
        }
        yield cur;
      }
    };
  }

  private Promise<Object> link(Promise<Object> p, Link l) {
    return switch (l) {
      case Then t when t.onRejected() != null -> p.then(v -> handle(t.onFulfilled(), v), e -> handle(t.onRejected(), e));
      case Then t when t.onFulfilled().ret() instanceof RetPromise -> p.thenCompose(v -> compose(t.onFulfilled(), v));
      case Then t when t.onFulfilled().ret() instanceof RetNothing && t.onFulfilled().label().hashCode() % 2 == 0 ->
          widen(p.thenAccept(v -> handle(t.onFulfilled(), v))); // the other reaction class, same semantics
      case Then t -> p.then(v -> handle(t.onFulfilled(), v));
      case Catch c when c.handler().ret() instanceof RetPromise -> p.catchCompose(e -> compose(c.handler(), e));
      case Catch c -> p.catchError(e -> handle(c.handler(), e));
      case Finally f when f.ret() == null -> p.andFinally(() -> {
        log(f.label());
        exec(f.body(), null);
      });
      case Finally f -> p.andFinallyCompose(() -> {
        log(f.label());
        exec(f.body(), null);
        return switch (f.ret()) {
          case RetThrow t -> throw new JsErr(t.label());
          case RetPromise rp -> eval(rp.p());
          case RetThenable rt -> Promise.resolve(thenable(rt.thenable()));
          default -> throw new IllegalStateException("finally returns " + f.ret());
        };
      });
    };
  }

  @SuppressWarnings("unchecked")
  private static Promise<Object> widen(Promise<?> p) {
    return (Promise<Object>) p;
  }

  private @Nullable Object handle(Handler h, @Nullable Object v) {
    log(h.label() + " " + fmt(v));
    exec(h.body(), null);
    return switch (h.ret()) {
      case RetNothing n -> null;
      case RetValue rv -> rv.value();
      case RetThrow t -> throw new JsErr(t.label());
      default -> throw new IllegalStateException("a value handler returns " + h.ret());
    };
  }

  private Promise<Object> compose(Handler h, @Nullable Object v) {
    log(h.label() + " " + fmt(v));
    exec(h.body(), null);
    return eval(((RetPromise) h.ret()).p());
  }

  // ------------------------------------------------------------------------------------------------
  // Formatting: the prelude's fmt

  static String fmt(@Nullable Object v) {
    return switch (v) {
      case null -> "undefined";
      case String s -> s;
      case List<?> list -> {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
          b.append(i == 0 ? "" : ",").append(fmt(list.get(i)));
        }
        yield b.append(']').toString();
      }
      case AggregateError a -> {
        StringBuilder b = new StringBuilder("AGG[");
        for (int i = 0; i < a.errors().size(); i++) {
          b.append(i == 0 ? "" : ",").append(fmt(a.errors().get(i)));
        }
        yield b.append(']').toString();
      }
      case Throwable t -> "E:" + t.getMessage();
      case Promise.Settled.Fulfilled<?> f -> "ok:" + fmt(f.value());
      case Promise.Settled.Rejected<?> r -> "no:" + fmt(r.reason());
      case IteratorResult<?> r -> "{" + fmt(r.value()) + "," + r.done() + "}";
      default -> String.valueOf(v);
    };
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}

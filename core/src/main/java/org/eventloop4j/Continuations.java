package org.eventloop4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * The opt-in accelerator of async bodies: the JDK's internal one-shot delimited continuations
 * ({@code jdk.internal.vm.Continuation}, the mechanism under virtual threads), reached through method
 * handles so that nothing is needed at compile time and nothing changes when it is absent.
 *
 * <p>On when the JVM runs with {@code -Deventloop4j.continuations=true} <em>and</em> {@code --add-exports
 * java.base/jdk.internal.vm=org.eventloop4j.core} (class path: {@code =ALL-UNNAMED}); with the property set
 * but the package not exported, a warning is logged once and bodies use strands (virtual threads) as by
 * default. Decided once per JVM, at class initialisation.
 */
final class Continuations {
  /*
   * Overview. A body runs inside a Continuation mounted on the thread that holds its loop (a driver
   * strand); Await yields it back to whoever mounted it — the synchronous caller or the resumption job —
   * and the resumption job mounts it again. No thread switch at all, so an await that suspends costs a
   * freeze and a thaw of the body's frames (~100 ns) instead of two strand hand-offs. Nesting works (a
   * body calling async() mounts the callee inside its own continuation, and the callee's yield returns to
   * the caller's frames), a continuation may be mounted by a different strand than the one it left
   * (a later run's driver), and blocking inside a mounted body parks the driver's virtual thread as a
   * whole. Since JDK 24 a held monitor does not pin; a native frame (class initialiser, JNI) does: yield
   * then throws, which we turn into a clear error (see Coroutine). Correctness never depends on this class:
   * Coroutine's strand mechanism is observationally the same, as the whole core suite run in both modes
   * shows (core/pom.xml's `continuations` execution; ContinuationModeTest for the edges).
   */
  private static final System.Logger LOG = System.getLogger(Continuations.class.getName());
  static final String PROPERTY = "eventloop4j.continuations";

  /** Whether bodies run as continuations (a constant the JIT folds). */
  static final boolean ENABLED;

  private static final @Nullable MethodHandle NEW;
  private static final @Nullable MethodHandle RUN;
  private static final @Nullable MethodHandle YIELD;

  static {
    MethodHandle[] handles = Boolean.getBoolean(PROPERTY) ? lookUp() : null;
    ENABLED = handles != null;
    NEW = handles == null ? null : handles[0];
    RUN = handles == null ? null : handles[1];
    YIELD = handles == null ? null : handles[2];
  }

  private Continuations() {}

  private static MethodHandle @Nullable [] lookUp() {
    try {
      Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
      Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
      if (!cont.getModule().isExported("jdk.internal.vm", Continuations.class.getModule())) {
        warn("java.base does not export jdk.internal.vm to " + Continuations.class.getModule());
        return null;
      }
      MethodHandles.Lookup l = MethodHandles.lookup();
      Object theScope = l.findConstructor(scope, MethodType.methodType(void.class, String.class)).invoke("eventloop4j");
      MethodHandle create = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class));
      MethodHandle yield = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope));
      return new MethodHandle[] {
        MethodHandles.insertArguments(create, 0, theScope).asType(MethodType.methodType(Object.class, Runnable.class)),
        l.findVirtual(cont, "run", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class)),
        MethodHandles.insertArguments(yield, 0, theScope),
      };
    } catch (Throwable t) {
      warn(t.toString());
      return null;
    }
  }

  private static void warn(String why) {
    LOG.log(System.Logger.Level.WARNING, "-D" + PROPERTY + "=true ignored (" + why + "): async bodies run on "
        + "virtual-thread strands; add --add-exports java.base/jdk.internal.vm=org.eventloop4j.core "
        + "(or =ALL-UNNAMED on the class path) to use continuations");
  }

  /** A new, not yet started continuation that runs {@code body}. */
  static Object create(Runnable body) {
    try {
      return (Object) requireHandle(NEW).invokeExact(body);
    } catch (Throwable t) {
      throw Promise.sneaky(t);
    }
  }

  /** Mounts {@code continuation} on the calling thread until it yields or ends. */
  static void run(Object continuation) {
    try {
      requireHandle(RUN).invokeExact(continuation);
    } catch (Throwable t) {
      throw Promise.sneaky(t);
    }
  }

  /**
   * Yields the innermost mounted continuation back to whoever mounted it.
   *
   * @throws PinnedException when a native frame (a class initialiser, JNI) pins it
   */
  static void yieldMounted() {
    boolean yielded;
    try {
      yielded = (boolean) requireHandle(YIELD).invokeExact();
    } catch (IllegalStateException pinned) {
      throw new PinnedException(pinned.getMessage());
    } catch (Throwable t) {
      throw Promise.sneaky(t);
    }
    if (!yielded) {
      throw new PinnedException("yield refused");
    }
  }

  private static MethodHandle requireHandle(@Nullable MethodHandle h) {
    if (h == null) {
      throw new IllegalStateException("continuations are not enabled (-D" + PROPERTY + "=true)");
    }
    return h;
  }

  /** A yield refused because the body's stack holds a native frame. */
  static final class PinnedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PinnedException(@Nullable String reason) {
      super(reason, null, false, false);
    }
  }
}

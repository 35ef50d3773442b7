package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The runtime of one async body or generator body: its strand, how its current segment was entered, and
 * the five operations the design is built on — enter synchronously, resume from a job, suspend at an
 * await, suspend at a yield, finish.
 */
abstract class Coroutine implements AsyncLocal.Holder {
  /*
   * Overview — design "B+" of shared/research/await-prototypes.md, with the settled-await fast path.
   *
   * A body runs on its own virtual thread (its strand) but only while it holds the loop, so exactly one
   * of the loop and its bodies runs at any moment. A *segment* is the stretch of the body between two
   * suspensions. It is entered in one of two ways:
   *
   *  - synchronously (enterSync): the first segment of async(body), or a generator resumed by next().
   *    The calling strand parks until the segment ends, and the segment's end hands the loop back to it
   *    (SEGMENT_ENDED). A first segment needs its own stack: running it on the caller's would leave the
   *    caller's remaining code stuck under the body (the prototype study's "1 3 2" counter-example).
   *  - from a job (enterFromJob): the body's ResumeReaction, a microtask, was dequeued by some strand. A
   *    driver strand hands the loop over and ends (its frames only check `owner` on the way out). A body
   *    strand that was driving the loop inside its own await hands over and parks inside the job,
   *    recorded as `enteredBy`; it is woken either when this segment ends (SEGMENT_ENDED: the job
   *    returns and it drives on) or for its own resumption (RESUME: it leaves the job, and enteredBy is
   *    cleared).
   *
   * At an await in a resumed segment the body does not hand the loop back: it runs the loop itself, on
   * top of its own frames (nestedDrive), until the loop dequeues its own ResumeReaction — then the job
   * just flags exitNested and the await returns with zero thread switches — or another body's, which it
   * enters as above. At the end of a resumed segment the loop goes back to enteredBy if someone waits
   * there, else the finished strand becomes a driver.
   *
   * Fast path (condition list in await-prototypes.md §C): an await of a settled promise or a plain value
   * in a resumed segment with an empty microtask queue continues at once. ECMAScript would queue the
   * continuation at the tail of an empty queue and the host would run it next, with nothing observable in
   * between (the drain's rejection processing happens only once the queue is empty, which it is again
   * when the body next suspends); the promise is marked handled as PerformPromiseThen would. It never
   * applies to thenables (their adoption takes extra jobs), nor in a synchronously entered segment (the
   * caller's code must run first) — unless that caller's only code is an await of the promise it gets: a
   * generator entered by a fused next() (mayContinueAtOnce). Its continuation would then be the next job
   * all the same, and the caller's await is not observable. So fused pulls chain through a pipeline of
   * generators: each stage pulls from the one above it as a resumed segment would.
   *
   * Abandoned bodies: the loop holds its live coroutines weakly (LiveCoroutines) and each strand's thread
   * lives in a thread container of its own (Strand.transferToNew), so a suspended body that nothing can
   * resume any more is collected with its strand while the loop runs, even with the JDK's default
   * jdk.trackAllThreads=true. The end of a run: the strand that finds the loop done unwinds every live
   * coroutine still in memory by waking it with UNWIND, which throws Unwind out of its park; finally
   * blocks run, the strand ends and hands back to the unwinder. So no thread outlives run().
   *
   * The accelerator (opt-in, Continuations): with -Deventloop4j.continuations=true and jdk.internal.vm
   * exported, a body is a Continuation mounted on the thread that holds the loop instead of a strand of its
   * own. The five operations keep their meaning and every decision above (segments, syncEntered, the fast
   * path, awaitCall, unwinding) is shared; only the transport differs: entering mounts the continuation,
   * suspending yields it (back to the synchronous caller or to the resumption job that mounted it), the
   * end of the body simply returns from the mount, and unwinding mounts it once more so that its await
   * throws Unwind. No strand, no nested drive, no thread switch. The *Mounted methods below are that
   * transport; `loop.mounted` names the body whose code runs now (Coroutine.running()).
   *
   * Tests: AsyncTest, AsyncGeneratorTest, the async conformance scenarios (34-49), AsyncLeakTest,
   * SuspendedHeapTest; the build runs the whole core suite a second time with continuations (surefire's
   * `continuations` execution), and ContinuationModeTest covers what only one transport meets.
   */
  final EventLoop loop;
  @Nullable Strand strand;
  private @Nullable Strand caller;
  private boolean syncEntered;
  private @Nullable Strand enteredBy;
  private boolean inBody;
  private @Nullable Promise<?> awaited;
  private ResumeReaction resume = new ResumeReaction(this);
  private @Nullable Object continuation;
  private boolean yielded;
  /** Its entry in the loop's weak list of live coroutines, while it lives. */
  LiveCoroutines.@Nullable Link live;
  private Object[] context;
  private boolean forceTick;

  Coroutine(EventLoop loop) {
    this.loop = loop;
    this.context = AsyncLocal.current();
  }

  @Override
  public final Object[] get() {
    return context;
  }

  @Override
  public final void set(Object[] context) {
    this.context = context;
  }

  /** Runs the user's body; returns its result. */
  abstract @Nullable Object runBody() throws Throwable;

  /** Called on the strand, holding the loop, when the body returned. */
  abstract void completed(@Nullable Object result);

  /** Called on the strand, holding the loop, when the body threw. */
  abstract void failed(Throwable error);

  /** Whether the calling thread runs this coroutine's body code (not a loop callback on its strand). */
  final boolean isRunningBody() {
    if (Continuations.ENABLED) {
      return inBody && loop.mounted == this && loop.holds();
    }
    return inBody && strand != null && strand.thread == Thread.currentThread();
  }

  /** The coroutine whose body code the calling thread runs, or null (loop callbacks, foreign threads). */
  static @Nullable Coroutine running() {
    Coroutine c;
    if (Continuations.ENABLED) {
      EventLoop l = EventLoop.tryCurrent();
      c = l == null ? null : l.mounted;
    } else {
      Strand s = Strand.current();
      c = s == null ? null : s.coroutine;
    }
    return c != null && c.isRunningBody() ? c : null;
  }

  /** Whether the current segment was entered synchronously and its caller waits for it to end. */
  final boolean isSyncEntered() {
    return syncEntered;
  }

  /**
   * Whether the body may go on at once where ECMAScript would queue its continuation at the tail of an
   * empty queue (the fast path): in a resumed segment, or in one whose synchronous caller does nothing but
   * await the promise it gets ({@link #callerAwaitsAtOnce}) — the caller's await is then not observable, and
   * this body's continuation would be the very next job all the same.
   */
  final boolean mayContinueAtOnce() {
    return !syncEntered || callerAwaitsAtOnce();
  }

  /** Whether the synchronous caller of the current segment awaits its result at once (a fused next()). */
  boolean callerAwaitsAtOnce() {
    return false;
  }

  // ---- entering ----

  /** Runs the next segment synchronously; returns when it suspends or the body ends. */
  final void enterSync() {
    if (Continuations.ENABLED) {
      enterSyncMounted();
      return;
    }
    Strand me = requireNonNull(loop.holder, "entering an async body needs a runtime strand");
    caller = me;
    syncEntered = true;
    Strand s = strand;
    if (s == null) {
      loop.register(this);
      requireNonNull(live).ownsStrand = true;
      Strand idle = loop.takeIdleStrand();
      if (idle != null) {
        idle.coroutine = this;
        strand = idle;
        Strand.transfer(loop, idle, Strand.RESUME);
      } else {
        s = Strand.forCoroutine(this);
        strand = s;
        Strand.transferToNew(s);
      }
    } else {
      Strand.transfer(loop, s, Strand.RESUME);
    }
    if (me.park(Strand.AFTER_CALL) == Strand.UNWIND) {
      throw Unwind.INSTANCE;
    }
  }

  /** The body of this coroutine's strand. */
  final void strandMain() {
    runToEnd();
    requireNonNull(strand).reclaimHandler();
    end();
  }

  /** Runs the body from its start to its end, settling what the subclass settles; unregisters it. */
  private void runToEnd() {
    inBody = true;
    try {
      Object result = runBody();
      if (!loop.isFinishing()) {
        completed(result);
      }
    } catch (Unwind u) {
      // the run is over: nothing to settle
    } catch (Throwable t) {
      if (!loop.isFinishing()) {
        failed(t);
      }
    }
    inBody = false;
    loop.unregister(this);
  }

  /**
   * Hands the loop on after the body ended. A strand that does not go on as a driver returns to the loop's
   * small pool of idle strands first (while it still holds the loop), so the next async call reuses it
   * instead of starting a virtual thread; {@link Strand} parks it there until it gets a new coroutine or
   * the run ends.
   */
  private void end() {
    Strand me = requireNonNull(strand);
    Strand target;
    Strand fin = loop.finisher();
    if (syncEntered) {
      syncEntered = false;
      target = requireNonNull(caller);
      caller = null;
    } else if (fin == me) {
      me.coroutine = null;
      loop.signalDone();
      return;
    } else if (fin != null) {
      target = fin;
    } else if (enteredBy != null) {
      target = enteredBy;
      enteredBy = null;
    } else {
      me.coroutine = null;
      loop.driveAsPureDriver();
      return;
    }
    me.coroutine = null;
    strand = null;
    boolean pooled = fin == null && loop.offerIdleStrand(me);
    Strand.transfer(loop, target, Strand.SEGMENT_ENDED);
    if (pooled) {
      me.idle(loop);
    }
  }

  /** This coroutine's ResumeReaction ran: resumes the body (a generator may first finish a yield there). */
  void resumeJob() {
    resumeFromJob();
  }

  /** Called by this coroutine's ResumeReaction, on the strand that dequeued it. */
  final void resumeFromJob() {
    if (Continuations.ENABLED) {
      mount(requireNonNull(continuation, "resuming a coroutine that never started"));
      return;
    }
    Strand me = loop.holder;
    if (me == strand) {
      loop.requestExitNested();
      return;
    }
    boolean driver = me == null || me.isDriver();
    enteredBy = driver ? null : me;
    if (driver && me != null) {
      loop.retiringDriver(me.thread);
    }
    Strand.transfer(loop, requireNonNull(strand), Strand.RESUME);
    if (driver) {
      return;
    }
    int why = me.park(Strand.AFTER_ENTRY);
    if (why == Strand.RESUME) {
      if (enteredBy == me) {
        enteredBy = null;
      }
      loop.requestExitNested();
    } else if (why == Strand.UNWIND) {
      throw Unwind.INSTANCE;
    }
  }

  // ---- suspending ----

  /** ECMAScript's Await: returns the value of {@code operand} or throws its reason. */
  final @Nullable Object await(@Nullable Object operand) {
    if (loop.isFinishing()) {
      throw Unwind.INSTANCE;
    }
    boolean forced = forceTick;
    forceTick = false;
    if (!forced && mayContinueAtOnce() && loop.microtasksEmpty()) {
      if (operand instanceof Promise<?> p) {
        if (!p.isPending() && p.loop == loop) {
          p.markHandled();
          return p.valueOrThrow();
        }
      } else if (!(operand instanceof Thenable<?>) && !(operand instanceof java.util.concurrent.CompletionStage<?>)) {
        return operand;
      }
    }
    Promise<?> p = Promise.resolve(operand);
    awaited = p;
    p.registerFrom(loop, resume);
    suspend();
    Promise<?> settled = requireNonNull(awaited);
    awaited = null;
    return settled.valueOrThrow();
  }

  /**
   * {@code await(async(fn))} with {@code fn} run on this coroutine's own stack — exact because nobody else
   * can see the callee's promise. The callee's first await must cost its turn even where the fast path
   * would apply (unfused, that segment had a synchronous caller), hence {@code forceTick}; its result is
   * then awaited like the callee's promise would be.
   */
  final @Nullable Object awaitCall(java.util.concurrent.Callable<?> fn) {
    boolean outer = forceTick;
    forceTick = true;
    Promise<Object> result = new Promise<>(loop);
    try {
      result.resolveWith(fn.call());
    } catch (Unwind | GeneratorReturn u) {
      throw u;
    } catch (Throwable t) {
      result.rejectWith(t);
    }
    if (forceTick) {
      forceTick = outer;
    }
    return await(result);
  }

  /**
   * Registers this coroutine's resumption job on {@code p} and suspends without an await's bookkeeping:
   * the job ({@link #resumeJob}) decides whether and how the body goes on. Only from a synchronously
   * entered segment, where suspending always hands the loop back to the caller.
   */
  final void suspendOn(Promise<?> p) {
    if (loop.isFinishing()) {
      throw Unwind.INSTANCE;
    }
    p.registerFrom(loop, resume);
    suspend();
  }

  private void suspend() {
    if (Continuations.ENABLED) {
      yieldMounted();
      return;
    }
    inBody = false;
    try {
      if (syncEntered) {
        handBackToCaller();
        parkForResume();
      } else {
        nestedDrive();
      }
    } finally {
      inBody = true;
    }
  }

  /** A generator at a yield with no request queued: give the loop away and wait for next()/return()/throw(). */
  final void suspendForRequest() {
    if (Continuations.ENABLED) {
      yieldMounted();
      return;
    }
    inBody = false;
    try {
      if (syncEntered) {
        handBackToCaller();
      } else if (enteredBy != null) {
        Strand e = enteredBy;
        enteredBy = null;
        Strand.transfer(loop, e, Strand.SEGMENT_ENDED);
      } else {
        Strand.startDriver(loop, () -> { });
      }
      parkForResume();
    } finally {
      inBody = true;
    }
  }

  private void handBackToCaller() {
    syncEntered = false;
    Strand c = requireNonNull(caller);
    caller = null;
    Strand.transfer(loop, c, Strand.SEGMENT_ENDED);
  }

  private void parkForResume() {
    if (requireNonNull(strand).park(Strand.SUSPENDED) == Strand.UNWIND) {
      throw Unwind.INSTANCE;
    }
  }

  private void nestedDrive() {
    loop.drive();
    if (loop.takeExitNested()) {
      return;
    }
    loop.runEnded(this);
    if (loop.isFinishing()) {
      throw Unwind.INSTANCE;
    }
    parkForResume();
  }

  /** Wakes this suspended coroutine with UNWIND and waits until its strand ended; called by the finisher. */
  final void unwind(Strand finisher) {
    if (Continuations.ENABLED) {
      unwindMounted();
      return;
    }
    Strand s = strand;
    if (s == null) {
      loop.unregister(this);
      return;
    }
    Strand.transfer(loop, s, Strand.UNWIND);
    finisher.park(Strand.AFTER_CALL);
    EventLoop.joinUninterruptibly(s.thread); // it handed back and is ending: no strand outlives the run
  }

  // ---- the accelerator's transport (Continuations) ----

  private void enterSyncMounted() {
    syncEntered = true;
    Object c = continuation;
    if (c == null) {
      c = Continuations.create(this::runToEnd);
      continuation = c;
    }
    mount(c);
    syncEntered = false;
  }

  private void mount(Object c) {
    Coroutine outer = loop.mounted;
    loop.mounted = this;
    try {
      Continuations.run(c);
    } finally {
      loop.mounted = outer;
    }
    if (!yielded) {
      continuation = null; // the body ended
    }
    yielded = false;
  }

  /**
   * Suspends a mounted body. A native frame on its stack (a class initialiser, a JNI call) refuses the
   * yield: the await then fails with a clear error, and the resumption it registered is disarmed.
   */
  private void yieldMounted() {
    if (live == null) {
      // only a yielded continuation can be unwound (by mounting it): one that never yields is never listed
      loop.register(this);
    }
    syncEntered = false;
    inBody = false;
    yielded = true;
    try {
      Continuations.yieldMounted();
    } catch (Continuations.PinnedException pinned) {
      yielded = false;
      resume.disarmed = true;
      resume = new ResumeReaction(this);
      throw new IllegalStateException("Async.await cannot suspend this body: a native frame on its stack pins it ("
          + pinned.getMessage() + "; a class initialiser or a JNI call) — await outside static initialisers", pinned);
    } finally {
      inBody = true;
    }
    if (loop.isFinishing()) {
      throw Unwind.INSTANCE;
    }
  }

  private void unwindMounted() {
    Object c = continuation;
    if (c != null) {
      mount(c);
    }
    if (continuation != null) {
      loop.unregister(this); // it caught Unwind and suspended again: dropped, it is garbage now
      continuation = null;
    }
  }

  /** The reaction that resumes the coroutine; one per coroutine, reused for every await. */
  private static final class ResumeReaction extends Promise.Reaction {
    private final Coroutine coroutine;
    boolean disarmed;

    ResumeReaction(Coroutine coroutine) {
      this.coroutine = coroutine;
    }

    @Override
    public void run() {
      if (!disarmed) {
        coroutine.resumeJob();
      }
    }
  }
}

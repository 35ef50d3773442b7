package org.eventloop4j.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eventloop4j.fuzz.Ast.*;
import org.jspecify.annotations.Nullable;

/**
 * Builds a random {@link Ast.Program} from a seed: the same seed always gives the same program.
 *
 * <p>Only programs whose output Node fixes are generated. The one source of freedom in Node is the race
 * between a timer's due time and a count of loop iterations (README R11: top-level {@code setTimeout(0)}
 * versus {@code setImmediate}). So macrotasks are created only where their order is defined, tracked by a
 * static {@link Ctx}:
 *
 * <ul>
 *   <li>{@code MAIN} (the main script and the nextTicks/microtasks it queues directly): timers with distinct
 *       delays {@value #FIRST_TIMER} ms + a multiple of {@value #SLOT} ms, and immediates;
 *   <li>{@code MAIN_IMM} (immediates of MAIN): further immediates only — they all run within a few loop
 *       iterations, far before the first timer;
 *   <li>{@code TIMER} (a timer's callback): 0 ms timers (never run in the same timers phase) and immediates
 *       (run in this iteration's check phase, before any 0 ms timer);
 *   <li>{@code TIMER_IMM} (an immediate queued by a timer): nothing, since a nested immediate would race a
 *       0 ms timer;
 *   <li>{@code NONE} (promise handlers, async bodies: they may run in any phase): no macrotasks.
 * </ul>
 *
 * Throws appear only where they become rejections (handlers, executors, async and generator bodies), never
 * in a nextTick, microtask, timer or immediate callback.
 */
final class ProgramGenerator {
  /** Spacing of the main script's timer delays, in ms. */
  static final int SLOT = 100;

  /**
   * The shortest main-script timer: the immediates of the main script must all run before it, even on a
   * loaded machine where node's first loop iteration starts late.
   */
  static final int FIRST_TIMER = 100;

  enum Ctx {
    MAIN,
    MAIN_IMM,
    TIMER,
    TIMER_IMM,
    NONE
  }

  /** Where a block is generated. */
  private record Scope(Ctx ctx, boolean async, boolean gen, boolean throwOk, int depth, int minFn) {
    Scope nested(Ctx c, boolean asyncOk, boolean genOk, boolean throwAllowed, int fromFn) {
      return new Scope(c, asyncOk, genOk, throwAllowed, depth + 1, fromFn);
    }
  }

  private final int maxDepth;

  /**
   * Main-script timers get distinct delays: Node reads the clock at each setTimeout call, so two timers of
   * equal delay created a millisecond apart would let a 0 ms timer queued by the first overtake the second.
   */
  private static final int MAX_SLOTS = 6;

  private final Random rnd;
  private final long seed;
  private int labels;
  private int budget;
  private int deferreds;
  private int fns;
  private int gens;
  private int deferredLimit;
  private boolean inGenerator;
  private int currentGen;
  private final java.util.Set<Integer> usedDelays = new java.util.HashSet<>();

  /** Every fourth seed gives a big program (up to about 80 statements, deeper nesting). */
  private final boolean big;

  private ProgramGenerator(long seed) {
    this.seed = seed;
    this.rnd = new Random(seed);
    this.big = Math.floorMod(seed, 4) == 3;
    this.maxDepth = big ? 4 : 3;
  }

  static Program generate(long seed) {
    return new ProgramGenerator(seed).program();
  }

  private Program program() {
    budget = big ? 40 + rnd.nextInt(40) : 12 + rnd.nextInt(28);
    deferreds = rnd.nextInt(big ? 5 : 4);
    fns = rnd.nextInt(big ? 7 : 5);
    gens = rnd.nextInt(big ? 4 : 3);
    List<Deferred> ds = new ArrayList<>();
    for (int i = 0; i < deferreds; i++) {
      // an executor runs before its own const is initialized: it may use only earlier deferreds, no function
      deferredLimit = i;
      Scope s = new Scope(Ctx.NONE, false, false, true, 2, fns);
      List<Stmt> exec = new ArrayList<>();
      exec.add(new Log(label()));
      if (rnd.nextInt(4) == 0) {
        exec.add(new Settle(i, settleArg(s)));
      }
      if (rnd.nextInt(6) == 0) {
        exec.add(new Throw(label()));
      }
      ds.add(new Deferred(i, exec));
    }
    deferredLimit = deferreds;
    List<Gen> gs = new ArrayList<>();
    inGenerator = true;
    for (int i = 0; i < gens; i++) {
      currentGen = i;
      // generators call no function and drive no generator (functions may iterate generators: no cycle)
      Scope s = new Scope(Ctx.NONE, true, true, true, 1, fns);
      List<Stmt> body = new ArrayList<>();
      body.add(new Log(label()));
      body.addAll(block(s, 2 + rnd.nextInt(4)));
      if (body.stream().noneMatch(st -> st instanceof Yield)) {
        body.add(new Yield(label(), operand(s)));
      }
      gs.add(new Gen(i, body));
    }
    inGenerator = false;
    List<Fn> fs = new ArrayList<>();
    for (int i = 0; i < fns; i++) {
      Scope s = new Scope(Ctx.NONE, true, false, true, 1, i + 1);
      List<Stmt> body = new ArrayList<>();
      body.add(new Log(label()));
      body.addAll(block(s, 1 + rnd.nextInt(4)));
      fs.add(new Fn(i, body, fnRet(s)));
    }
    Scope mainScope = new Scope(Ctx.MAIN, false, false, false, 0, 0);
    List<Stmt> main = new ArrayList<>();
    main.add(new Log(label()));
    while (budget > 0) {
      main.add(stmt(mainScope));
    }
    main.add(new Log(label()));
    return new Program(seed, ds, fs, gs, main);
  }

  private String label() {
    return "L" + (++labels);
  }

  private List<Stmt> block(Scope s, int n) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < n && budget > 0; i++) {
      out.add(stmt(s));
    }
    if (s.throwOk && rnd.nextInt(8) == 0) {
      out.add(new Throw(label()));
    }
    return out;
  }

  private Stmt stmt(Scope s) {
    budget--;
    boolean deep = s.depth >= maxDepth || budget <= 0;
    int r = rnd.nextInt(100);
    if (deep || r < 12) {
      return new Log(label());
    }
    if (r < 20) {
      return new NextTick(block(s.nested(s.ctx, false, false, false, s.minFn), 1 + rnd.nextInt(3)));
    }
    if (r < 28) {
      return new Microtask(block(s.nested(s.ctx, false, false, false, s.minFn), 1 + rnd.nextInt(3)));
    }
    if (r < 36) {
      Stmt macro = macrotask(s);
      if (macro != null) {
        return macro;
      }
    }
    if (r < 52) {
      return new Expr(pexpr(s, 0));
    }
    if (r < 60 && deferreds > 0) {
      return new Settle(rnd.nextInt(deferreds), settleArg(s));
    }
    if (r < 66 && gens > 0 && !inGenerator) {
      return drive(s);
    }
    if (s.async && r < 80) {
      return new Await(label(), operand(s));
    }
    if (s.async && r < 86) {
      Scope inner = s.nested(s.ctx, true, s.gen, true, s.minFn);
      List<Stmt> body = block(inner, 1 + rnd.nextInt(3));
      int kind = rnd.nextInt(3);
      String catchLabel = kind != 1 ? label() : null;
      List<Stmt> handler = kind != 1 ? block(inner, rnd.nextInt(2)) : null;
      List<Stmt> fin = kind != 0 ? block(s.nested(s.ctx, true, s.gen, true, s.minFn), 1 + rnd.nextInt(2)) : null;
      return new Try(body, catchLabel, handler, fin);
    }
    if (s.async && !s.gen && r < 92) {
      return forAwait(s);
    }
    if (s.gen) {
      if (currentGen + 1 < gens && rnd.nextInt(4) == 0) {
        return new YieldStar(label(), currentGen + 1 + rnd.nextInt(gens - currentGen - 1));
      }
      return new Yield(label(), operand(s));
    }
    return new Log(label());
  }

  private @Nullable Stmt macrotask(Scope s) {
    int pick = rnd.nextInt(2);
    switch (s.ctx) {
      case MAIN -> {
        if (pick == 0 && usedDelays.size() < MAX_SLOTS) {
          int delay;
          do {
            delay = FIRST_TIMER + SLOT * rnd.nextInt(MAX_SLOTS);
          } while (!usedDelays.add(delay));
          return new Timeout(block(s.nested(Ctx.TIMER, false, false, false, s.minFn), 1 + rnd.nextInt(3)), delay);
        }
        return new Immediate(block(s.nested(Ctx.MAIN_IMM, false, false, false, s.minFn), 1 + rnd.nextInt(3)));
      }
      case MAIN_IMM -> {
        return new Immediate(block(s.nested(Ctx.MAIN_IMM, false, false, false, s.minFn), 1 + rnd.nextInt(3)));
      }
      case TIMER -> {
        if (pick == 0) {
          return new Timeout(block(s.nested(Ctx.TIMER, false, false, false, s.minFn), 1 + rnd.nextInt(3)), 0);
        }
        return new Immediate(block(s.nested(Ctx.TIMER_IMM, false, false, false, s.minFn), 1 + rnd.nextInt(3)));
      }
      default -> {
        return null;
      }
    }
  }

  private Stmt drive(Scope s) {
    List<GenOp> ops = new ArrayList<>();
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      int k = rnd.nextInt(10);
      GenOpKind kind = k < 7 ? GenOpKind.NEXT : k < 9 ? GenOpKind.RETURN : GenOpKind.THROW;
      String l = label();
      PExpr promise = kind == GenOpKind.RETURN && rnd.nextInt(3) == 0 ? pexpr(s, 1) : null;
      ops.add(new GenOp(l, kind, l, promise));
    }
    return new Drive(rnd.nextInt(gens), ops);
  }

  private Stmt forAwait(Scope s) {
    Source src;
    if (gens > 0 && rnd.nextInt(3) != 0) {
      src = new GenSource(rnd.nextInt(gens));
    } else {
      List<Operand> els = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        els.add(rnd.nextBoolean() ? new OpValue(label()) : new OpPromise(pexpr(s, 1)));
      }
      src = new ArraySource(els);
    }
    int breakAfter = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
    List<Stmt> body = block(s.nested(s.ctx, true, false, true, s.minFn), rnd.nextInt(3));
    return new ForAwait(label(), src, breakAfter, body);
  }

  private Operand operand(Scope s) {
    int r = rnd.nextInt(10);
    if (r < 2) {
      return new OpValue(label());
    }
    if (r < 4) {
      return new OpThenable(thenable());
    }
    if (r < 6 && s.minFn < fns && !s.gen) {
      return new OpCall(s.minFn + rnd.nextInt(fns - s.minFn), rnd.nextBoolean());
    }
    return new OpPromise(pexpr(s, 0));
  }

  private Thenable thenable() {
    return new Thenable(label(), rnd.nextInt(4) == 0);
  }

  private SettleArg settleArg(Scope s) {
    int r = rnd.nextInt(10);
    if (r < 5) {
      return new SettleValue(label());
    }
    if (r < 7) {
      return new SettleReject(label());
    }
    if (r < 9) {
      return new SettlePromise(pexpr(s, 1));
    }
    return new SettleThenable(thenable());
  }

  private PExpr pexpr(Scope s, int level) {
    int r = rnd.nextInt(100);
    if (level >= 2 || s.depth >= maxDepth) {
      return leaf(s);
    }
    if (r < 45) {
      PExpr base = leaf(s);
      List<Link> links = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        links.add(link(s, level));
      }
      return new Chain(base, links);
    }
    if (r < 60) {
      Combinator[] kinds = Combinator.values();
      List<PExpr> inputs = new ArrayList<>();
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        inputs.add(pexpr(s, level + 1));
      }
      return new Combine(kinds[rnd.nextInt(kinds.length)], inputs);
    }
    return leaf(s);
  }

  private PExpr leaf(Scope s) {
    int r = rnd.nextInt(10);
    if (r < 3) {
      return new Resolved(label());
    }
    if (r < 4) {
      return new Rejected(label());
    }
    if (r < 5) {
      return new OfThenable(thenable());
    }
    if (r < 7 && deferredLimit > 0) {
      return new DeferredRef(rnd.nextInt(deferredLimit));
    }
    if (r < 9 && s.minFn < fns && !s.gen) {
      return new Call(s.minFn + rnd.nextInt(fns - s.minFn));
    }
    return new Resolved(label());
  }

  private Link link(Scope s, int level) {
    Scope h = s.nested(Ctx.NONE, false, false, true, s.minFn);
    int r = rnd.nextInt(10);
    if (r < 5) {
      boolean two = rnd.nextInt(4) == 0;
      if (two) {
        return new Then(simpleHandler(h), simpleHandler(h));
      }
      return new Then(handler(h, level), null);
    }
    if (r < 8) {
      return new Catch(handler(h, level));
    }
    String l = label();
    List<Stmt> body = block(h, rnd.nextInt(2));
    int k = rnd.nextInt(6);
    Ret ret = switch (k) {
      case 0 -> new RetThrow(label());
      case 1 -> new RetPromise(pexpr(h, level + 1));
      case 2 -> new RetThenable(thenable());
      default -> null;
    };
    return new Finally(l, body, ret);
  }

  private Handler simpleHandler(Scope h) {
    String l = label();
    List<Stmt> body = block(h, rnd.nextInt(2));
    int k = rnd.nextInt(4);
    Ret ret = k == 0 ? new RetThrow(label()) : k == 1 ? new RetNothing() : new RetValue(label());
    return new Handler(l, body, ret);
  }

  private Handler handler(Scope h, int level) {
    String l = label();
    List<Stmt> body = block(h, rnd.nextInt(2));
    int k = rnd.nextInt(6);
    Ret ret = switch (k) {
      case 0 -> new RetThrow(label());
      case 1, 2 -> new RetPromise(pexpr(h, level + 1));
      case 3 -> new RetNothing();
      default -> new RetValue(label());
    };
    return new Handler(l, body, ret);
  }

  private Ret fnRet(Scope s) {
    int k = rnd.nextInt(7);
    return switch (k) {
      case 0 -> new RetNothing();
      case 1 -> new RetValue(label());
      case 2 -> new RetThrow(label());
      case 3 -> new RetPromise(pexpr(s, 1));
      case 4 -> new RetThenable(thenable());
      default -> new RetAwait(pexpr(s, 1));
    };
  }
}

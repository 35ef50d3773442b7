package org.eventloop4j.fuzz;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fuzzer's program tree: a tiny JavaScript subset of the event loop, promises, async functions and
 * async generators. {@link ProgramGenerator} builds it from a seed, {@link JsEmitter} prints it as a
 * CommonJS script for {@code node}, and {@link Interpreter} runs it on eventloop4j. Every label is unique in
 * a program, so a line of output names the statement that printed it.
 */
final class Ast {
  private Ast() {}

  /**
   * A whole program: deferred promises (created first, in order), async functions, async generators, then
   * the main script's statements.
   */
  record Program(long seed, List<Deferred> deferreds, List<Fn> fns, List<Gen> gens, List<Stmt> main) {}

  /** {@code let dN_res, dN_rej; const dN = new Promise((res, rej) => { dN_res = res; ...; executor })}. */
  record Deferred(int id, List<Stmt> executor) {}

  /** {@code async function fN() { body; ret }}; it may only call functions with a higher id. */
  record Fn(int id, List<Stmt> body, Ret ret) {}

  /** {@code async function* gN() { body }}. */
  record Gen(int id, List<Stmt> body) {}

  // ------------------------------------------------------------------------------------------------
  // Statements

  sealed interface Stmt {}

  /** {@code log('label')}. */
  record Log(String label) implements Stmt {}

  /** {@code process.nextTick(() => { body })}. */
  record NextTick(List<Stmt> body) implements Stmt {}

  /** {@code queueMicrotask(() => { body })}. */
  record Microtask(List<Stmt> body) implements Stmt {}

  /** {@code setTimeout(() => { body }, delay)}. */
  record Timeout(List<Stmt> body, int delay) implements Stmt {}

  /** {@code setImmediate(() => { body })}. */
  record Immediate(List<Stmt> body) implements Stmt {}

  /** {@code <promise expression>;} (its outcome is dropped, so a rejection is unhandled). */
  record Expr(PExpr p) implements Stmt {}

  /** {@code dN_res(value)}, {@code dN_rej(err)}, {@code dN_res(promise)} or {@code dN_res(thenable)}. */
  record Settle(int deferred, SettleArg arg) implements Stmt {}

  /** {@code throw new Error('label')}; only where a throw becomes a rejection. */
  record Throw(String label) implements Stmt {}

  /** Async bodies only: {@code log('label ' + fmt(await operand))}. */
  record Await(String label, Operand operand) implements Stmt {}

  /**
   * {@code try { body } catch (e) { log('label ' + fmt(e)); handler } finally { fin }}; catch and finally are
   * optional (at least one is present).
   */
  record Try(List<Stmt> body, @Nullable String catchLabel, @Nullable List<Stmt> handler, @Nullable List<Stmt> fin)
      implements Stmt {}

  /**
   * Async bodies only: {@code for await (const v of source) { log('label ' + fmt(v)); body; if (++n ===
   * breakAfter) break; }} (never breaks when {@code breakAfter} is 0).
   */
  record ForAwait(String label, Source source, int breakAfter, List<Stmt> body) implements Stmt {}

  /** Generator bodies only: {@code yield operand; log('label')}. */
  record Yield(String label, Operand operand) implements Stmt {}

  /** Generator bodies only: {@code yield* gN(); log('label')}, to a generator with a higher id. */
  record YieldStar(String label, int gen) implements Stmt {}

  /** {@code { const it = gN(); it.next().then(...); it.return(v).then(...); ... }}: requests without awaiting. */
  record Drive(int gen, List<GenOp> ops) implements Stmt {}

  // ------------------------------------------------------------------------------------------------
  // Promise expressions

  sealed interface PExpr {}

  /** {@code Promise.resolve('value')}. */
  record Resolved(String value) implements PExpr {}

  /** {@code Promise.reject(new Error('label'))}. */
  record Rejected(String label) implements PExpr {}

  /** {@code Promise.resolve(thenable)}. */
  record OfThenable(Thenable thenable) implements PExpr {}

  /** {@code dN}. */
  record DeferredRef(int id) implements PExpr {}

  /** {@code fN()}. */
  record Call(int fn) implements PExpr {}

  /** {@code base.then(...).catch(...).finally(...)}. */
  record Chain(PExpr base, List<Link> links) implements PExpr {}

  /** {@code Promise.all|allSettled|race|any([inputs])}. */
  record Combine(Combinator kind, List<PExpr> inputs) implements PExpr {}

  enum Combinator {
    ALL("all"),
    ALL_SETTLED("allSettled"),
    RACE("race"),
    ANY("any");

    final String js;

    Combinator(String js) {
      this.js = js;
    }
  }

  /** {@code { then(res, rej) { log('label'); res('label') | rej(new Error('label')) } }}. */
  record Thenable(String label, boolean rejects) {}

  // ------------------------------------------------------------------------------------------------
  // Chain links and handlers

  sealed interface Link {}

  /** {@code .then(onFulfilled)} or {@code .then(onFulfilled, onRejected)} (two-handler form: value or throw only). */
  record Then(Handler onFulfilled, @Nullable Handler onRejected) implements Link {}

  /** {@code .catch(handler)}. */
  record Catch(Handler handler) implements Link {}

  /** {@code .finally(() => { log('label'); body; ret })}; ret is null, a throw, a promise or a thenable. */
  record Finally(String label, List<Stmt> body, @Nullable Ret ret) implements Link {}

  /** {@code (v) => { log('label ' + fmt(v)); body; ret }}. */
  record Handler(String label, List<Stmt> body, Ret ret) {}

  // ------------------------------------------------------------------------------------------------
  // Returns, await operands, sources, generator requests

  sealed interface Ret {}

  /** No return statement (undefined). */
  record RetNothing() implements Ret {}

  /** {@code return 'value'}. */
  record RetValue(String value) implements Ret {}

  /** {@code throw new Error('label')}. */
  record RetThrow(String label) implements Ret {}

  /** {@code return <promise>}: adopted (two hops more). */
  record RetPromise(PExpr p) implements Ret {}

  /** {@code return thenable} (async functions and finally only). */
  record RetThenable(Thenable thenable) implements Ret {}

  /** {@code return await <promise>} (async functions only). */
  record RetAwait(PExpr p) implements Ret {}

  sealed interface Operand {}

  /** A plain value: {@code 'value'}. */
  record OpValue(String value) implements Operand {}

  /** A promise expression. */
  record OpPromise(PExpr p) implements Operand {}

  /** A thenable object literal. */
  record OpThenable(Thenable thenable) implements Operand {}

  /**
   * {@code fN()} awaited at once; {@code fused} picks {@code Async.awaitCall} over {@code
   * Async.await(async(...))} in Java (JavaScript cannot tell them apart).
   */
  record OpCall(int fn, boolean fused) implements Operand {}

  sealed interface Source {}

  /** {@code gN()}. */
  record GenSource(int gen) implements Source {}

  /** {@code [a, b, ...]}: plain values and promises. */
  record ArraySource(List<Operand> elements) implements Source {}

  /**
   * One request of a {@link Drive}: {@code it.next()}, {@code it.return('arg')} (or {@code it.return(promise)}
   * when {@code promise} is set) or {@code it.throw(new Error('arg'))}.
   */
  record GenOp(String label, GenOpKind kind, String arg, @Nullable PExpr promise) {}

  enum GenOpKind {
    NEXT,
    RETURN,
    THROW
  }

  sealed interface SettleArg {}

  /** {@code res('value')}. */
  record SettleValue(String value) implements SettleArg {}

  /** {@code rej(new Error('label'))}. */
  record SettleReject(String label) implements SettleArg {}

  /** {@code res(<promise>)}. */
  record SettlePromise(PExpr p) implements SettleArg {}

  /** {@code res(thenable)}. */
  record SettleThenable(Thenable thenable) implements SettleArg {}
}

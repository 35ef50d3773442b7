package org.eventloop4j.fuzz;

import java.util.List;
import org.eventloop4j.fuzz.Ast.*;

/**
 * Prints an {@link Ast.Program} as a CommonJS script for {@code node file.js}. {@code fmt} and the two
 * rejection listeners of the prelude are mirrored by {@link Interpreter}.
 */
final class JsEmitter {
  static final String PRELUDE = """
      'use strict';
      const log = (s) => console.log(s);
      function fmt(v) {
        if (v === undefined || v === null) return 'undefined';
        if (typeof v === 'string') return v;
        if (Array.isArray(v)) return '[' + v.map(fmt).join(',') + ']';
        if (v instanceof AggregateError) return 'AGG[' + v.errors.map(fmt).join(',') + ']';
        if (v instanceof Error) return 'E:' + v.message;
        if (v.status === 'fulfilled') return 'ok:' + fmt(v.value);
        if (v.status === 'rejected') return 'no:' + fmt(v.reason);
        if (typeof v === 'object' && 'done' in v) return '{' + fmt(v.value) + ',' + v.done + '}';
        return String(v);
      }
      process.on('unhandledRejection', (r) => log('unhandledRejection ' + fmt(r)));
      process.on('rejectionHandled', () => log('rejectionHandled'));
      """;

  private final StringBuilder out = new StringBuilder();
  private int indent;

  private JsEmitter() {}

  static String emit(Program p) {
    JsEmitter e = new JsEmitter();
    e.out.append("// eventloop4j fuzz program, seed ").append(p.seed()).append('\n').append(PRELUDE);
    e.program(p);
    return e.out.toString();
  }

  private void program(Program p) {
    for (Deferred d : p.deferreds()) {
      String n = "d" + d.id();
      line("let " + n + "_res, " + n + "_rej;");
      line("const " + n + " = new Promise((res, rej) => {");
      indent++;
      line(n + "_res = res;");
      line(n + "_rej = rej;");
      stmts(d.executor());
      indent--;
      line("});");
    }
    for (Fn f : p.fns()) {
      line("async function f" + f.id() + "() {");
      indent++;
      stmts(f.body());
      ret(f.ret());
      indent--;
      line("}");
    }
    for (Gen g : p.gens()) {
      line("async function* g" + g.id() + "() {");
      indent++;
      stmts(g.body());
      indent--;
      line("}");
    }
    stmts(p.main());
  }

  private void line(String s) {
    out.append("  ".repeat(indent)).append(s).append('\n');
  }

  private void stmts(List<Stmt> body) {
    for (Stmt s : body) {
      stmt(s);
    }
  }

  private void block(String open, List<Stmt> body, String close) {
    line(open);
    indent++;
    stmts(body);
    indent--;
    line(close);
  }

  private void stmt(Stmt s) {
    switch (s) {
      case Log l -> line("log(" + q(l.label()) + ");");
      case NextTick t -> block("process.nextTick(() => {", t.body(), "});");
      case Microtask m -> block("queueMicrotask(() => {", m.body(), "});");
      case Timeout t -> block("setTimeout(() => {", t.body(), "}, " + t.delay() + ");");
      case Immediate i -> block("setImmediate(() => {", i.body(), "});");
      case Expr e -> line(pexpr(e.p()) + ";");
      case Settle st -> line(settle(st));
      case Throw t -> line("throw new Error(" + q(t.label()) + ");");
      case Await a -> line("log(" + q(a.label() + " ") + " + fmt(await " + operand(a.operand()) + "));");
      case Try t -> {
        block("try {", t.body(), "}");
        if (t.catchLabel() != null) {
          line("catch (e) {");
          indent++;
          line("log(" + q(t.catchLabel() + " ") + " + fmt(e));");
          stmts(t.handler() == null ? List.of() : t.handler());
          indent--;
          line("}");
        }
        if (t.fin() != null) {
          block("finally {", t.fin(), "}");
        }
      }
      case ForAwait f -> {
        line("{");
        indent++;
        line("let n = 0;");
        line("for await (const v of " + source(f.source()) + ") {");
        indent++;
        line("log(" + q(f.label() + " ") + " + fmt(v));");
        stmts(f.body());
        if (f.breakAfter() > 0) {
          line("if (++n === " + f.breakAfter() + ") break;");
        }
        indent--;
        line("}");
        indent--;
        line("}");
      }
      case Yield y -> {
        line("yield " + operand(y.operand()) + ";");
        line("log(" + q(y.label()) + ");");
      }
      case YieldStar y -> {
        line("yield* g" + y.gen() + "();");
        line("log(" + q(y.label()) + ");");
      }
      case Drive d -> {
        line("{");
        indent++;
        line("const it = g" + d.gen() + "();");
        for (GenOp op : d.ops()) {
          String call = switch (op.kind()) {
            case NEXT -> "it.next()";
            case RETURN -> "it.return(" + (op.promise() != null ? pexpr(op.promise()) : q(op.arg())) + ")";
            case THROW -> "it.throw(new Error(" + q(op.arg()) + "))";
          };
          line(call + ".then((r) => log(" + q(op.label() + " ") + " + fmt(r)), (e) => log(" + q(op.label() + " rej ")
              + " + fmt(e)));");
        }
        indent--;
        line("}");
      }
    }
  }

  private String settle(Settle s) {
    String n = "d" + s.deferred();
    return switch (s.arg()) {
      case SettleValue v -> n + "_res(" + q(v.value()) + ");";
      case SettleReject r -> n + "_rej(new Error(" + q(r.label()) + "));";
      case SettlePromise p -> n + "_res(" + pexpr(p.p()) + ");";
      case SettleThenable t -> n + "_res(" + thenable(t.thenable()) + ");";
    };
  }

  private void ret(Ret r) {
    switch (r) {
      case RetNothing n -> {}
      case RetValue v -> line("return " + q(v.value()) + ";");
      case RetThrow t -> line("throw new Error(" + q(t.label()) + ");");
      case RetPromise p -> line("return " + pexpr(p.p()) + ";");
      case RetThenable t -> line("return " + thenable(t.thenable()) + ";");
      case RetAwait a -> line("return await " + pexpr(a.p()) + ";");
    }
  }

  private String operand(Operand o) {
    return switch (o) {
      case OpValue v -> q(v.value());
      case OpPromise p -> pexpr(p.p());
      case OpThenable t -> thenable(t.thenable());
      case OpCall c -> "f" + c.fn() + "()";
    };
  }

  private String source(Source s) {
    return switch (s) {
      case GenSource g -> "g" + g.gen() + "()";
      case ArraySource a -> {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.elements().size(); i++) {
          b.append(i == 0 ? "" : ", ").append(operand(a.elements().get(i)));
        }
        yield b.append("]").toString();
      }
    };
  }

  private String thenable(Ast.Thenable t) {
    String settle = t.rejects() ? "rej(new Error(" + q(t.label()) + "))" : "res(" + q(t.label()) + ")";
    return "({ then(res, rej) { log(" + q(t.label()) + "); " + settle + "; } })";
  }

  private String pexpr(PExpr p) {
    return switch (p) {
      case Resolved r -> "Promise.resolve(" + q(r.value()) + ")";
      case Rejected r -> "Promise.reject(new Error(" + q(r.label()) + "))";
      case OfThenable t -> "Promise.resolve(" + thenable(t.thenable()) + ")";
      case DeferredRef d -> "d" + d.id();
      case Call c -> "f" + c.fn() + "()";
      case Combine c -> {
        StringBuilder b = new StringBuilder("Promise." + c.kind().js + "([");
        for (int i = 0; i < c.inputs().size(); i++) {
          b.append(i == 0 ? "" : ", ").append(pexpr(c.inputs().get(i)));
        }
        yield b.append("])").toString();
      }
      case Chain c -> {
        StringBuilder b = new StringBuilder(pexpr(c.base()));
        for (Link l : c.links()) {
          b.append(link(l));
        }
        yield b.toString();
      }
    };
  }

  private String link(Link l) {
    return switch (l) {
      case Then t -> ".then(" + handler(t.onFulfilled()) + (t.onRejected() == null ? "" : ", " + handler(t.onRejected())) + ")";
      case Catch c -> ".catch(" + handler(c.handler()) + ")";
      case Finally f -> ".finally(() => {" + inline(List.of(new Log(f.label()))) + inline(f.body())
          + (f.ret() == null ? "" : inlineRet(f.ret())) + " })";
    };
  }

  private String handler(Handler h) {
    return "(v) => { log(" + q(h.label() + " ") + " + fmt(v));" + inline(h.body()) + inlineRet(h.ret()) + " }";
  }

  /** Statements printed on one line (handlers are expressions). */
  private String inline(List<Stmt> body) {
    JsEmitter e = new JsEmitter();
    e.stmts(body);
    return e.out.isEmpty() ? "" : " " + e.out.toString().replace('\n', ' ').trim();
  }

  private String inlineRet(Ret r) {
    JsEmitter e = new JsEmitter();
    e.ret(r);
    return e.out.isEmpty() ? "" : " " + e.out.toString().trim();
  }

  private static String q(String s) {
    return "'" + s + "'";
  }
}

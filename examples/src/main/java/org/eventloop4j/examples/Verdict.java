package org.eventloop4j.examples;

/**
 * The one-line judgement of an example's output against Node's.
 *
 * @param ok whether the output agrees with Node's (by the example's {@link Matcher})
 * @param label a word for the summary: {@code match}, {@code same invariants} or {@code MISMATCH}
 * @param text what agrees, or what differs
 */
record Verdict(boolean ok, String label, String text) {
  /** The same lines as Node's. */
  static Verdict match(String text) {
    return new Verdict(true, "match", text);
  }

  /** Other lines than Node's, but the example's invariants hold on both sides. */
  static Verdict sameInvariants(String text) {
    return new Verdict(true, "same invariants", text);
  }

  static Verdict mismatch(String text) {
    return new Verdict(false, "MISMATCH", text);
  }
}

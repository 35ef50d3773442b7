package org.eventloop4j.shared;

import java.math.BigDecimal;

/** JavaScript's {@code Number.prototype.toString()} for doubles, as Node prints floating-point elements. */
final class JsNumbers {
  /*
   * Overview: Double.toString gives the shortest digits that round-trip (JDK 19+), which is the digit string
   * ECMAScript's Number::toString uses; only the layout differs. BigDecimal splits it into digits and a
   * decimal exponent, and layout() applies ECMA-262 Number::toString step by step (k digits, point at n).
   */
  private JsNumbers() {}

  static String toString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal v = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = v.unscaledValue().toString();
    int n = digits.length() - v.scale();
    return sign + layout(digits, n);
  }

  private static String layout(String digits, int n) {
    int k = digits.length();
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    String exp = (n - 1 >= 0 ? "e+" : "e-") + Math.abs(n - 1);
    return k == 1 ? digits + exp : digits.charAt(0) + "." + digits.substring(1) + exp;
  }
}

package org.eventloop4j.shared;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** JavaScript's {@code Number.prototype.toString()} for doubles, as Node prints floating-point elements. */
final class JsNumbers {
  /*
   * Overview: Double.toString gives the shortest digits that round-trip (JDK 19+), which is the digit string
   * ECMAScript's Number::toString uses; only the layout differs. BigDecimal splits it into digits and a
   * decimal exponent, and layout() applies ECMA-262 Number::toString step by step (k digits, point at n).
   * The one difference in the digits: Double.toString's minimum of two digits (oneDigit()).
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
    if (v.precision() == 2) {
      v = oneDigit(Math.abs(d), v);
    }
    String digits = v.unscaledValue().toString();
    int n = digits.length() - v.scale();
    return sign + layout(digits, n);
  }

  /**
   * Double.toString never answers fewer than two digits ({@code 4.9E-324}); ECMAScript takes one when one
   * round-trips ({@code 5e-324}: only low-precision subnormals differ). Answers the closest one-digit
   * decimal that reads back as {@code x} (the even one on a tie), else {@code two}.
   */
  private static BigDecimal oneDigit(double x, BigDecimal two) {
    BigDecimal lo = two.round(new MathContext(1, RoundingMode.FLOOR));
    BigDecimal hi = lo.add(lo.ulp());
    boolean loOk = Double.parseDouble(lo.toString()) == x;
    boolean hiOk = Double.parseDouble(hi.toString()) == x;
    if (loOk && hiOk) {
      BigDecimal exact = new BigDecimal(x);
      int c = exact.subtract(lo).compareTo(hi.subtract(exact));
      boolean loEven = !lo.unscaledValue().testBit(0);
      return (c < 0 || (c == 0 && loEven) ? lo : hi).stripTrailingZeros();
    }
    return loOk ? lo : hiOk ? hi.stripTrailingZeros() : two;
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

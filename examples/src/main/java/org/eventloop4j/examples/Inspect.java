package org.eventloop4j.examples;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eventloop4j.shared.Int32Array;
import org.jspecify.annotations.Nullable;

/**
 * What Node's {@code console.log} prints for a value, so that a Java port's output can be compared with its
 * JavaScript original character for character: a port of the parts of Node 20's {@code util.inspect}
 * (lib/internal/util/inspect.js, default options: depth 2, breakLength 80, compact 3, at most 100 array
 * items) that the tour's values need.
 *
 * <p>Java values stand for JavaScript ones: {@code String} (quoted when nested), {@code Number}
 * ({@code double}s printed by ECMAScript's Number-to-String), {@code Boolean}, {@code null} ({@code
 * undefined}), a {@code List}, {@code Collection} or Java array (an Array), an {@link Int32Array}, a {@code
 * Map} or a {@code record} (a plain object, keys in order), a {@code Throwable} (an Error with its stack: a
 * {@code RuntimeException} or {@code Exception} prints as JavaScript's {@code Error}), and anything else by
 * its {@code toString()}. Not ported: colours, {@code %} format directives, circular references, and
 * full-width characters (every character counts one column). Pure functions; any thread.
 */
final class Inspect {
  /*
   * Overview: formatValue → formatList / formatObject → reduceToSingleString (+ groupArrayElements for
   * arrays of more than 6 items) follow Node's functions of the same names line by line; `indentationLvl`
   * and `currentDepth` are Node's ctx fields. InspectTest pins the output against strings Node printed.
   */
  private static final int BREAK_LENGTH = 80;
  private static final int COMPACT = 3;
  private static final int DEPTH = 2;
  private static final int MAX_ARRAY_LENGTH = 100;
  private static final int MIN_LINE_LENGTH = 16;
  private static final int MAX_STACK_FRAMES = 3;
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-zA-Z_][a-zA-Z_0-9]*$");

  private int indentationLvl;
  private int currentDepth;

  private Inspect() {}

  /** {@code console.log(a, b, ...)}: strings as they are, other values inspected, joined by spaces. */
  static String format(@Nullable Object... args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      sb.append(i == 0 ? "" : " ").append(args[i] instanceof String s ? s : inspect(args[i]));
    }
    return sb.toString();
  }

  /** {@code util.inspect(value)}. */
  static String inspect(@Nullable Object value) {
    return new Inspect().formatValue(value, 0);
  }

  /** ECMAScript's Number::toString(10): the shortest digits that round-trip, JavaScript's layout. */
  static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    BigDecimal shortest = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    if (shortest.precision() == 2) {
      // Java prints at least two digits (4.9E-324 for Double.MIN_VALUE); JavaScript one if one round-trips (5e-324)
      BigDecimal one = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (one.doubleValue() == abs) {
        shortest = one.stripTrailingZeros();
      }
    }
    String digits = shortest.unscaledValue().toString();
    int n = digits.length() - shortest.scale();
    return (d < 0 ? "-" : "") + layout(digits, n);
  }

  private static String layout(String s, int n) {
    int k = s.length();
    if (k <= n && n <= 21) {
      return s + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return s.substring(0, n) + "." + s.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + s;
    }
    String exponent = (n - 1 >= 0 ? "+" : "-") + Math.abs(n - 1);
    return (k == 1 ? s : s.charAt(0) + "." + s.substring(1)) + "e" + exponent;
  }

  private String formatValue(@Nullable Object value, int recurseTimes) {
    return switch (value) {
      case null -> "undefined";
      case String s -> formatString(s);
      case Character c -> formatString(c.toString());
      case Double d -> formatNumber(d);
      case Float f -> formatNumber(f.doubleValue());
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      case Enum<?> e -> formatString(e.name());
      case Throwable t -> formatError(t);
      case Int32Array a -> formatList("Int32Array(" + a.length() + ") ", ints(a), a.length(), true, recurseTimes);
      case Collection<?> c -> formatArray(new ArrayList<>(c), recurseTimes);
      case Map<?, ?> m -> formatObject(entries(m), recurseTimes);
      case Record r -> formatObject(entries(r), recurseTimes);
      default -> value.getClass().isArray() ? formatArray(arrayElements(value), recurseTimes) : value.toString();
    };
  }

  private static String formatNumber(double d) {
    return d == 0 && 1 / d < 0 ? "-0" : number(d);
  }

  private String formatArray(List<?> values, int recurseTimes) {
    List<?> shown = values.subList(0, Math.min(values.size(), MAX_ARRAY_LENGTH + 1));
    boolean numeric = shown.stream().allMatch(v -> v instanceof Number);
    return formatList("", shown, values.size(), numeric, recurseTimes);
  }

  /** Node's formatRaw for arrays and typed arrays: {@code values} holds at least the items shown. */
  private String formatList(String prefix, List<?> values, int length, boolean numeric, int recurseTimes) {
    String[] braces = {prefix + "[", "]"};
    if (length == 0) {
      return braces[0] + "]";
    }
    if (recurseTimes > DEPTH) {
      return prefix.isEmpty() ? "[Array]" : "[" + prefix.substring(0, prefix.indexOf('(')) + "]";
    }
    int depth = recurseTimes + 1;
    currentDepth = depth;
    int shown = Math.min(length, MAX_ARRAY_LENGTH);
    List<String> output = new ArrayList<>();
    for (int i = 0; i < shown; i++) {
      output.add(nested(values.get(i), depth));
    }
    if (length > shown) {
      output.add(remainingText(length - shown));
    }
    return reduceToSingleString(output, braces, true, depth, numeric);
  }

  private String formatObject(List<Map.Entry<String, @Nullable Object>> entries, int recurseTimes) {
    String[] braces = {"{", "}"};
    if (entries.isEmpty()) {
      return "{}";
    }
    if (recurseTimes > DEPTH) {
      return "[Object]";
    }
    int depth = recurseTimes + 1;
    currentDepth = depth;
    List<String> output = new ArrayList<>();
    for (Map.Entry<String, @Nullable Object> e : entries) {
      String key = IDENTIFIER.matcher(e.getKey()).matches() ? e.getKey() : strEscape(e.getKey());
      output.add(key + ": " + nested(e.getValue(), depth));
    }
    return reduceToSingleString(output, braces, false, depth, false);
  }

  /** Node's formatProperty: a value inside a container is formatted two columns further in. */
  private String nested(@Nullable Object value, int recurseTimes) {
    indentationLvl += 2;
    try {
      return formatValue(value, recurseTimes);
    } finally {
      indentationLvl -= 2;
    }
  }

  private String reduceToSingleString(List<String> output, String[] braces, boolean array, int recurseTimes,
      boolean numeric) {
    int entries = output.size();
    if (array && entries > 6) {
      output = groupArrayElements(output, numeric);
    }
    if (currentDepth - recurseTimes < COMPACT && entries == output.size()) {
      int start = output.size() + indentationLvl + braces[0].length() + 10;
      if (isBelowBreakLength(output, start)) {
        String joined = String.join(", ", output);
        if (!joined.contains("\n")) {
          return braces[0] + " " + joined + " " + braces[1];
        }
      }
    }
    String indentation = "\n" + " ".repeat(indentationLvl);
    return braces[0] + indentation + "  " + String.join("," + indentation + "  ", output) + indentation + braces[1];
  }

  private static boolean isBelowBreakLength(List<String> output, int start) {
    int totalLength = output.size() + start;
    if (totalLength + output.size() > BREAK_LENGTH) {
      return false;
    }
    for (String s : output) {
      totalLength += s.length();
      if (totalLength > BREAK_LENGTH) {
        return false;
      }
    }
    return true;
  }

  /** Node's groupArrayElements: lays many short items out in aligned columns. */
  private List<String> groupArrayElements(List<String> output, boolean numeric) {
    int totalLength = 0;
    int maxLength = 0;
    int outputLength = output.size() - (output.size() > MAX_ARRAY_LENGTH ? 1 : 0);
    int separatorSpace = 2;
    int[] dataLen = new int[outputLength];
    for (int i = 0; i < outputLength; i++) {
      int len = output.get(i).length();
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      maxLength = Math.max(maxLength, len);
    }
    int actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + indentationLvl >= BREAK_LENGTH
        || ((double) totalLength / actualMax <= 5 && maxLength > 6)) {
      return output;
    }
    double averageBias = Math.sqrt(actualMax - (double) totalLength / output.size());
    double biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    int columns = Math.min(Math.min(
        (int) Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        (BREAK_LENGTH - indentationLvl) / actualMax), Math.min(COMPACT * 4, 15));
    if (columns <= 1) {
      return output;
    }
    int[] maxLineLength = new int[columns];
    for (int i = 0; i < columns; i++) {
      int lineMaxLength = 0;
      for (int j = i; j < outputLength; j += columns) {
        lineMaxLength = Math.max(lineMaxLength, dataLen[j]);
      }
      maxLineLength[i] = lineMaxLength + separatorSpace;
    }
    List<String> tmp = new ArrayList<>();
    for (int i = 0; i < outputLength; i += columns) {
      int max = Math.min(i + columns, outputLength);
      StringBuilder str = new StringBuilder();
      int j = i;
      for (; j < max - 1; j++) {
        str.append(pad(output.get(j) + ", ", maxLineLength[j - i], numeric));
      }
      str.append(numeric ? pad(output.get(j), maxLineLength[j - i] - separatorSpace, true) : output.get(j));
      tmp.add(str.toString());
    }
    if (output.size() > MAX_ARRAY_LENGTH) {
      tmp.add(output.get(outputLength));
    }
    return tmp;
  }

  private static String pad(String s, int width, boolean start) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return start ? fill + s : s + fill;
  }

  private static String remainingText(int remaining) {
    return "... " + remaining + " more item" + (remaining > 1 ? "s" : "");
  }

  /** A string inside a container: quoted as Node quotes it (single quotes unless the text has some). */
  private String formatString(String value) {
    if (value.length() > MIN_LINE_LENGTH && value.length() > BREAK_LENGTH - indentationLvl - 4) {
      List<String> parts = new ArrayList<>();
      for (String line : value.split("(?<=\n)")) {
        parts.add(strEscape(line));
      }
      return String.join(" +\n" + " ".repeat(indentationLvl + 2), parts);
    }
    return strEscape(value);
  }

  private static String strEscape(String s) {
    char quote = '\'';
    if (s.indexOf('\'') >= 0) {
      quote = s.indexOf('"') < 0 ? '"' : s.indexOf('`') < 0 && !s.contains("${") ? '`' : '\'';
    }
    StringBuilder sb = new StringBuilder().append(quote);
    for (char c : s.toCharArray()) {
      sb.append(c == quote || c == '\\' ? "\\" + c : c < 0x20 || (c > 0x7e && c < 0xa0) ? control(c) : c);
    }
    return sb.append(quote).toString();
  }

  private static String control(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\r' -> "\\r";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      default -> String.format("\\x%02X", (int) c);
    };
  }

  /** An error as Node prints it: {@code Name: message} and its stack (here: the frames of the tour's code). */
  private String formatError(Throwable t) {
    StringBuilder sb = new StringBuilder(jsName(t));
    if (t.getMessage() != null) {
      sb.append(": ").append(t.getMessage());
    }
    Arrays.stream(t.getStackTrace())
        .filter(f -> f.getClassName().startsWith(Inspect.class.getPackageName()))
        .limit(MAX_STACK_FRAMES)
        .forEach(f -> sb.append('\n').append(" ".repeat(indentationLvl)).append("    at ").append(f));
    return sb.toString();
  }

  private static String jsName(Throwable t) {
    Class<?> c = t.getClass();
    return c == RuntimeException.class || c == Exception.class ? "Error" : c.getSimpleName();
  }

  private static List<Object> ints(Int32Array a) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < Math.min(a.length(), MAX_ARRAY_LENGTH + 1); i++) {
      values.add(a.get(i));
    }
    return values;
  }

  private static List<@Nullable Object> arrayElements(Object array) {
    int n = java.lang.reflect.Array.getLength(array);
    List<@Nullable Object> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(java.lang.reflect.Array.get(array, i));
    }
    return values;
  }

  private static List<Map.Entry<String, @Nullable Object>> entries(Map<?, ?> m) {
    List<Map.Entry<String, @Nullable Object>> entries = new ArrayList<>();
    m.forEach((k, v) -> entries.add(new java.util.AbstractMap.SimpleEntry<>(String.valueOf(k), v)));
    return entries;
  }

  private static List<Map.Entry<String, @Nullable Object>> entries(Record r) {
    List<Map.Entry<String, @Nullable Object>> entries = new ArrayList<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      entries.add(new java.util.AbstractMap.SimpleEntry<>(c.getName(), component(r, c)));
    }
    return entries;
  }

  private static @Nullable Object component(Record r, RecordComponent c) {
    try {
      var accessor = c.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
    }
  }
}

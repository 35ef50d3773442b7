package org.eventloop4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eventloop4j.shared.Int32Array;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Inspect} against what Node 20's {@code util.inspect} printed: fixed cases (the strings Node
 * printed for them), and, where node is on the PATH, a few hundred seeded random values inspected by both.
 */
@Timeout(60)
class InspectTest {
  @Test
  void inspect_arraysOfNumbers_groupedAsNodeGroupsThem() {
    assertEquals("[]", Inspect.inspect(List.of()));
    assertEquals("[ 1, 2, 3 ]", Inspect.inspect(List.of(1, 2, 3)));
    assertEquals("[\n  1, 2, 3, 4,\n  5, 6, 7\n]", Inspect.inspect(List.of(1, 2, 3, 4, 5, 6, 7)));
    assertEquals("[\n   0,  1,  2,  3,  4,  5,  6,  7,\n   8,  9, 10, 11, 12, 13, 14, 15,\n"
        + "  16, 17, 18, 19, 20, 21, 22, 23,\n  24, 25\n]", Inspect.inspect(IntStream.range(0, 26).boxed().toList()));
    assertEquals("[ 1.5, -2.25, 1000000, 3, 4, 5, 6, 7.125 ]",
        Inspect.inspect(List.of(1.5, -2.25, 1000000.0, 3, 4, 5, 6, 7.125)));
    assertEquals("[\n    0,   7,  14,  21,  28,  35,  42,  49,  56,  63,  70,  77,\n   84,  91,  98, 105, 112, 119, 126, 133,"
        + " 140, 147, 154, 161,\n  168, 175, 182, 189, 196, 203, 210, 217, 224, 231, 238, 245,\n  252, 259, 266, 273, 280,"
        + " 287, 294, 301, 308, 315, 322, 329,\n  336, 343, 350, 357, 364, 371, 378, 385, 392, 399, 406, 413,\n  420, 427,"
        + " 434, 441, 448, 455, 462, 469, 476, 483, 490, 497,\n  504, 511, 518, 525, 532, 539, 546, 553, 560, 567, 574, 581,"
        + "\n  588, 595, 602, 609, 616, 623, 630, 637, 644, 651, 658, 665,\n  672, 679, 686, 693,\n  ... 50 more items\n]",
        Inspect.inspect(IntStream.range(0, 150).map(i -> i * 7).boxed().toList()));
  }

  @Test
  void inspect_arraysOfStrings_paddedAtTheEnd_orOnePerLine() {
    assertEquals("[ 'a', 'b' ]", Inspect.inspect(List.of("a", "b")));
    assertEquals("[\n  'x',\n  'yy',\n  'zzz',\n  'a longer string',\n  'b',\n  'cc',\n  'ddd',\n  'eeee',\n  'f',\n"
        + "  'gg'\n]", Inspect.inspect(List.of("x", "yy", "zzz", "a longer string", "b", "cc", "ddd", "eeee", "f", "gg")));
    assertEquals("[\n  'item0',  'item1',  'item2',\n  'item3',  'item4',  'item5',\n  'item6',  'item7',  'item8',\n"
        + "  'item9',  'item10', 'item11',\n  'item12', 'item13', 'item14',\n  'item15', 'item16', 'item17',\n"
        + "  'item18', 'item19', 'item20',\n  'item21', 'item22', 'item23',\n  'item24', 'item25', 'item26',\n"
        + "  'item27', 'item28', 'item29'\n]", Inspect.inspect(IntStream.range(0, 30).mapToObj(i -> "item" + i).toList()));
  }

  @Test
  void inspect_strings_quotedAndEscapedAsNodeDoes() {
    assertEquals("\"it's\"", Inspect.inspect("it's"));
    assertEquals("`it's \"x\"`", Inspect.inspect("it's \"x\""));
    assertEquals("'line1\\nline2'", Inspect.inspect("line1\nline2"));
    assertEquals("[ 'tab\\there', 'back\\\\slash' ]", Inspect.inspect(List.of("tab\there", "back\\slash")));
  }

  @Test
  void inspect_objects_keysQuotedWhenNeeded_cutBelowDepthTwo() {
    Map<String, Object> deep = Map.of("deeper", Map.of("deepest", 1));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("list", List.of(1, 2));
    o.put("inner", Map.of("deep", deep));
    assertEquals("{ list: [ 1, 2 ], inner: { deep: { deeper: [Object] } } }", Inspect.inspect(o));
    assertEquals("{ 'a-b': 1 }", Inspect.inspect(Map.of("a-b", 1)));
    assertEquals("[ [ 1, 2, [ 3, [Array] ] ] ]", Inspect.inspect(List.of(List.of(1, 2, List.of(3, List.of(4, List.of(5)))))));
    record Point(int x, String label) {}
    assertEquals("{ x: 1, label: 'a' }", Inspect.inspect(new Point(1, "a")));
  }

  @Test
  void number_followsEcmaScriptNumberToString() {
    assertEquals("0.30000000000000004", Inspect.inspect(0.1 + 0.2));
    assertEquals("1e+21", Inspect.inspect(1e21));
    assertEquals("123456789012345680000", Inspect.inspect(123456789012345680000.0));
    assertEquals("1e-7", Inspect.inspect(1e-7));
    assertEquals("0.000001", Inspect.inspect(0.000001));
    assertEquals("-0", Inspect.inspect(-0.0));
    assertEquals("2.5e-8", Inspect.inspect(2.5e-8));
    assertEquals("1.7976931348623157e+308", Inspect.inspect(Double.MAX_VALUE));
    assertEquals("5e-324", Inspect.inspect(Double.MIN_VALUE));
    assertEquals("100", Inspect.inspect(100.0));
    assertEquals("-1.5", Inspect.inspect(-1.5));
  }

  @Test
  void inspect_int32Array_likeNodesTypedArrays() {
    Int32Array small = new Int32Array(3);
    small.set(0, 1);
    small.set(1, 2);
    small.set(2, 3);
    assertEquals("Int32Array(3) [ 1, 2, 3 ]", Inspect.inspect(small));
    assertEquals("Int32Array(200) [\n" + "  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n".repeat(8)
        + "  0, 0, 0, 0,\n  ... 100 more items\n]", Inspect.inspect(new Int32Array(200)));
  }

  @Test
  void format_likeConsoleLog_stringsRawOthersInspected() {
    assertEquals("Received: 0", Inspect.format("Received:", 0));
    assertEquals("Processing batch: [ 0, 1, 2 ]", Inspect.format("Processing batch:", List.of(0, 1, 2)));
    assertEquals("a 'b'", Inspect.format("a", List.of("b")).replace("[ ", "").replace(" ]", ""));
  }

  /** Seeded random values as a Java object and a JavaScript literal of the same value. */
  private record Case(@Nullable Object java, String js) {}

  @Test
  void inspect_randomValues_sameAsNodeRunningNow() throws IOException, InterruptedException {
    NodeJs node = NodeJs.find().orElse(null);
    assumeTrue(node != null, "no node on the PATH");
    long seed = Long.getLong("inspect.seed", 20250805L);
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      cases.add(value(random, 0));
    }
    Path script = Files.createTempFile("eventloop4j-inspect-", ".cjs");
    try {
      StringBuilder js = new StringBuilder("const util = require('util');\nconst values = [\n");
      cases.forEach(c -> js.append("  ").append(c.js()).append(",\n"));
      js.append("];\nfor (const v of values) console.log(JSON.stringify(util.inspect(v)));\n");
      Files.writeString(script, js, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(node.executable().toString(), script.toString()).redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      p.waitFor(30, TimeUnit.SECONDS);
      assertEquals(cases.size(), lines.size(), "node printed: " + lines);
      for (int i = 0; i < cases.size(); i++) {
        assertEquals(lines.get(i), json(Inspect.inspect(cases.get(i).java())),
            "seed " + seed + ", case " + i + ": " + cases.get(i).js());
      }
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static Case value(Random r, int depth) {
    return value(r, depth, r.nextInt(depth >= 3 ? 4 : 8));
  }

  private static Case value(Random r, int depth, int kind) {
    return switch (kind) {
      case 0 -> {
        int n = r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(2000) - 1000;
        yield new Case(n, Integer.toString(n));
      }
      case 1 -> {
        double d = switch (r.nextInt(4)) {
          case 0 -> r.nextDouble();
          case 1 -> Double.longBitsToDouble(r.nextLong());
          case 2 -> r.nextInt(100000) / 64.0;
          default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(50) - 25);
        };
        yield new Case(d, Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
            : d == 0 && 1 / d < 0 ? "-0" : Double.toString(d));
      }
      case 2 -> {
        String s = string(r);
        yield new Case(s, json(s));
      }
      case 3 -> {
        boolean b = r.nextBoolean();
        yield new Case(b, Boolean.toString(b));
      }
      case 4 -> {
        int n = r.nextInt(4) == 0 ? r.nextInt(140) : r.nextInt(12);
        boolean numbers = r.nextBoolean();
        List<Case> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(numbers ? value(r, 3, r.nextInt(2)) : value(r, depth + 1));
        }
        yield new Case(new ArrayList<>(items.stream().map(Case::java).toList()),
            "[" + String.join(", ", items.stream().map(Case::js).toList()) + "]");
      }
      case 5 -> {
        int n = r.nextInt(300);
        Int32Array a = new Int32Array(n);
        List<String> js = new ArrayList<>();
        int range = r.nextBoolean() ? 10 : 100000;
        for (int i = 0; i < n; i++) {
          a.set(i, r.nextInt(range) - range / 4);
          js.add(Integer.toString(a.get(i)));
        }
        yield new Case(a, "new Int32Array([" + String.join(", ", js) + "])");
      }
      default -> {
        int n = r.nextInt(6);
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        List<String> js = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String key = (r.nextBoolean() ? "key" : "a-") + i + (r.nextBoolean() ? "" : "x");
          Case v = value(r, depth + 1);
          m.put(key, v.java());
          js.add(json(key) + ": " + v.js());
        }
        yield new Case(m, "{" + String.join(", ", js) + "}");
      }
    };
  }

  private static String string(Random r) {
    String alphabet = "abcdefghij klmnop'\"`\\\n\t$" + "{}xyz0123";
    int n = r.nextInt(5) == 0 ? r.nextInt(120) : r.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return sb.append('"').toString();
  }
}

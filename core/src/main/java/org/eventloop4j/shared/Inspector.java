package org.eventloop4j.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * Node's {@code util.inspect} layout of a typed array at top level ({@code console.log(view)}): default
 * options (breakLength 80, compact 3, at most 100 elements, no colours).
 */
final class Inspector {
  /*
   * Overview: a port of reduceToSingleString, isBelowBreakLength and groupArrayElements of Node 20's
   * lib/internal/util/inspect.js, restricted to what a typed array at indentation 0 needs: more than six
   * entries are grouped into aligned columns (numbers are right-aligned); ungrouped entries go on one line
   * when they fit in breakLength, else one per line. Tests: SharedDifferentialCorpusTest (inspect ops
   * against Node's output), SharedDifferentialRegressionTest.
   */
  private static final int BREAK_LENGTH = 80;
  private static final int COMPACT = 3;
  private static final int SEPARATOR_SPACE = 2;

  private Inspector() {}

  /**
   * Lays out {@code output} (formatted elements, then the "... n more items" entry if {@code more}) after
   * {@code open} (e.g. {@code "Int32Array(3) ["}).
   */
  static String typedArray(String open, List<String> output, boolean more) {
    if (output.isEmpty()) {
      return open + "]";
    }
    int entries = output.size();
    List<String> lines = entries > 6 ? group(output, more) : output;
    if (entries == lines.size() && belowBreakLength(output, output.size() + open.length() + 10)) {
      return open + " " + String.join(", ", output) + " ]";
    }
    return open + "\n  " + String.join(",\n  ", lines) + "\n]";
  }

  private static boolean belowBreakLength(List<String> output, int start) {
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

  private static List<String> group(List<String> output, boolean more) {
    int outputLength = more ? output.size() - 1 : output.size();
    int[] dataLen = new int[outputLength];
    int totalLength = 0;
    int maxLength = 0;
    for (int i = 0; i < outputLength; i++) {
      int len = output.get(i).length();
      dataLen[i] = len;
      totalLength += len + SEPARATOR_SPACE;
      maxLength = Math.max(maxLength, len);
    }
    int actualMax = maxLength + SEPARATOR_SPACE;
    if (actualMax * 3 >= BREAK_LENGTH || ((double) totalLength / actualMax <= 5 && maxLength > 6)) {
      return output;
    }
    double averageBias = Math.sqrt(actualMax - (double) totalLength / output.size());
    double biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    long columns = Math.min(Math.min(Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        BREAK_LENGTH / actualMax), Math.min(COMPACT * 4, 15));
    if (columns <= 1) {
      return output;
    }
    int cols = (int) columns;
    int[] maxLineLength = new int[cols];
    for (int i = 0; i < cols; i++) {
      int lineLength = 0;
      for (int j = i; j < outputLength; j += cols) {
        lineLength = Math.max(lineLength, dataLen[j]);
      }
      maxLineLength[i] = lineLength + SEPARATOR_SPACE;
    }
    List<String> tmp = new ArrayList<>();
    for (int i = 0; i < outputLength; i += cols) {
      int max = Math.min(i + cols, outputLength);
      StringBuilder str = new StringBuilder();
      int j = i;
      for (; j < max - 1; j++) {
        padStart(str, output.get(j) + ", ", maxLineLength[j - i]);
      }
      padStart(str, output.get(j), maxLineLength[j - i] - SEPARATOR_SPACE);
      tmp.add(str.toString());
    }
    if (more) {
      tmp.add(output.get(outputLength));
    }
    return tmp;
  }

  private static void padStart(StringBuilder sb, String s, int width) {
    sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
  }
}

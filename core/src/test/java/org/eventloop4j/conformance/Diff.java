package org.eventloop4j.conformance;

import java.util.List;

/** A line diff (longest common subsequence) for failure messages: "  " same, "- " expected only, "+ " actual only. */
final class Diff {
  private Diff() {}

  static String of(List<String> expected, List<String> actual) {
    int n = expected.size();
    int m = actual.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
        out.append("    ").append(expected.get(i++)).append('\n');
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.append("  + ").append(actual.get(j++)).append('\n');
      } else {
        out.append("  - ").append(expected.get(i++)).append('\n');
      }
    }
    return out.toString();
  }
}

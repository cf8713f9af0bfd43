package io.camflow.ingest.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for a misspelt key: same letters in another case or style, or a typo or two
 * away.
 */
final class KeySuggestion {

  private KeySuggestion() {}

  static Optional<String> closest(String unknown, Collection<String> known) {
    String u = normalize(unknown);
    for (String k : known) {
      if (normalize(k).equals(u)) {
        return Optional.of(k);
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(u, normalize(k));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = u.length() <= 4 ? 1 : 2;
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** {@code idle_grace}, {@code idle-grace} and {@code IdleGrace} all read as {@code idlegrace}. */
  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[-_.\\s]", "");
  }

  /** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}

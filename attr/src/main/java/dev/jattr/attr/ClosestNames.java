package dev.jattr.attr;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known name closest to a misspelt one, for "did you mean" hints in error messages. */
public final class ClosestNames {
    private ClosestNames() {}

    /**
     * The name in {@code known} closest to {@code wanted} by edit distance, ignoring case, when it
     * is close enough to be a misspelling (at most a third of its length, at least 2, differs).
     */
    public static Optional<String> closest(String wanted, Collection<String> known) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance || d == bestDistance && best != null && k.compareTo(best) < 0) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) && !w.isEmpty() ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} for the closest name, or "" when none is close. */
    public static String didYouMean(String wanted, Collection<String> known) {
        return closest(wanted, known).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    /**
     * Levenshtein distance, with a transposition of neighbours counting as one edit
     * ({@link Integer#MAX_VALUE} when the lengths differ by more than 64).
     */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 64) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX TfIdfVectorizer over integer tokens: counts, per row of X ([C] or [N, C]), the occurrences
 * of the pool's n-grams of lengths minGram to maxGram, where an n-gram may skip up to maxSkip
 * tokens between its items (the same number between each pair), and weights the counts as term
 * frequency, inverse document frequency or both. It has no gradient.
 *
 * @param minGram      the shortest n-gram counted
 * @param maxGram      the longest n-gram counted
 * @param maxSkip      the most tokens skipped between an n-gram's items
 * @param mode         the weighting
 * @param pool         the n-grams, concatenated and ordered by length
 * @param ngramCounts  where the n-grams of length i + 1 start in the pool
 * @param ngramIndexes the output column of each n-gram of the pool, in pool order
 * @param weights      each n-gram's weight (empty: 1)
 */
public record TfIdfVectorizer(int minGram, int maxGram, int maxSkip, Mode mode, long[] pool, int[] ngramCounts,
        int[] ngramIndexes, float[] weights) implements Op {
    /** The weighting of the counts. */
    public enum Mode {
        /** The count. */
        TF,
        /** The weight where the count is positive. */
        IDF,
        /** The count times the weight. */
        TFIDF
    }

    /** Copies the arrays and checks the pool's layout. */
    public TfIdfVectorizer {
        pool = pool.clone();
        ngramCounts = ngramCounts.clone();
        ngramIndexes = ngramIndexes.clone();
        weights = weights.clone();
        if (minGram < 1 || maxGram < minGram || maxSkip < 0) {
            throw new IllegalArgumentException("TfIdfVectorizer: gram lengths " + minGram + ".." + maxGram + " and skip "
                    + maxSkip + " are invalid");
        }
        if (weights.length != 0 && weights.length != ngramIndexes.length) {
            throw new IllegalArgumentException("TfIdfVectorizer: " + weights.length + " weights for " + ngramIndexes.length + " n-grams");
        }
    }

    @Override
    public String type() {
        return "TfIdfVectorizer";
    }

    /** The pool's n-grams of each length, mapped to their number in pool order. */
    private Map<Integer, Map<List<Long>, Integer>> lookup() {
        Map<Integer, Map<List<Long>, Integer>> byLength = new HashMap<>();
        int number = 0;
        for (int g = 0; g < ngramCounts.length; g++) {
            int n = g + 1, end = g + 1 < ngramCounts.length ? ngramCounts[g + 1] : pool.length;
            for (int at = ngramCounts[g]; at + n <= end; at += n) {
                Long[] items = new Long[n];
                for (int j = 0; j < n; j++) {
                    items[j] = pool[at + j];
                }
                if (number >= ngramIndexes.length) {
                    throw new IllegalArgumentException("TfIdfVectorizer: the pool holds more n-grams than ngram_indexes");
                }
                byLength.computeIfAbsent(n, k -> new HashMap<>()).put(List.of(items), number++);
            }
        }
        return byLength;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() != 1 && x.rank() != 2) {
            throw new IllegalArgumentException("TfIdfVectorizer needs a [C] or [N, C] input, got " + Arrays.toString(x.shape()));
        }
        int rows = x.rank() == 1 ? 1 : x.dim(0), c = x.dim(-1);
        int width = Arrays.stream(ngramIndexes).max().orElse(-1) + 1;
        Map<Integer, Map<List<Long>, Integer>> byLength = lookup();
        float[] y = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int[] counts = new int[ngramIndexes.length];
            for (int n = minGram; n <= maxGram; n++) {
                Map<List<Long>, Integer> grams = byLength.getOrDefault(n, Map.of());
                for (int skip = 0; skip <= (n == 1 ? 0 : maxSkip); skip++) {
                    int step = skip + 1;
                    for (int start = 0; start + (n - 1) * step < c; start++) {
                        Long[] items = new Long[n];
                        for (int j = 0; j < n; j++) {
                            items[j] = x.getLong(r * c + start + j * step);
                        }
                        Integer number = grams.get(List.of(items));
                        if (number != null) {
                            counts[number]++;
                        }
                    }
                }
            }
            for (int k = 0; k < counts.length; k++) {
                double w = weights.length == 0 ? 1 : weights[k];
                double v = switch (mode) {
                    case TF -> counts[k];
                    case IDF -> counts[k] > 0 ? w : 0;
                    case TFIDF -> counts[k] * w;
                };
                y[r * width + ngramIndexes[k]] += (float) v;
            }
        }
        return new Tensor[] {x.rank() == 1 ? Tensor.of(y, width) : Tensor.of(y, rows, width)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}

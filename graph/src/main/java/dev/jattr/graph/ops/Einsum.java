package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX Einsum: a sum of products over labelled dimensions, e.g. {@code bij,bjk->bik}. Supports
 * explicit and implicit outputs, an ellipsis broadcast across operands, repeated labels
 * (diagonals) and labels summed away. The VJP for operand i is itself an einsum: the output
 * gradient times the other operands, written into operand i's labels (a repeated label writes its
 * diagonal, a broadcast dimension accumulates).
 *
 * @param equation the equation as in the model
 */
public record Einsum(String equation) implements Op {
    @Override
    public String type() {
        return "Einsum";
    }

    /** The labels of every operand and the output (ellipsis dimensions get labels from 1000 up), and each label's size. */
    private record Spec(int[][] inputs, int[] output, TreeMap<Integer, Integer> sizes) {}

    private Spec parse(Tensor[] in) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != in.length) {
            throw new IllegalArgumentException("Einsum equation '" + equation + "' names " + terms.length + " operands, got "
                    + in.length);
        }
        int ell = 0;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i].contains("...")) {
                ell = Math.max(ell, in[i].rank() - (terms[i].length() - 3));
            }
        }
        int[][] inputs = new int[terms.length][];
        TreeMap<Integer, Integer> sizes = new TreeMap<>();
        for (int i = 0; i < terms.length; i++) {
            inputs[i] = labels(terms[i], in[i].rank(), ell);
            if (inputs[i].length != in[i].rank()) {
                throw new IllegalArgumentException("Einsum term '" + terms[i] + "' does not match operand " + i + " of shape "
                        + Arrays.toString(in[i].shape()));
            }
            for (int d = 0; d < inputs[i].length; d++) {
                int size = in[i].dim(d);
                Integer prev = sizes.get(inputs[i][d]);
                if (prev != null && prev != size && prev != 1 && size != 1) {
                    throw new IllegalArgumentException("Einsum label '" + name(inputs[i][d]) + "' has sizes " + prev + " and "
                            + size + " in '" + equation + "'");
                }
                sizes.put(inputs[i][d], prev == null || prev == 1 ? size : prev);
            }
        }
        int[] output;
        if (arrow >= 0) {
            String term = eq.substring(arrow + 2);
            output = labels(term, term.contains("...") ? ell + term.length() - 3 : term.length(), ell);
        } else {
            // Implicit output: the ellipsis, then the labels used exactly once, in alphabetical order.
            List<Integer> out = new ArrayList<>();
            for (int e = 0; e < ell; e++) {
                out.add(1000 + e);
            }
            TreeMap<Character, Integer> counts = new TreeMap<>();
            for (String t : terms) {
                for (char c : t.replace("...", "").toCharArray()) {
                    counts.merge(c, 1, Integer::sum);
                }
            }
            counts.forEach((c, n) -> {
                if (n == 1) {
                    out.add((int) c);
                }
            });
            output = out.stream().mapToInt(Integer::intValue).toArray();
        }
        Set<Integer> seen = new LinkedHashSet<>();
        for (int l : output) {
            if (!sizes.containsKey(l) || !seen.add(l)) {
                throw new IllegalArgumentException("Einsum output label '" + name(l) + "' is unknown or repeated in '"
                        + equation + "'");
            }
        }
        return new Spec(inputs, output, sizes);
    }

    /** The labels of one term for an operand of {@code rank}; an ellipsis stands for the last dims of the broadcast ellipsis. */
    private int[] labels(String term, int rank, int ell) {
        int dots = term.indexOf("...");
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < term.length(); i++) {
            if (i == dots) {
                int here = rank - (term.length() - 3);
                for (int e = ell - here; e < ell; e++) {
                    r.add(1000 + e);
                }
                i += 2;
            } else if (Character.isLetter(term.charAt(i))) {
                r.add((int) term.charAt(i));
            } else {
                throw new IllegalArgumentException("Einsum equation '" + equation + "' has an invalid character '"
                        + term.charAt(i) + "'");
            }
        }
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String name(int label) {
        return label >= 1000 ? "..." : String.valueOf((char) label);
    }

    /**
     * out[outLabels] += Π operands[labels] over every assignment of the labels: strides are summed
     * for a label repeated in one term, and 0 for a label absent from a term or broadcast from 1.
     */
    private static void contract(TreeMap<Integer, Integer> sizes, List<Tensor> ops, List<int[]> opLabels, double[] out,
            int[] outShape, int[] outLabels) {
        int[] labels = sizes.keySet().stream().mapToInt(Integer::intValue).toArray();
        int n = labels.length, k = ops.size();
        int[] dim = new int[n];
        int[][] stride = new int[k + 1][n];
        double[][] data = new double[k][];
        for (int j = 0; j < n; j++) {
            dim[j] = sizes.get(labels[j]);
        }
        for (int o = 0; o < k; o++) {
            data[o] = ops.get(o).toDoubles();
            strides(ops.get(o).shape(), opLabels.get(o), labels, stride[o]);
        }
        strides(outShape, outLabels, labels, stride[k]);
        long total = 1;
        for (int d : dim) {
            total *= d;
        }
        int[] idx = new int[n], off = new int[k + 1];
        for (long it = 0; it < total; it++) {
            double p = 1;
            for (int o = 0; o < k; o++) {
                p *= data[o][off[o]];
            }
            out[off[k]] += p;
            for (int j = n - 1; j >= 0; j--) {
                idx[j]++;
                for (int o = 0; o <= k; o++) {
                    off[o] += stride[o][j];
                }
                if (idx[j] < dim[j]) {
                    break;
                }
                for (int o = 0; o <= k; o++) {
                    off[o] -= stride[o][j] * dim[j];
                }
                idx[j] = 0;
            }
        }
    }

    private static void strides(int[] shape, int[] termLabels, int[] labels, int[] into) {
        int[] st = Shapes.strides(shape);
        for (int d = 0; d < termLabels.length; d++) {
            if (shape[d] != 1) {
                into[Arrays.binarySearch(labels, termLabels[d])] += st[d];
            }
        }
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Linalg.requireFloating(in[0], "Einsum", "operand 0");
        Spec s = parse(in);
        int[] shape = Arrays.stream(s.output).map(s.sizes::get).toArray();
        double[] y = new double[Shapes.size(shape)];
        contract(s.sizes, List.of(in), List.of(s.inputs), y, shape, s.output);
        return new Tensor[] {Tensor.generate(in[0].dtype(), shape, i -> y[i])};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Spec s = parse(in);
        Tensor[] r = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            if (!wanted[i]) {
                continue;
            }
            List<Tensor> ops = new ArrayList<>(List.of(g[0]));
            List<int[]> labels = new ArrayList<>(List.<int[]>of(s.output));
            for (int o = 0; o < in.length; o++) {
                if (o != i) {
                    ops.add(in[o]);
                    labels.add(s.inputs[o]);
                }
            }
            double[] gi = new double[in[i].size()];
            contract(s.sizes, ops, labels, gi, in[i].shape(), s.inputs[i]);
            r[i] = Tensor.generate(in[i].dtype(), in[i].shape(), j -> gi[j]);
        }
        return r;
    }
}

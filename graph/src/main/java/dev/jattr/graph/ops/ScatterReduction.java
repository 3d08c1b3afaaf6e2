package dev.jattr.graph.ops;

import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * How ScatterElements and ScatterND combine an update with the element it lands on, with the
 * forward and the vector-Jacobian product of a scatter given, per update element, the flat data
 * index it lands on.
 */
public enum ScatterReduction {
    /** The update replaces the element (the last update wins). */
    NONE,
    /** Added. */
    ADD,
    /** Multiplied. */
    MUL,
    /** The larger stays. */
    MAX,
    /** The smaller stays. */
    MIN;

    /** The reduction named by ONNX's {@code reduction} attribute. */
    public static ScatterReduction parse(String s) {
        return switch (s) {
            case "none" -> NONE;
            case "add" -> ADD;
            case "mul" -> MUL;
            case "max" -> MAX;
            case "min" -> MIN;
            default -> throw new IllegalArgumentException("unknown scatter reduction '" + s + "'");
        };
    }

    private double combine(double a, double b) {
        return switch (this) {
            case NONE -> b;
            case ADD -> a + b;
            case MUL -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** The data with each update element {@code k} combined into element {@code pos[k]}. */
    Tensor scatter(Tensor data, Tensor updates, int[] pos) {
        if (updates.dtype() != data.dtype()) {
            throw new IllegalArgumentException("scatter updates are " + updates.dtype() + ", data " + data.dtype());
        }
        Tensor r = data.copy();
        for (int k = 0; k < pos.length; k++) {
            r.setDouble(pos[k], combine(r.getDouble(pos[k]), updates.getDouble(k)));
        }
        return r;
    }

    /** The gradients of data and updates given the output gradient {@code g}; either may be skipped (null) when not wanted. */
    Tensor[] backward(Tensor data, Tensor updates, int[] pos, Tensor g, boolean wantData, boolean wantUpdates) {
        Tensor gd = Tensor.zeros(g.dtype(), data.shape()), gu = Tensor.zeros(g.dtype(), updates.shape());
        int[] head = new int[data.size()], next = new int[pos.length];
        Arrays.fill(head, -1);
        for (int k = pos.length - 1; k >= 0; k--) {
            next[k] = head[pos[k]];
            head[pos[k]] = k;
        }
        Tensor out = scatter(data, updates, pos);
        for (int p = 0; p < head.length; p++) {
            double gp = g.getDouble(p);
            if (head[p] < 0) {
                gd.setDouble(p, gp);
                continue;
            }
            switch (this) {
                case NONE -> {
                    int last = head[p];
                    while (next[last] >= 0) {
                        last = next[last];
                    }
                    gu.setDouble(last, gp);
                }
                case ADD -> {
                    gd.setDouble(p, gp);
                    for (int k = head[p]; k >= 0; k = next[k]) {
                        gu.setDouble(k, gp);
                    }
                }
                case MUL -> {
                    double all = 1;
                    for (int k = head[p]; k >= 0; k = next[k]) {
                        all *= updates.getDouble(k);
                    }
                    gd.setDouble(p, gp * all);
                    for (int k = head[p]; k >= 0; k = next[k]) {
                        double others = data.getDouble(p);
                        for (int j = head[p]; j >= 0; j = next[j]) {
                            others *= j == k ? 1 : updates.getDouble(j);
                        }
                        gu.setDouble(k, gp * others);
                    }
                }
                case MAX, MIN -> {
                    double v = out.getDouble(p);
                    if (data.getDouble(p) == v) {
                        gd.setDouble(p, gp);
                    } else {
                        for (int k = head[p]; k >= 0; k = next[k]) {
                            if (updates.getDouble(k) == v) {
                                gu.setDouble(k, gp);
                                break;
                            }
                        }
                    }
                }
            }
        }
        return new Tensor[] {wantData ? gd : null, wantUpdates ? gu : null};
    }
}

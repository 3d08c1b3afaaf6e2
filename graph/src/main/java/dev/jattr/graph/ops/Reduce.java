package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX Reduce* ops. The axes come from the attribute (opsets before 18, ReduceSum before 13) or
 * from the optional second input (later opsets), which wins when present. With no axes the op
 * reduces every axis, or is the identity when {@code noopWithEmptyAxes}.
 *
 * @param kind              which reduction
 * @param axes              the attribute's axes (negative count from the end); empty when not given
 * @param keepdims          whether reduced axes stay as size-1 dimensions
 * @param noopWithEmptyAxes whether empty axes mean "reduce nothing"
 */
public record Reduce(ReduceKind kind, List<Integer> axes, boolean keepdims, boolean noopWithEmptyAxes) implements Op {
    /** Copies the axes. */
    public Reduce {
        axes = List.copyOf(axes);
    }

    @Override
    public String type() {
        return kind.onnxName();
    }

    /** Which axes of a rank-{@code rank} input the inputs select, or null for the identity. */
    private boolean[] reduced(Tensor[] in, int rank) {
        long[] ax = in.length > 1 && in[1] != null ? in[1].toLongs() : axes.stream().mapToLong(Integer::longValue).toArray();
        boolean[] r = new boolean[rank];
        if (ax.length == 0) {
            if (noopWithEmptyAxes) {
                return null;
            }
            Arrays.fill(r, true);
            return r;
        }
        for (long a : ax) {
            r[Shapes.axis((int) a, rank)] = true;
        }
        return r;
    }

    /** The input shape with reduced axes set to 1. */
    private static int[] kept(int[] s, boolean[] reduced) {
        int[] k = s.clone();
        for (int d = 0; d < s.length; d++) {
            if (reduced[d]) {
                k[d] = 1;
            }
        }
        return k;
    }

    private int[] outShape(int[] s, boolean[] reduced) {
        if (keepdims) {
            return kept(s, reduced);
        }
        return java.util.stream.IntStream.range(0, s.length).filter(d -> !reduced[d]).map(d -> s[d]).toArray();
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    /**
     * The input as [outer, mid, inner] with mid the reduced elements, when a float sum or mean
     * reduces one contiguous run of axes (size-1 axes count as either) of a non-empty input: the
     * backend's kernels then compute it. Null otherwise.
     */
    private AxisView kernelView(Tensor x, boolean[] red) {
        if (red == null || x.dtype() != DType.F32 || (kind != ReduceKind.SUM && kind != ReduceKind.MEAN) || x.size() == 0) {
            return null;
        }
        int[] s = x.shape();
        int first = -1, last = -1;
        for (int d = 0; d < s.length; d++) {
            if (red[d] && s[d] > 1) {
                first = first < 0 ? d : first;
                last = d;
            }
        }
        if (first < 0) {
            first = last = s.length;
        }
        int outer = 1, mid = 1, inner = 1;
        for (int d = 0; d < s.length; d++) {
            if (d < first) {
                outer *= s[d];
            } else if (d <= last) {
                if (!red[d] && s[d] > 1) {
                    return null;
                }
                mid *= s[d];
            } else {
                inner *= s[d];
            }
        }
        return new AxisView(outer, mid, inner);
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return in[0] != null && kernelView(in[0], reduced(in, in[0].rank())) != null;
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        if (in[0] == null || g[0] == null || g[0].dtype() != DType.F32) {
            return false;
        }
        AxisView v = kernelView(in[0], reduced(in, in[0].rank()));
        return v != null && v.inner() == 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        boolean[] red = reduced(in, x.rank());
        if (red == null) {
            return new Tensor[] {x};
        }
        AxisView v = kernelView(x, red);
        if (v != null) {
            Tensor y = Tensor.zeros(DType.F32, outShape(x.shape(), red));
            sumOnKernels(x.floats(), v, kind == ReduceKind.MEAN, y.floats());
            return new Tensor[] {y};
        }
        int[] keep = kept(x.shape(), red);
        double[] y = reduce(kind, x, keep, Broadcast.offsets(keep, x.shape()));
        return new Tensor[] {Tensor.generate(x.dtype(), outShape(x.shape(), red), i -> y[i])};
    }

    /**
     * y[o, i] = Σ_m x[o, m, i] over the view, divided by mid for a mean, on the backend's kernels; y
     * overwritten. Shared with {@link GlobalAveragePool}. The float quotient sum / mid is the
     * correctly rounded one, as (float) ((double) sum / mid) is: mid is exact in float.
     */
    static void sumOnKernels(float[] x, AxisView v, boolean mean, float[] y) {
        CurrentBackend.get().reduce().sumOverAxis(x, v, y);
        if (mean) {
            CurrentBackend.get().elementwise().binary(Arithmetic.DIV, y, new float[] {v.mid()}, false,
                    new AxisView(v.outer() * v.inner(), 1, 1), y);
        }
    }

    /**
     * The gradient of {@link #sumOnKernels} for a view with inner 1: each run of mid elements gets
     * its output's gradient (divided by mid for a mean), copied, as an x-shaped tensor. Shared
     * with {@link GlobalAveragePool}.
     */
    static Tensor spreadOnKernels(float[] gy, AxisView v, boolean mean, int[] xShape) {
        var e = CurrentBackend.get().elementwise();
        float[] t = gy;
        if (mean) {
            t = Tensor.zeros(DType.F32, v.outer()).floats();
            e.binary(Arithmetic.DIV, gy, new float[] {v.mid()}, false, new AxisView(v.outer(), 1, 1), t);
        }
        // each sum's gradient repeated along its axis: a copy whose rows have stride 0, in one
        // pass (not zeros plus a broadcast add)
        float[] gx = Tensor.empty(DType.F32, xShape).floats();
        CurrentBackend.get().copy().copy(t, 0, new int[] {1, 0}, new int[] {v.outer(), v.mid()}, gx, 0);
        return Tensor.of(gx, xShape);
    }

    /** The reduction of {@code x} into {@code keep}'s shape, element i of x going to group[i]. */
    static double[] reduce(ReduceKind kind, Tensor x, int[] keep, int[] group) {
        double[] acc = new double[Shapes.size(keep)];
        int[] count = new int[acc.length];
        double[] max = new double[acc.length];
        Arrays.fill(acc, switch (kind) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            case PROD -> 1;
            default -> 0;
        });
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < group.length; i++) {
            double v = x.getDouble(i);
            int gi = group[i];
            count[gi]++;
            switch (kind) {
                case SUM, MEAN, LOG_SUM -> acc[gi] += v;
                case MAX -> acc[gi] = Math.max(acc[gi], v);
                case MIN -> acc[gi] = Math.min(acc[gi], v);
                case PROD -> acc[gi] *= v;
                case L1 -> acc[gi] += Math.abs(v);
                case L2, SUM_SQUARE -> acc[gi] += v * v;
                case LOG_SUM_EXP -> max[gi] = Math.max(max[gi], v);
            }
        }
        if (kind == ReduceKind.LOG_SUM_EXP) {
            for (int i = 0; i < group.length; i++) {
                acc[group[i]] += Math.exp(x.getDouble(i) - max[group[i]]);
            }
        }
        for (int o = 0; o < acc.length; o++) {
            if (count[o] == 0) {
                acc[o] = kind.identity();
                continue;
            }
            acc[o] = switch (kind) {
                case MEAN -> acc[o] / count[o];
                case L2 -> Math.sqrt(acc[o]);
                case LOG_SUM -> Math.log(acc[o]);
                case LOG_SUM_EXP -> max[o] + Math.log(acc[o]);
                default -> acc[o];
            };
        }
        return acc;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], gy = g[0];
        boolean[] red = reduced(in, x.rank());
        if (red == null) {
            return new Tensor[] {gy, null};
        }
        AxisView v = kernelView(x, red);
        if (v != null && v.inner() == 1 && gy.dtype() == DType.F32) {
            return new Tensor[] {spreadOnKernels(gy.floats(), v, kind == ReduceKind.MEAN, x.shape()), null};
        }
        int[] keep = kept(x.shape(), red);
        int[] group = Broadcast.offsets(keep, x.shape());
        double[] y = reduce(kind, x, keep, group);
        return new Tensor[] {gradient(kind, x, y, gy, group), null};
    }

    /** ∂/∂x of Σ gy·reduce(x) given y = reduce(x), both laid out by group. */
    static Tensor gradient(ReduceKind kind, Tensor x, double[] y, Tensor gy, int[] group) {
        int[] count = new int[y.length], ties = new int[y.length], zeros = new int[y.length];
        double[] nonZeroProduct = new double[y.length];
        Arrays.fill(nonZeroProduct, 1);
        for (int i = 0; i < group.length; i++) {
            double v = x.getDouble(i);
            int gi = group[i];
            count[gi]++;
            if (v == y[gi]) {
                ties[gi]++;
            }
            if (v == 0) {
                zeros[gi]++;
            } else {
                nonZeroProduct[gi] *= v;
            }
        }
        return Tensor.generate(x.dtype(), x.shape(), i -> {
            int gi = group[i];
            double v = x.getDouble(i), yo = y[gi];
            double d = switch (kind) {
                case SUM -> 1;
                case MEAN -> 1.0 / count[gi];
                case MAX, MIN -> v == yo ? 1.0 / ties[gi] : 0; // ties share the gradient, as torch.amax does
                case PROD -> zeros[gi] == 0 ? nonZeroProduct[gi] / v : zeros[gi] == 1 && v == 0 ? nonZeroProduct[gi] : 0;
                case L1 -> Math.signum(v);
                case L2 -> yo == 0 ? 0 : v / yo;
                case LOG_SUM -> Math.exp(-yo);
                case LOG_SUM_EXP -> Math.exp(v - yo);
                case SUM_SQUARE -> 2 * v;
            };
            return gy.getDouble(gi) * d;
        });
    }
}

package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.GridSample;
import dev.jattr.graph.ops.MaxUnpool;
import dev.jattr.graph.ops.RoiAlign;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * GridSample with respect to the image and the grid, for every mode, padding and corner
 * alignment, at sampling points kept away from pixel centres and pixel edges (where bilinear and
 * nearest sampling have kinks or jumps); RoiAlign (average) with respect to the image, regions
 * partly outside it; MaxUnpool with respect to its values, with and without a larger output_shape.
 */
class SamplingGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(GridSample.Mode.values()),
                        Arbitraries.of(GridSample.Padding.values()), Arbitraries.of(false, true), Arbitraries.longs())
                .as((kind, mode, padding, flag, seed) -> {
                    Random r = new Random(seed);
                    Statistics.label("op").collect(kind == 0 ? "GridSample " + mode : kind == 1 ? "RoiAlign" : "MaxUnpool");
                    return switch (kind) {
                        case 0 -> gridSample(new GridSample(mode, padding, flag), r);
                        case 1 -> roiAlign(flag, r);
                        default -> maxUnpool(flag, r);
                    };
                });
    }

    private static Tensor uniform(int[] shape, Random r, double lo, double hi) {
        return Tensor.generate(DType.F64, shape, i -> lo + (hi - lo) * r.nextDouble());
    }

    private static OpCase gridSample(GridSample op, Random r) {
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(2), h = 2 + r.nextInt(3), w = 2 + r.nextInt(3);
        int ho = 1 + r.nextInt(3), wo = 1 + r.nextInt(3);
        Tensor grid = Tensor.zeros(DType.F64, n, ho, wo, 2);
        for (int i = 0; i < grid.size(); i++) {
            int size = i % 2 == 0 ? w : h;
            // A pixel coordinate in [−2, size + 1) whose fraction keeps 0.05 from integers and halves.
            double frac = 0.05 + 0.4 * r.nextDouble() + (r.nextBoolean() ? 0.5 : 0);
            double p = -2 + r.nextInt(size + 3) + frac;
            grid.setDouble(i, op.alignCorners() ? 2 * p / (size - 1) - 1 : (2 * p + 1) / size - 1);
        }
        return new OpCase(op, uniform(new int[] {n, c, h, w}, r, -2, 2), grid);
    }

    private static OpCase roiAlign(boolean halfPixel, Random r) {
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(2), h = 2 + r.nextInt(4), w = 2 + r.nextInt(4), regions = 1 + r.nextInt(3);
        Tensor rois = Tensor.zeros(DType.F64, regions, 4);
        long[] batch = new long[regions];
        for (int k = 0; k < regions; k++) {
            double x1 = -1 + r.nextDouble() * w, y1 = -1 + r.nextDouble() * h;
            rois.setDouble(4 * k, x1);
            rois.setDouble(4 * k + 1, y1);
            rois.setDouble(4 * k + 2, x1 + r.nextDouble() * w);
            rois.setDouble(4 * k + 3, y1 + r.nextDouble() * h);
            batch[k] = r.nextInt(n);
        }
        RoiAlign op = new RoiAlign(false, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(3), 0.5 + r.nextDouble(), halfPixel);
        return new OpCase(new WithConstants(op, rois, Tensor.of(batch, regions)), uniform(new int[] {n, c, h, w}, r, -2, 2));
    }

    private static OpCase maxUnpool(boolean larger, Random r) {
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(2), h = 1 + r.nextInt(3), w = 1 + r.nextInt(3);
        // Kernel 2, stride 2: each value goes to a position of its own 2×2 window.
        long[] idx = new long[n * c * h * w];
        for (int i = 0; i < idx.length; i++) {
            int plane = i / (h * w), y = i / w % h, x = i % w;
            idx[i] = (long) plane * 4 * h * w + (2L * y + r.nextInt(2)) * 2 * w + 2L * x + r.nextInt(2);
        }
        MaxUnpool op = new MaxUnpool(new int[] {2, 2}, new int[] {2, 2}, new int[0]);
        Tensor x = uniform(new int[] {n, c, h, w}, r, -2, 2), indices = Tensor.of(idx, n, c, h, w);
        return larger ? new OpCase(op, x, indices, Tensor.of(new long[] {n, c, 2L * h + 1, 2L * w + 2}, 4))
                : new OpCase(op, x, indices);
    }
}

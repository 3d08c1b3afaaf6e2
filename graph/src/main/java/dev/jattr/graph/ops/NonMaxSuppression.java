package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * ONNX NonMaxSuppression: per batch and class, greedily keeps the highest-scoring boxes whose
 * intersection over union with every box already kept is at most the IoU threshold, skipping
 * scores not above the score threshold, up to the given number per class. Inputs: boxes [B, N, 4],
 * scores [B, C, N], and the optional scalars max_output_boxes_per_class (absent: 0),
 * iou_threshold (absent: 0) and score_threshold. Output: int64 [selected, 3] rows of
 * (batch, class, box). It has no gradient.
 *
 * @param centerPointBox boxes are (x_center, y_center, width, height) rather than corners (y1, x1, y2, x2)
 */
public record NonMaxSuppression(boolean centerPointBox) implements Op {
    @Override
    public String type() {
        return "NonMaxSuppression";
    }

    private static Tensor optional(Tensor[] in, int i) {
        return in.length > i && in[i] != null && in[i].size() > 0 ? in[i] : null;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor boxes = in[0], scores = in[1];
        int batches = scores.dim(0), classes = scores.dim(1), n = scores.dim(2);
        if (boxes.rank() != 3 || boxes.dim(0) != batches || boxes.dim(1) != n || boxes.dim(2) != 4) {
            throw new IllegalArgumentException("NonMaxSuppression: boxes " + Arrays.toString(boxes.shape())
                    + " do not fit scores " + Arrays.toString(scores.shape()));
        }
        long limit = optional(in, 2) == null ? 0 : optional(in, 2).getLong(0);
        double iouMax = optional(in, 3) == null ? 0 : optional(in, 3).getDouble(0);
        Tensor st = optional(in, 4);
        List<long[]> selected = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            double[][] corners = new double[n][];
            for (int i = 0; i < n; i++) {
                corners[i] = corners(boxes, (b * n + i) * 4);
            }
            for (int c = 0; c < classes; c++) {
                int base = (b * classes + c) * n;
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (st == null || scores.getDouble(base + i) > st.getDouble(0)) {
                        candidates.add(i);
                    }
                }
                candidates.sort(Comparator.comparingDouble((Integer i) -> -scores.getDouble(base + i)));
                List<Integer> kept = new ArrayList<>();
                for (int i : candidates) {
                    if (kept.size() >= limit) {
                        break;
                    }
                    if (kept.stream().noneMatch(k -> iou(corners[k], corners[i]) > iouMax)) {
                        kept.add(i);
                        selected.add(new long[] {b, c, i});
                    }
                }
            }
        }
        long[] r = new long[selected.size() * 3];
        for (int k = 0; k < selected.size(); k++) {
            System.arraycopy(selected.get(k), 0, r, 3 * k, 3);
        }
        return new Tensor[] {Tensor.of(r, selected.size(), 3)};
    }

    /** (y1, x1, y2, x2) with y1 ≤ y2 and x1 ≤ x2. */
    private double[] corners(Tensor boxes, int at) {
        double a = boxes.getDouble(at), b = boxes.getDouble(at + 1), c = boxes.getDouble(at + 2), d = boxes.getDouble(at + 3);
        if (centerPointBox) {
            return new double[] {b - d / 2, a - c / 2, b + d / 2, a + c / 2};
        }
        return new double[] {Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)};
    }

    private static double iou(double[] p, double[] q) {
        double h = Math.min(p[2], q[2]) - Math.max(p[0], q[0]), w = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
        if (h <= 0 || w <= 0) {
            return 0;
        }
        double inter = h * w;
        double areaP = (p[2] - p[0]) * (p[3] - p[1]), areaQ = (q[2] - q[0]) * (q[3] - q[1]);
        double union = areaP + areaQ - inter;
        return areaP <= 0 || areaQ <= 0 || union <= 0 ? 0 : inter / union;
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}

package dev.jattr.graph.ops;

import dev.jattr.graph.NoGradientException;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX RoiAlign: for each region (x1, y1, x2, y2) of rois [R, 4] on image batch_indices[r] of
 * X [N, C, H, W], an [outH, outW] grid of bins, each the average (or the maximum) of bilinear
 * samples on a regular grid inside the bin. Sampling follows ONNX's reference: a sample more than
 * one pixel outside the image is 0, one less than that is clamped to the border. The average is
 * linear in X and differentiable with respect to it; the maximum declares no gradient.
 *
 * @param max           max rather than average pooling of the samples
 * @param outH          output height
 * @param outW          output width
 * @param samplingRatio samples per bin side (0: ceil of the bin size)
 * @param spatialScale  the factor from roi coordinates to X's pixels
 * @param halfPixel     shift coordinates by half a pixel ({@code half_pixel}); otherwise regions are at least 1×1
 */
public record RoiAlign(boolean max, int outH, int outW, int samplingRatio, double spatialScale, boolean halfPixel) implements Op {
    @Override
    public String type() {
        return "RoiAlign";
    }

    /** Visits the four bilinear taps of one sample: flat index into one image plane and weight. */
    private interface Taps {
        void sample(int[] index, double[] weight);
    }

    /** Calls {@code taps} for every sample of output bin (ph, pw) of region r; returns the number of samples. */
    private int samples(Tensor rois, int r, int h, int w, int ph, int pw, Taps taps) {
        double offset = halfPixel ? 0.5 : 0;
        double x0 = rois.getDouble(4 * r) * spatialScale - offset, y0 = rois.getDouble(4 * r + 1) * spatialScale - offset;
        double rw = rois.getDouble(4 * r + 2) * spatialScale - offset - x0, rh = rois.getDouble(4 * r + 3) * spatialScale - offset - y0;
        if (!halfPixel) {
            rw = Math.max(rw, 1);
            rh = Math.max(rh, 1);
        }
        double binH = rh / outH, binW = rw / outW;
        int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(rh / outH);
        int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(rw / outW);
        int[] index = new int[4];
        double[] weight = new double[4];
        for (int iy = 0; iy < gridH; iy++) {
            double y = y0 + ph * binH + (iy + 0.5) * binH / gridH;
            for (int ix = 0; ix < gridW; ix++) {
                double x = x0 + pw * binW + (ix + 0.5) * binW / gridW;
                if (y < -1 || y > h || x < -1 || x > w) {
                    Arrays.fill(weight, 0);
                    Arrays.fill(index, 0);
                } else {
                    double yc = Math.max(y, 0), xc = Math.max(x, 0);
                    int yl = (int) yc, xl = (int) xc, yh = yl + 1, xh = xl + 1;
                    if (yl >= h - 1) {
                        yl = yh = h - 1;
                        yc = yl;
                    }
                    if (xl >= w - 1) {
                        xl = xh = w - 1;
                        xc = xl;
                    }
                    double ly = yc - yl, lx = xc - xl;
                    index[0] = yl * w + xl;
                    index[1] = yl * w + xh;
                    index[2] = yh * w + xl;
                    index[3] = yh * w + xh;
                    weight[0] = (1 - ly) * (1 - lx);
                    weight[1] = (1 - ly) * lx;
                    weight[2] = ly * (1 - lx);
                    weight[3] = ly * lx;
                }
                taps.sample(index, weight);
            }
        }
        return Math.max(gridH * gridW, 1);
    }

    private static int batchOf(Tensor batchIndices, int r, int n) {
        long b = batchIndices.getLong(r);
        if (b < 0 || b >= n) {
            throw new IllegalArgumentException("RoiAlign: batch index " + b + " of region " + r + " is outside [0, " + n + ")");
        }
        return (int) b;
    }

    /** Visits one output bin: the flat offset of its image plane in X, its flat index in the output, its region and place. */
    private interface Bin {
        void at(int plane, int out, int r, int ph, int pw);
    }

    private void eachBin(Tensor x, Tensor rois, Tensor batchIndices, Bin bin) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), regions = rois.dim(0);
        for (int r = 0; r < regions; r++) {
            int b = batchOf(batchIndices, r, n);
            for (int ch = 0; ch < c; ch++) {
                for (int ph = 0; ph < outH; ph++) {
                    for (int pw = 0; pw < outW; pw++) {
                        bin.at((b * c + ch) * h * w, ((r * c + ch) * outH + ph) * outW + pw, r, ph, pw);
                    }
                }
            }
        }
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], rois = in[1];
        Linalg.requireFloating(x, type(), "input");
        int h = x.dim(2), w = x.dim(3);
        Tensor y = Tensor.zeros(x.dtype(), rois.dim(0), x.dim(1), outH, outW);
        eachBin(x, rois, in[2], (plane, out, r, ph, pw) -> {
            double[] acc = {0, Double.NEGATIVE_INFINITY};
            int count = samples(rois, r, h, w, ph, pw, (index, weight) -> {
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 4; k++) {
                    double v = weight[k] * x.getDouble(plane + index[k]);
                    acc[0] += v;
                    best = Math.max(best, v);
                }
                acc[1] = Math.max(acc[1], best);
            });
            y.setDouble(out, max ? acc[1] : acc[0] / count);
        });
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        if (max) {
            throw new NoGradientException("RoiAlign (mode max)");
        }
        Tensor x = in[0], rois = in[1];
        int h = x.dim(2), w = x.dim(3);
        double[] gx = new double[x.size()];
        eachBin(x, rois, in[2], (plane, o, r, ph, pw) -> {
            double gy = g[0].getDouble(o);
            // The sample count is known only after the walk: collect the taps, then scatter.
            List<double[]> taps = new ArrayList<>();
            int count = samples(rois, r, h, w, ph, pw, (index, weight) -> {
                for (int k = 0; k < 4; k++) {
                    taps.add(new double[] {plane + index[k], weight[k]});
                }
            });
            for (double[] t : taps) {
                gx[(int) t[0]] += gy * t[1] / count;
            }
        });
        return new Tensor[] {Tensor.of(gx, x.shape()).cast(x.dtype()), null, null};
    }

    @Override
    public boolean differentiable() {
        return !max;
    }
}

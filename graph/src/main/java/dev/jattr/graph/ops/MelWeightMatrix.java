package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX MelWeightMatrix: a [dft_length/2 + 1, num_mel_bins] matrix of triangular filters, peak 1,
 * spaced evenly on the mel scale mel(f) = 2595·log10(1 + f/700) between the lower and upper edge
 * frequencies, with the edges rounded down to DFT bins as ONNX's reference does. It has no gradient.
 *
 * @param dtype the output type
 */
public record MelWeightMatrix(DType dtype) implements Op {
    @Override
    public String type() {
        return "MelWeightMatrix";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int bins = (int) in[0].getLong(0);
        long dft = in[1].getLong(0), rate = in[2].getLong(0);
        double lowMel = mel(in[3].getDouble(0)), highMel = mel(in[4].getDouble(0));
        int rows = (int) (dft / 2 + 1);
        double step = (highMel - lowMel) / (bins + 2);
        int[] edge = new int[bins + 2];
        for (int i = 0; i < edge.length; i++) {
            double hz = 700 * (Math.pow(10, (i * step + lowMel) / 2595) - 1);
            edge[i] = (int) Math.floor((dft + 1) * hz / rate);
        }
        Tensor m = Tensor.zeros(dtype, rows, bins);
        for (int b = 0; b < bins; b++) {
            int lo = edge[b], mid = edge[b + 1], hi = edge[b + 2];
            if (mid == lo) {
                m.setDouble(mid * bins + b, 1);
            }
            for (int j = lo; j <= mid && mid > lo; j++) {
                m.setDouble(j * bins + b, (double) (j - lo) / (mid - lo));
            }
            for (int j = mid; j < hi; j++) {
                m.setDouble(j * bins + b, (double) (hi - j) / (hi - mid));
            }
        }
        return new Tensor[] {m};
    }

    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}

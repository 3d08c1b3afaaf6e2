package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX HannWindow, HammingWindow and BlackmanWindow: a 1-d window of the length given by the
 * scalar input. A periodic window of length L is the first L samples of the symmetric window of
 * length L + 1. It has no gradient (its input is an integer).
 *
 * @param kind     which window
 * @param periodic periodic (for spectral analysis) or symmetric
 * @param dtype    the output type
 */
public record SpectralWindow(Kind kind, boolean periodic, DType dtype) implements Op {
    /** The window shapes, as cosine sums a0 − a1·cos(2πn/N) + a2·cos(4πn/N). */
    public enum Kind {
        /** Hann: 0.5 − 0.5·cos. */
        HANN("HannWindow", 0.5, 0.5, 0),
        /** Hamming: 25/46 − 21/46·cos. */
        HAMMING("HammingWindow", 25.0 / 46, 21.0 / 46, 0),
        /** Blackman: 0.42 − 0.5·cos + 0.08·cos 2×. */
        BLACKMAN("BlackmanWindow", 0.42, 0.5, 0.08);

        private final String onnxName;
        private final double a0, a1, a2;

        Kind(String onnxName, double a0, double a1, double a2) {
            this.onnxName = onnxName;
            this.a0 = a0;
            this.a1 = a1;
            this.a2 = a2;
        }

        /** The ONNX op type. */
        public String onnxName() {
            return onnxName;
        }
    }

    @Override
    public String type() {
        return kind.onnxName;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        long size = in[0].getLong(0);
        if (size < 0) {
            throw new IllegalArgumentException(type() + ": size must not be negative, got " + size);
        }
        double period = periodic ? size : size - 1;
        return new Tensor[] {Tensor.generate(dtype, new int[] {(int) size}, n -> {
            double t = 2 * Math.PI * n / period;
            return kind.a0 - kind.a1 * Math.cos(t) + kind.a2 * Math.cos(2 * t);
        })};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}

package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;

/**
 * ONNX Sum, Mean, Min and Max over any number of broadcast operands: a left fold of the
 * matching {@link Binary} op (Mean then divides by the count), so the VJP is the fold's.
 *
 * @param kind which reduction across operands
 */
public record Variadic(Kind kind) implements Op {
    /** The variadic ops and the binary op each folds. */
    public enum Kind {
        /** Elementwise sum. */
        SUM("Sum", BinaryKind.ADD),
        /** Elementwise mean. */
        MEAN("Mean", BinaryKind.ADD),
        /** Elementwise minimum. */
        MIN("Min", BinaryKind.MIN),
        /** Elementwise maximum. */
        MAX("Max", BinaryKind.MAX);

        private final String onnxName;
        private final BinaryKind fold;

        Kind(String onnxName, BinaryKind fold) {
            this.onnxName = onnxName;
            this.fold = fold;
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

    /** acc[0] = x0, acc[k] = fold(acc[k−1], x_k). */
    private Tensor[] partials(Tensor[] in) {
        Binary step = new Binary(kind.fold);
        Tensor[] acc = new Tensor[in.length];
        acc[0] = in[0];
        for (int k = 1; k < in.length; k++) {
            acc[k] = step.forward(new Tensor[] {acc[k - 1], in[k]})[0];
        }
        return acc;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        if (in.length == 0) {
            throw new IllegalArgumentException(type() + " needs at least one input");
        }
        Tensor y = partials(in)[in.length - 1];
        if (kind == Kind.MEAN) {
            y = in.length == 1 ? y : Tensors.scale(y, 1.0 / in.length);
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Binary step = new Binary(kind.fold);
        Tensor[] acc = partials(in);
        Tensor ga = kind == Kind.MEAN ? Tensors.scale(g[0], 1.0 / in.length) : g[0];
        Tensor[] r = new Tensor[in.length];
        for (int k = in.length - 1; k >= 1; k--) {
            Tensor[] gk = step.backward(new Tensor[] {acc[k - 1], in[k]}, new Tensor[] {acc[k]}, new Tensor[] {ga},
                    new boolean[] {true, wanted[k]});
            r[k] = gk[1];
            ga = gk[0];
        }
        r[0] = wanted[0] ? Tensors.unbroadcast(ga, in[0].shape()) : null;
        return r;
    }
}

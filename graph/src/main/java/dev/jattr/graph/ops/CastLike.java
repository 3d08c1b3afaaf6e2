package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/** ONNX CastLike: converts the first input to the element type of the second. */
public record CastLike() implements Op {
    @Override
    public String type() {
        return "CastLike";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {Cast.convert(in[0], in[1].dtype(), Cast.Narrowing.NONE)};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return Cast.passBack(in, g, wanted);
    }
}

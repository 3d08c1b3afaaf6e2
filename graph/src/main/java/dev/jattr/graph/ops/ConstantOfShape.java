package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX ConstantOfShape: a tensor of the shape given by the input, every element {@code value}'s
 * single element, of its type. It has no gradient.
 *
 * @param value a one-element tensor (ONNX's default is a float32 zero)
 */
public record ConstantOfShape(Tensor value) implements Op {
    @Override
    public String type() {
        return "ConstantOfShape";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int[] shape = Shapes.allocatable(in[0].toLongs());
        return new Tensor[] {Tensor.full(value.dtype(), value.getDouble(0), shape)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}

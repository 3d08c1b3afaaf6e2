package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** ONNX Expand: broadcasts the input against the shape given as the second input (numpy rules, so the result may be larger than that shape). */
public record Expand() implements Rearrangement {
    @Override
    public String type() {
        return "Expand";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        long[] shape = in[1].toLongs();
        int[] to = Shapes.broadcast(in[0].shape(), Shapes.allocatable(shape));
        Shapes.allocatable(java.util.Arrays.stream(to).asLongStream().toArray());
        return IndexMap.broadcast(in[0].shape(), to);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }
}

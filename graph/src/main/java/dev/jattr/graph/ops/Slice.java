package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Slice (opset 10 form): inputs data, starts, ends, and optional axes and steps. Starts and
 * ends are clamped to the dimension as ONNX specifies; negative steps walk backwards.
 */
public record Slice() implements Rearrangement {
    @Override
    public String type() {
        return "Slice";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        return view(in).indexMap();
    }

    @Override
    public StridedView view(Tensor[] in) {
        int[] shape = in[0].shape();
        int rank = shape.length;
        long[] starts = in[1].toLongs(), ends = in[2].toLongs();
        long[] axes = in.length > 3 && in[3] != null ? in[3].toLongs() : null;
        long[] steps = in.length > 4 && in[4] != null ? in[4].toLongs() : null;
        if (ends.length != starts.length || axes != null && axes.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw new IllegalArgumentException("Slice starts, ends, axes and steps differ in length");
        }
        int[] st = Shapes.strides(shape);
        int[] outShape = shape.clone(), strides = st.clone();
        int offset = 0;
        for (int i = 0; i < starts.length; i++) {
            int a = Shapes.axis(axes == null ? i : (int) axes[i], rank);
            long dim = shape[a], step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new IllegalArgumentException("Slice step is 0 on axis " + a);
            }
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                s = Math.clamp(s, 0, dim);
                e = Math.clamp(e, 0, dim);
            } else {
                s = Math.clamp(s, 0, dim - 1);
                e = Math.clamp(e, -1, dim - 1);
            }
            long count = step > 0 ? Math.max(0, (e - s + step - 1) / step) : Math.max(0, (s - e - step - 1) / -step);
            outShape[a] = (int) count;
            strides[a] = (int) (st[a] * step);
            if (count > 0) {
                offset += (int) (s * st[a]);
            }
        }
        return new StridedView(outShape, offset, strides);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i >= 1;
    }
}

package dev.jattr.properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.graph.DType;
import dev.jattr.graph.NoGradientException;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.ColumnMajorIndices;
import dev.jattr.graph.ops.IsInf;
import dev.jattr.graph.ops.IsNaN;
import dev.jattr.graph.ops.MelWeightMatrix;
import dev.jattr.graph.ops.NonMaxSuppression;
import dev.jattr.graph.ops.RoiAlign;
import dev.jattr.graph.ops.SpectralWindow;
import dev.jattr.graph.ops.TfIdfVectorizer;
import dev.jattr.graph.ops.Unique;
import java.util.List;
import net.jqwik.api.Example;

/** Value tests, signal constants, index and counting ops and max-mode RoiAlign declare that they have no gradient. */
class MiscNoGradientProperties {
    @Example
    void valueTestsWindowsAndIndexOpsDeclareNoGradient() {
        List<Op> ops = List.of(new IsInf(true, true), new IsNaN(), new SpectralWindow(SpectralWindow.Kind.HANN, true, DType.F32),
                new MelWeightMatrix(DType.F32), new Unique(null, true), new NonMaxSuppression(false), new ColumnMajorIndices(),
                new RoiAlign(true, 1, 1, 0, 1, true), new TfIdfVectorizer(1, 1, 0, TfIdfVectorizer.Mode.TF, new long[] {1},
                        new int[] {0}, new int[] {0}, new float[0]));
        Tensor x = Tensor.of(new double[] {1, 2}, 2);
        for (Op op : ops) {
            assertFalse(op.differentiable(), op.type());
            assertThrows(NoGradientException.class, () -> op.backward(new Tensor[] {x}, new Tensor[] {x}, new Tensor[] {x},
                    new boolean[] {true}), op.type());
        }
    }
}

package dev.jattr.properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.graph.NoGradientException;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.ArgExtreme;
import dev.jattr.graph.ops.Compare;
import dev.jattr.graph.ops.CompareKind;
import dev.jattr.graph.ops.ConstantOfShape;
import dev.jattr.graph.ops.EyeLike;
import dev.jattr.graph.ops.Logic;
import dev.jattr.graph.ops.LogicKind;
import dev.jattr.graph.ops.NonZero;
import dev.jattr.graph.ops.Not;
import dev.jattr.graph.ops.Range;
import dev.jattr.graph.ops.Shape;
import dev.jattr.graph.ops.Size;
import java.util.List;
import net.jqwik.api.Example;

/** Ops whose outputs are integers, booleans or independent of the input values declare that they have no gradient. */
class NoGradientProperties {
    @Example
    void comparisonsLogicAndShapeOpsDeclareNoGradient() {
        List<Op> ops = List.of(new Compare(CompareKind.LESS), new Logic(LogicKind.XOR), new Not(), new Shape(0, Long.MAX_VALUE),
                new Size(), new ConstantOfShape(Tensor.scalar(1)), new Range(), new ArgExtreme(true, 0, true, false),
                new NonZero(), new EyeLike(null, 0));
        Tensor x = Tensor.of(new double[] {1, 2}, 2);
        for (Op op : ops) {
            assertFalse(op.differentiable(), op.type());
            assertThrows(NoGradientException.class, () -> op.backward(new Tensor[] {x}, new Tensor[] {x}, new Tensor[] {x},
                    new boolean[] {true}), op.type());
        }
    }
}

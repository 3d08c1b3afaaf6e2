package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * A Concat along the channel axis (axis 1) together with the convolutions that produce some of
 * its parts and that nothing else reads, fused by the plan ({@code Plan.fuseConcat}): the output
 * is allocated once and each convolution writes its channels into it as it computes them, so the
 * concatenation copies only the parts that are not convolutions (SqueezeNet's Fire modules join
 * two convolutions, ShuffleNet's units a convolution and an input). The plan fuses it only where
 * no gradient reaches it, so it has no backward pass. Inputs of another type, another axis or a
 * backend that keeps device copies run the parts one by one and then the Concat.
 *
 * @param concat the Concat
 * @param parts per part of the concatenation, in order: the {@link Conv} or {@link ConvActivation}
 *     computing it, or null for an input taken as it is
 * @param arity per part, how many of this node's inputs are that part's (its convolution's
 *     inputs, or the one input)
 */
public record ConcatOfConvs(Concat concat, List<Op> parts, List<Integer> arity) implements Op {
    /**
     * Checks that every part is a convolution, a fused one or an input, and that the arities
     * match the parts.
     *
     * @throws IllegalArgumentException when they do not
     */
    public ConcatOfConvs {
        parts = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parts));
        arity = List.copyOf(arity);
        if (parts.size() != arity.size()) {
            throw new IllegalArgumentException(parts.size() + " parts but " + arity.size() + " arities");
        }
        for (int i = 0; i < parts.size(); i++) {
            Op p = parts.get(i);
            if (p != null && !(p instanceof Conv) && !(p instanceof ConvActivation)) {
                throw new IllegalArgumentException("part " + i + " is a " + p.type() + ", not a convolution");
            }
            if (p == null && arity.get(i) != 1 || arity.get(i) < 1) {
                throw new IllegalArgumentException("part " + i + " has arity " + arity.get(i));
            }
        }
    }

    @Override
    public String type() {
        return "Conv→Concat";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        Tensor[] shapes = partShapes(split(in));
        if (shapes == null) {
            return null;
        }
        int rank = shapes[0].rank();
        int a = concat.axis() < 0 ? concat.axis() + rank : concat.axis();
        if (a < 0 || a >= rank) {
            return null;
        }
        int[] out = shapes[0].shape();
        for (int i = 1; i < shapes.length; i++) {
            if (shapes[i].rank() != rank) {
                return null;
            }
            out[a] += shapes[i].dim(a);
        }
        return new Tensor[] {Tensor.shapeOnly(shapes[0].dtype(), out)};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor[][] split = split(in);
        int[] shape = inPlaceShape(split);
        if (shape == null) {
            Tensor[] values = new Tensor[split.length];
            for (int i = 0; i < split.length; i++) {
                Op p = parts.get(i);
                values[i] = p == null ? split[i][0] : p.forward(split[i])[0];
            }
            return concat.forward(values);
        }
        Tensor y = Tensor.empty(DType.F32, shape); // the parts cover it
        int plane = Shapes.product(shape, 2, shape.length);
        int channel = 0;
        for (int i = 0; i < split.length; i++) {
            Op p = parts.get(i);
            int m;
            if (p instanceof ConvActivation ca) {
                ca.forwardInto(split[i], y, channel);
                m = split[i][1].dim(0);
            } else if (p instanceof Conv c) {
                c.forwardInto(split[i], null, 0f, 0f, y, channel);
                m = split[i][1].dim(0);
            } else {
                Tensor v = split[i][0];
                m = v.dim(1);
                Blocks.copyRows(v, 0, m * plane, y, channel * plane, shape[1] * plane, shape[0], m * plane);
            }
            channel += m;
        }
        return new Tensor[] {y};
    }

    /**
     * The output's shape when the parts can be written in place: float32 throughout, joined
     * along axis 1 of rank ≥ 3, agreeing in every other dimension, on a backend that keeps no
     * device copies; otherwise null.
     */
    private int[] inPlaceShape(Tensor[][] split) {
        if (CurrentBackend.get().keepsDeviceCopies()) {
            return null;
        }
        for (Tensor[] part : split) {
            if (!Tensors.allF32(part)) {
                return null;
            }
        }
        Tensor[] shapes = partShapes(split);
        if (shapes == null) {
            return null;
        }
        int[] shape = null;
        for (Tensor s : shapes) {
            if (s.rank() < 3) {
                return null;
            }
            int[] si = s.shape();
            if (shape == null) {
                if (concat.axis() != 1 && concat.axis() != 1 - si.length) {
                    return null;
                }
                shape = si;
            } else if (si.length != shape.length || si[0] != shape[0]
                    || !Arrays.equals(si, 2, si.length, shape, 2, shape.length)) {
                return null;
            } else {
                shape[1] += si[1];
            }
        }
        return shape;
    }

    /** Each part's value (its shape at least): the input as it is, or its convolution's output shape; null if one is unknown. */
    private Tensor[] partShapes(Tensor[][] split) {
        Tensor[] shapes = new Tensor[split.length];
        for (int i = 0; i < split.length; i++) {
            Op p = parts.get(i);
            shapes[i] = p == null ? split[i][0] : p.outputShapes(split[i])[0];
            if (shapes[i] == null) {
                return null;
            }
        }
        return shapes;
    }

    /** This node's inputs cut into each part's. */
    private Tensor[][] split(Tensor[] in) {
        Tensor[][] r = new Tensor[parts.size()][];
        int at = 0;
        for (int i = 0; i < r.length; i++) {
            int n = arity.get(i);
            r[i] = Arrays.copyOfRange(in, at, at + n);
            at += n;
        }
        return r;
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    /** No gradient: the plan fuses it only where none reaches it. */
    @Override
    public boolean differentiable() {
        return false;
    }
}

package dev.jattr.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Recurrent;
import dev.jattr.graph.ops.Recurrent.Cell;
import dev.jattr.graph.ops.Recurrent.Direction;
import dev.jattr.graph.ops.RnnActivation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * RNN, GRU and LSTM: backpropagation through time against finite differences for every cell,
 * direction and layout, with and without bias, sequence lengths, initial states, peepholes,
 * clipping, GRU's linear_before_reset, LSTM's input_forget and non-default activations; and a
 * bidirectional layer equals a forward and a reverse layer, the reverse one being a forward
 * layer run on each sequence reversed within its length.
 */
class RecurrentGradientProperties implements OpContract {
    private static final RnnActivation[] SMOOTH = {RnnActivation.Kind.TANH.withDefaults(),
            RnnActivation.Kind.SIGMOID.withDefaults(), RnnActivation.Kind.SOFTPLUS.withDefaults(),
            new RnnActivation(RnnActivation.Kind.SCALEDTANH, 1.5, 0.7), new RnnActivation(RnnActivation.Kind.AFFINE, 0.8, 0.1),
            RnnActivation.Kind.ELU.withDefaults()};

    @Override
    public Arbitrary<OpCase> cases() {
        return layers(Arbitraries.of(Direction.values()), Arbitraries.of(false, true));
    }

    /** Bidirectional layers in layout 0. */
    @Provide
    Arbitrary<OpCase> bidirectional() {
        return layers(Arbitraries.just(Direction.BIDIRECTIONAL), Arbitraries.just(false));
    }

    private static Arbitrary<OpCase> layers(Arbitrary<Direction> directions, Arbitrary<Boolean> layouts) {
        return Combinators.combine(Arbitraries.of(Cell.values()), directions, layouts, Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.integers().between(0, 31),
                        Arbitraries.longs())
                .as((cell, direction, batchFirst, variant, clip, optional, seed) -> {
                    Random r = new Random(seed);
                    Recurrent op = new Recurrent(cell, direction, 1 + r.nextInt(3), activations(cell, direction, r),
                            clip ? 1.5 : Double.POSITIVE_INFINITY, variant, variant, batchFirst);
                    Statistics.label("cell").collect(cell, direction);
                    return layer(op, 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(3), optional, r);
                });
    }

    private static List<RnnActivation> activations(Cell cell, Direction direction, Random r) {
        List<RnnActivation> a = new ArrayList<>();
        for (int d = 0; d < direction.count(); d++) {
            if (r.nextBoolean()) {
                a.addAll(cell.defaultActivations());
            } else {
                for (int k = 0; k < cell.activationCount(); k++) {
                    a.add(SMOOTH[r.nextInt(SMOOTH.length)]);
                }
            }
        }
        return a;
    }

    /** Inputs for {@code op}; bit k of {@code optional} gives optional input 3 + k (B, lens, h0, c0, P). */
    private static OpCase layer(Recurrent op, int t, int b, int i, int optional, Random r) {
        int h = op.hiddenSize(), g = op.cell().gates(), d = op.direction().count();
        boolean lstm = op.cell() == Cell.LSTM;
        Tensor[] in = new Tensor[lstm ? 8 : 6];
        in[0] = random(op.batchFirst() ? new int[] {b, t, i} : new int[] {t, b, i}, r);
        in[1] = random(new int[] {d, g * h, i}, r);
        in[2] = random(new int[] {d, g * h, h}, r);
        int[] state = op.batchFirst() ? new int[] {b, d, h} : new int[] {d, b, h};
        in[3] = (optional & 1) != 0 ? random(new int[] {d, 2 * g * h}, r) : null;
        if ((optional & 2) != 0) {
            int[] lens = new int[b];
            Arrays.setAll(lens, e -> 1 + r.nextInt(t));
            in[4] = Tensor.of(lens, b);
        }
        in[5] = (optional & 4) != 0 ? random(state, r) : null;
        if (lstm) {
            in[6] = (optional & 8) != 0 ? random(state, r) : null;
            in[7] = (optional & 16) != 0 ? random(new int[] {d, 3 * h}, r) : null;
        }
        return new OpCase(op, in);
    }

    private static Tensor random(int[] shape, Random r) {
        return Tensor.generate(DType.F64, shape, k -> r.nextDouble() * 2 - 1);
    }

    /** A bidirectional layer's two halves equal a forward layer and a reverse one computed on reversed sequences. */
    @Property(tries = 200)
    void bidirectionalIsForwardPlusReversedForward(@ForAll("bidirectional") OpCase c) {
        Recurrent op = (Recurrent) c.op();
        Tensor[] in = c.inputs();
        Tensor[] both = op.forward(in);
        int per = op.cell().activationCount();
        int t = in[0].dim(0), b = in[0].dim(1), h = op.hiddenSize();
        for (int dir = 0; dir < 2; dir++) {
            Recurrent half = new Recurrent(op.cell(), Direction.FORWARD, h, op.activations().subList(dir * per, (dir + 1) * per),
                    op.clip(), op.linearBeforeReset(), op.inputForget(), false);
            Tensor[] hin = new Tensor[in.length];
            for (int k = 1; k < in.length; k++) {
                hin[k] = in[k] == null || k == 4 ? in[k] : directionSlice(in[k], dir);
            }
            int[] lens = new int[b];
            for (int e = 0; e < b; e++) {
                lens[e] = in[4] == null ? t : (int) in[4].getLong(e);
            }
            boolean reversed = dir == 1;
            hin[0] = Tensor.generate(DType.F64, in[0].shape(), k -> {
                int i = in[0].dim(2), tt = k / (b * i), e = k / i % b;
                int src = reversed && tt < lens[e] ? lens[e] - 1 - tt : tt;
                return in[0].getDouble((src * b + e) * i + k % i);
            });
            Tensor[] one = half.forward(hin);
            for (int tt = 0; tt < t; tt++) {
                for (int e = 0; e < b; e++) {
                    int src = reversed && tt < lens[e] ? lens[e] - 1 - tt : tt;
                    for (int j = 0; j < h; j++) {
                        assertEquals(one[0].getDouble((src * b + e) * h + j), both[0].getDouble(((tt * 2 + dir) * b + e) * h + j),
                                1e-12, "Y at t=" + tt + " batch " + e + " direction " + dir);
                    }
                }
            }
            for (int k = 0; k < b * h; k++) {
                assertEquals(one[1].getDouble(k), both[1].getDouble(dir * b * h + k), 1e-12, "Y_h of direction " + dir);
            }
        }
    }

    /** Direction {@code dir} of a tensor whose first axis is the direction, keeping that axis (size 1). */
    private static Tensor directionSlice(Tensor x, int dir) {
        int[] s = x.shape().clone();
        int inner = x.size() / s[0];
        s[0] = 1;
        return Tensor.generate(x.dtype(), s, k -> x.getDouble(dir * inner + k));
    }
}

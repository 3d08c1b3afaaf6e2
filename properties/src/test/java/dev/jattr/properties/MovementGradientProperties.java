package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Cast;
import dev.jattr.graph.ops.Concat;
import dev.jattr.graph.ops.CumSum;
import dev.jattr.graph.ops.DepthToSpace;
import dev.jattr.graph.ops.Dropout;
import dev.jattr.graph.ops.Expand;
import dev.jattr.graph.ops.Resize;
import dev.jattr.graph.ops.ReverseSequence;
import dev.jattr.graph.ops.Slice;
import dev.jattr.graph.ops.SpaceToDepth;
import dev.jattr.graph.ops.Split;
import dev.jattr.graph.ops.Squeeze;
import dev.jattr.graph.ops.Tile;
import dev.jattr.graph.ops.Transpose;
import dev.jattr.graph.ops.Trilu;
import dev.jattr.graph.ops.Unsqueeze;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;

/**
 * Concat, Split, Slice (negative steps, out-of-range bounds), Transpose, Squeeze, Unsqueeze,
 * Expand (broadcasting), Tile, DepthToSpace (both modes), SpaceToDepth, Trilu, ReverseSequence,
 * CumSum (exclusive, reverse), Cast, Dropout and Resize (every mode and coordinate transform).
 */
class MovementGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        List<Function<Random, OpCase>> b = List.of(
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 3);
                    int a = RandomCases.axis(r, s.length);
                    Tensor[] parts = new Tensor[1 + r.nextInt(3)];
                    for (int i = 0; i < parts.length; i++) {
                        int[] p = s.clone();
                        p[Math.floorMod(a, s.length)] = 1 + r.nextInt(3);
                        parts[i] = RandomCases.values(r, p);
                    }
                    return new OpCase(new Concat(a), parts);
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 5);
                    int a = RandomCases.axis(r, s.length), dim = s[Math.floorMod(a, s.length)];
                    int cut = r.nextInt(dim + 1);
                    return r.nextBoolean()
                            ? new OpCase(new Split(a, 2, new int[0]), RandomCases.values(r, s), RandomCases.longs(cut, dim - cut))
                            : new OpCase(new Split(a, 1 + r.nextInt(dim), new int[0]), RandomCases.values(r, s));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 5);
                    int a = RandomCases.axis(r, s.length);
                    long step = (1 + r.nextInt(2)) * (r.nextBoolean() ? 1 : -1);
                    return new OpCase(new Slice(), RandomCases.values(r, s), RandomCases.longs(r.nextInt(12) - 6),
                            RandomCases.longs(r.nextInt(12) - 6), RandomCases.longs(a), RandomCases.longs(step));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(4), 3);
                    List<Integer> p = new ArrayList<>();
                    for (int i = 0; i < s.length; i++) {
                        p.add(i);
                    }
                    Collections.shuffle(p, r);
                    return new OpCase(new Transpose(p.stream().mapToInt(Integer::intValue).toArray()), RandomCases.values(r, s));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 3, 3);
                    int a = RandomCases.axis(r, 3);
                    s[Math.floorMod(a, 3)] = 1;
                    return r.nextBoolean() ? new OpCase(new Squeeze(), RandomCases.values(r, s), RandomCases.longs(a))
                            : new OpCase(new Unsqueeze(), RandomCases.values(r, s), RandomCases.longs(RandomCases.axis(r, 4)));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 3, 3);
                    int[] from = java.util.Arrays.copyOfRange(s, r.nextInt(3), 3);
                    for (int d = 0; d < from.length; d++) {
                        from[d] = r.nextBoolean() ? 1 : from[d];
                    }
                    return new OpCase(new Expand(), RandomCases.values(r, from), RandomCases.longs(s[0], s[1], s[2]));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 3);
                    long[] reps = new long[s.length];
                    for (int d = 0; d < s.length; d++) {
                        reps[d] = 1 + r.nextInt(3);
                    }
                    return new OpCase(new Tile(), RandomCases.values(r, s), RandomCases.longs(reps));
                },
                r -> {
                    int bs = 1 + r.nextInt(2);
                    return r.nextBoolean()
                            ? new OpCase(new DepthToSpace(bs, r.nextBoolean()), RandomCases.values(r, 1 + r.nextInt(2), bs * bs * (1 + r.nextInt(2)),
                                    1 + r.nextInt(2), 1 + r.nextInt(3)))
                            : new OpCase(new SpaceToDepth(bs), RandomCases.values(r, 1 + r.nextInt(2), 1 + r.nextInt(2), bs * (1 + r.nextInt(2)),
                                    bs * (1 + r.nextInt(3))));
                },
                r -> new OpCase(new Trilu(r.nextBoolean()), RandomCases.values(r, RandomCases.shape(r, 2 + r.nextInt(2), 4)),
                        RandomCases.longs(r.nextInt(7) - 3)),
                r -> {
                    int[] s = RandomCases.shape(r, 3, 4);
                    int batchAxis = r.nextInt(2);
                    long[] lens = new long[s[batchAxis]];
                    for (int i = 0; i < lens.length; i++) {
                        lens[i] = 1 + r.nextInt(s[1 - batchAxis]);
                    }
                    return new OpCase(new ReverseSequence(batchAxis, 1 - batchAxis), RandomCases.values(r, s), RandomCases.longs(lens));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    return new OpCase(new CumSum(r.nextBoolean(), r.nextBoolean()), RandomCases.values(r, s),
                            RandomCases.longs(RandomCases.axis(r, s.length)));
                },
                r -> r.nextBoolean()
                        ? new OpCase(new Cast(DType.F64, Cast.Narrowing.NONE), RandomCases.values(r, RandomCases.shape(r, 2, 3)))
                        : new OpCase(new Dropout(), RandomCases.values(r, RandomCases.shape(r, 2, 3))),
                r -> {
                    int[] s = {1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(4), 1 + r.nextInt(4)};
                    Resize.Mode mode = Resize.Mode.values()[r.nextInt(3)];
                    Resize.Transform t = Resize.Transform.values()[r.nextInt(Resize.Transform.values().length)];
                    Resize op = new Resize(mode, t, Resize.NearestMode.values()[r.nextInt(4)], -0.5 - r.nextDouble() / 2,
                            r.nextBoolean(), 0.5);
                    Tensor x = RandomCases.values(r, s);
                    Tensor roi = Tensor.of(new double[] {0, 0, 0.1, 0.2, 1, 1, 0.9, 1.1}, 8);
                    if (r.nextBoolean()) {
                        return new OpCase(new WithConstants(op, roi, Tensor.of(new double[] {1, 1, 0.5 + r.nextInt(4) * 0.5,
                                0.5 + r.nextInt(4) * 0.5}, 4)), x);
                    }
                    return new OpCase(new WithConstants(op, roi, null, RandomCases.longs(s[0], s[1], 1 + r.nextInt(5), 1 + r.nextInt(5))), x);
                });
        return RandomCases.of(b);
    }
}

package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Compress;
import dev.jattr.graph.ops.Gather;
import dev.jattr.graph.ops.GatherElements;
import dev.jattr.graph.ops.GatherND;
import dev.jattr.graph.ops.OneHot;
import dev.jattr.graph.ops.ScatterElements;
import dev.jattr.graph.ops.ScatterND;
import dev.jattr.graph.ops.ScatterReduction;
import dev.jattr.graph.ops.TopK;
import dev.jattr.graph.ops.Where;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;

/**
 * Gather, GatherElements, GatherND (batch dimensions), ScatterElements and ScatterND (every
 * reduction, repeated indices), TopK, OneHot, Compress and Where (broadcasting): negative axes and
 * negative indices throughout.
 */
class IndexingGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        List<Function<Random, OpCase>> b = List.of(
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    int a = RandomCases.axis(r, s.length);
                    int dim = s[Math.floorMod(a, s.length)];
                    return new OpCase(new Gather(a), RandomCases.values(r, s), RandomCases.indices(r, dim, RandomCases.shape(r, r.nextInt(3), 3)));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    int a = RandomCases.axis(r, s.length);
                    int[] is = s.clone();
                    is[Math.floorMod(a, s.length)] = 1 + r.nextInt(4);
                    return new OpCase(new GatherElements(a), RandomCases.values(r, s),
                            RandomCases.indices(r, s[Math.floorMod(a, s.length)], is));
                },
                r -> {
                    int batch = r.nextInt(2);
                    int[] s = RandomCases.shape(r, 2 + r.nextInt(2), 3);
                    int k = 1 + r.nextInt(s.length - batch);
                    int[] is = new int[batch + 2];
                    System.arraycopy(s, 0, is, 0, batch);
                    is[batch] = 1 + r.nextInt(3);
                    is[batch + 1] = k;
                    Tensor idx = Tensor.zeros(DType.I64, is);
                    for (int i = 0; i < idx.size(); i++) {
                        int d = s[batch + i % k];
                        idx.setDouble(i, r.nextInt(2 * d) - d);
                    }
                    return new OpCase(new GatherND(batch), RandomCases.values(r, s), idx);
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    int a = RandomCases.axis(r, s.length);
                    int[] is = s.clone();
                    is[Math.floorMod(a, s.length)] = 1 + r.nextInt(3);
                    ScatterReduction red = ScatterReduction.values()[r.nextInt(5)];
                    Tensor upd = RandomCases.values(r, is);
                    if (red == ScatterReduction.MUL) {
                        upd = upd.map(v -> Math.signum(v) * (0.5 + Math.abs(v) / 2));
                    }
                    return new OpCase(new ScatterElements(a, red), RandomCases.values(r, s),
                            RandomCases.indices(r, s[Math.floorMod(a, s.length)], is), upd);
                },
                r -> {
                    int[] s = RandomCases.shape(r, 2 + r.nextInt(2), 3);
                    int k = 1 + r.nextInt(s.length);
                    int rows = 1 + r.nextInt(4);
                    Tensor idx = Tensor.zeros(DType.I64, rows, k);
                    for (int i = 0; i < idx.size(); i++) {
                        int d = s[i % k];
                        idx.setDouble(i, r.nextInt(2 * d) - d);
                    }
                    int[] us = new int[1 + s.length - k];
                    us[0] = rows;
                    System.arraycopy(s, k, us, 1, s.length - k);
                    ScatterReduction red = ScatterReduction.values()[r.nextInt(3)];
                    return new OpCase(new ScatterND(red), RandomCases.values(r, s), idx, RandomCases.values(r, us));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    int a = RandomCases.axis(r, s.length);
                    return new OpCase(new TopK(a, r.nextBoolean()), RandomCases.values(r, s),
                            RandomCases.longs(1 + r.nextInt(s[Math.floorMod(a, s.length)])));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(2), 3);
                    int depth = 2 + r.nextInt(3);
                    return new OpCase(new OneHot(RandomCases.axis(r, s.length + 1)), RandomCases.indices(r, depth, s),
                            RandomCases.longs(depth), RandomCases.values(r, 2));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 1 + r.nextInt(3), 4);
                    boolean flat = r.nextInt(4) == 0;
                    int a = RandomCases.axis(r, s.length);
                    int len = flat ? Tensor.zeros(DType.F64, s).size() : s[Math.floorMod(a, s.length)];
                    boolean[] c = new boolean[1 + r.nextInt(len)];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = r.nextBoolean();
                    }
                    return new OpCase(new Compress(flat ? Compress.FLATTEN : a), RandomCases.values(r, s), Tensor.of(c, c.length));
                },
                r -> {
                    int[] s = RandomCases.shape(r, 3, 3);
                    int[] cs = s.clone(), xs = s.clone(), ys = s.clone();
                    cs[r.nextInt(3)] = 1;
                    xs[r.nextInt(3)] = 1;
                    int[] yShort = java.util.Arrays.copyOfRange(ys, 1 + r.nextInt(2), 3);
                    boolean[] c = new boolean[Tensor.zeros(DType.BOOL, cs).size()];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = r.nextBoolean();
                    }
                    return new OpCase(new Where(), Tensor.of(c, cs), RandomCases.values(r, xs), RandomCases.values(r, yShort));
                });
        return RandomCases.of(b);
    }
}

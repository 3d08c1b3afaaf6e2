package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.ConvTranspose;
import dev.jattr.graph.ops.Window;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * ConvTranspose over 1 and 2 spatial dimensions with strides, dilations, asymmetric pads,
 * output_padding, groups, bias, SAME auto_pad and explicit output_shape.
 */
class ConvTransposeGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.of(1, 2), Arbitraries.integers().between(0, 3),
                        Arbitraries.longs())
                .as((rank, group, mode, seed) -> {
                    Random r = new Random(seed);
                    int stride = 1 + r.nextInt(2), dil = 1 + r.nextInt(2), k = 1 + r.nextInt(3);
                    if (mode == 1 || mode == 2) {
                        k = Math.max(k, stride); // SAME needs total padding ≥ 0: (k − 1)·dilation + 1 ≥ stride
                    }
                    int cin = group * (1 + r.nextInt(2)), coutPerGroup = 1 + r.nextInt(2);
                    int[] xs = new int[rank + 2], ws = new int[rank + 2], strides = new int[rank], dils = new int[rank];
                    int[] pads = new int[2 * rank], outPad = new int[rank];
                    xs[0] = 1 + r.nextInt(2);
                    xs[1] = cin;
                    ws[0] = cin;
                    ws[1] = coutPerGroup;
                    for (int d = 0; d < rank; d++) {
                        xs[d + 2] = 1 + r.nextInt(3);
                        ws[d + 2] = k;
                        strides[d] = stride;
                        dils[d] = dil;
                        pads[d] = r.nextInt((k - 1) * dil / 2 + 1); // begin + end ≤ (k − 1)·dilation keeps the output non-empty
                        pads[d + rank] = r.nextInt((k - 1) * dil / 2 + 1);
                        outPad[d] = r.nextInt(stride);
                    }
                    AutoPad auto = mode == 1 ? AutoPad.SAME_UPPER : mode == 2 ? AutoPad.SAME_LOWER : AutoPad.NOTSET;
                    int[] outShape = new int[0];
                    if (mode == 3) {
                        outShape = new int[rank];
                        for (int d = 0; d < rank; d++) {
                            outShape[d] = stride * (xs[d + 2] - 1) + (k - 1) * dil + 1 + outPad[d];
                        }
                        pads = new int[0];
                    }
                    Statistics.label("mode").collect(auto + (mode == 3 ? "+output_shape" : ""));
                    Statistics.label("groups").collect(group);
                    Window w = new Window(new int[0], strides, auto == AutoPad.NOTSET ? pads : new int[0], dils, auto, false);
                    ConvTranspose op = new ConvTranspose(w, group, auto == AutoPad.NOTSET ? outPad : new int[0], outShape);
                    Tensor x = Tensor.generate(DType.F64, xs, i -> r.nextDouble() * 2 - 1);
                    Tensor wt = Tensor.generate(DType.F64, ws, i -> r.nextDouble() * 2 - 1);
                    if (r.nextBoolean()) {
                        return new OpCase(op, x, wt, Tensor.generate(DType.F64, new int[] {group * coutPerGroup}, i -> r.nextDouble()));
                    }
                    return new OpCase(op, x, wt);
                });
    }
}

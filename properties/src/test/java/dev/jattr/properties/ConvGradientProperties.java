package dev.jattr.properties;

import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Window;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/** Conv over 1 and 2 spatial dimensions with strides, asymmetric pads, dilations, groups and bias. */
class ConvGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(1, 2), Arbitraries.of(1, 2), Arbitraries.of(false, true))
                .flatAs((rank, stride, dil, pad, k, group, bias) -> {
                    int cin = group * 2, cout = group * stride;
                    int size = 3 + k * dil;
                    int[] xs = rank == 1 ? new int[] {2, cin, size} : new int[] {1, cin, size, size - 1};
                    int[] ws = rank == 1 ? new int[] {cout, 2, k} : new int[] {cout, 2, k, k};
                    int[] ones = rank == 1 ? new int[] {stride} : new int[] {stride, stride};
                    int[] dils = rank == 1 ? new int[] {dil} : new int[] {dil, dil};
                    int[] pads = rank == 1 ? new int[] {pad, 0} : new int[] {pad, 0, 0, pad};
                    Window w = new Window(new int[0], ones, pads, dils, AutoPad.NOTSET, false);
                    Statistics.label("groups").collect(group);
                    return Combinators.combine(Gen.tensor(xs, -1, 1), Gen.tensor(ws, -1, 1), Gen.tensor(new int[] {cout}, -1, 1))
                            .as((x, wt, b) -> bias ? new OpCase(new Conv(w, group), x, wt, b) : new OpCase(new Conv(w, group), x, wt));
                });
    }
}

package dev.jattr.properties;

import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Every elementwise function's derivative against finite differences, inputs kept off its kinks and poles. */
class UnaryGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Arbitraries.of(UnaryKind.values()).flatMap(k -> Gen.shape(2, 4).flatMap(s -> {
            Unary op = switch (k) {
                case LEAKY_RELU -> new Unary(k, 0.1, 0);
                case ELU -> new Unary(k, 0.7, 0);
                case HARD_SIGMOID -> new Unary(k, 0.2, 0.5);
                default -> Unary.of(k);
            };
            var x = switch (k) {
                case LOG, SQRT -> Gen.tensor(s, 0.2, 3);
                case RECIPROCAL -> Gen.tensorAvoiding(s, -3, 3, 0.3, 0);
                case RELU, LEAKY_RELU, ELU, ABS -> Gen.tensorAvoiding(s, -3, 3, 1e-3, 0);
                case HARD_SIGMOID -> Gen.tensorAvoiding(s, -4, 4, 1e-3, -2.5, 2.5);
                default -> Gen.tensor(s, -3, 3);
            };
            return x.map(t -> new OpCase(op, t));
        }));
    }
}

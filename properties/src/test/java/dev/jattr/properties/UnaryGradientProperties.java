package dev.jattr.properties;

import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.statistics.Statistics;

/** Every elementwise function's derivative against finite differences, inputs kept off its kinks, poles and domain edges. */
class UnaryGradientProperties implements OpContract {
    /** Integers and half-integers in [−4, 4]: where Floor, Ceil and Round jump. */
    private static final double[] STEPS = java.util.stream.IntStream.rangeClosed(-8, 8).mapToDouble(i -> i / 2.0).toArray();

    @Override
    public Arbitrary<OpCase> cases() {
        return Arbitraries.of(UnaryKind.values()).flatMap(k -> Gen.shape(2, 4).flatMap(s -> {
            Statistics.label("kind").collect(k);
            Unary op = switch (k) {
                case LEAKY_RELU -> new Unary(k, 0.1, 0);
                case ELU, CELU -> new Unary(k, 0.7, 0);
                case SELU -> new Unary(k, 1.6732632, 1.0507010);
                case THRESHOLDED_RELU -> new Unary(k, 1.0, 0);
                case HARD_SIGMOID -> new Unary(k, 0.2, 0.5);
                default -> Unary.of(k);
            };
            var x = switch (k) {
                case LOG, SQRT -> Gen.tensor(s, 0.2, 3);
                case ACOSH -> Gen.tensor(s, 1.2, 3);
                case ASIN, ACOS, ATANH -> Gen.tensor(s, -0.9, 0.9);
                case TAN -> Gen.tensor(s, -1.2, 1.2);
                case RECIPROCAL -> Gen.tensorAvoiding(s, -3, 3, 0.3, 0);
                case RELU, LEAKY_RELU, ELU, SELU, CELU, ABS, SOFTSIGN -> Gen.tensorAvoiding(s, -3, 3, 1e-3, 0);
                case THRESHOLDED_RELU -> Gen.tensorAvoiding(s, -3, 3, 1e-3, 1);
                case HARD_SIGMOID -> Gen.tensorAvoiding(s, -4, 4, 1e-3, -2.5, 2.5);
                case FLOOR, CEIL, ROUND, SIGN -> Gen.tensorAvoiding(s, -3.9, 3.9, 1e-3, STEPS);
                default -> Gen.tensor(s, -3, 3);
            };
            return x.map(t -> new OpCase(op, t));
        }));
    }
}

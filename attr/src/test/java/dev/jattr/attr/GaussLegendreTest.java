package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The O(n) Gauss–Legendre rule against the O(n²) recurrence it replaced (still its path near ±1), and its bounds. */
class GaussLegendreTest {
    @Test
    void nodesAndWeightsMatchTheRecurrenceUpTo1000Points() {
        int[] sizes = IntStream.concat(IntStream.rangeClosed(1, 160),
                IntStream.of(199, 200, 256, 333, 500, 501, 777, 999, 1000)).toArray();
        double worstX = 0, worstW = 0;
        for (int n : sizes) {
            double[][] fast = GaussLegendre.rule(n), slow = GaussLegendre.recurrenceRule(n);
            for (int i = 0; i < n; i++) {
                worstX = Math.max(worstX, Math.abs(fast[0][i] - slow[0][i]));
                worstW = Math.max(worstW, Math.abs(fast[1][i] - slow[1][i]));
                assertTrue(i == 0 || fast[0][i] > fast[0][i - 1], "ascending nodes, n = " + n);
            }
        }
        assertTrue(worstX < 1e-14, "node difference " + worstX);
        assertTrue(worstW < 1e-14, "weight difference " + worstW);
    }

    /**
     * Where the two differ most (relatively, ~1e-13 at n = 1000, where the expansion takes over
     * from the recurrence), 50-digit arithmetic sides with the new rule. The nodes nearest ±1 use
     * the recurrence in both, whose weights are accurate only absolutely there (x = cos θ near ±1
     * loses the digits of θ).
     */
    @Test
    void weightsAreAccurateAgainst50DigitArithmetic() {
        int n = 1000;
        double[][] fast = GaussLegendre.rule(n);
        MathContext mc = new MathContext(50);
        for (int i : new int[] {0, 15, 16, 22, 61, 82, 300, 499}) {
            BigDecimal z = new BigDecimal(fast[0][i]), dp = BigDecimal.ONE;
            for (int iter = 0; iter < 4; iter++) {
                BigDecimal p0 = BigDecimal.ONE, p1 = z;
                for (int k = 2; k <= n; k++) {
                    BigDecimal p2 = z.multiply(p1, mc).multiply(BigDecimal.valueOf(2L * k - 1), mc)
                            .subtract(p0.multiply(BigDecimal.valueOf(k - 1), mc), mc).divide(BigDecimal.valueOf(k), mc);
                    p0 = p1;
                    p1 = p2;
                }
                dp = BigDecimal.valueOf(n).multiply(z.multiply(p1, mc).subtract(p0, mc), mc)
                        .divide(z.multiply(z, mc).subtract(BigDecimal.ONE, mc), mc);
                z = z.subtract(p1.divide(dp, mc), mc);
            }
            double w = 2 / (BigDecimal.ONE.subtract(z.multiply(z, mc), mc).multiply(dp.multiply(dp, mc), mc)).doubleValue();
            assertEquals(z.doubleValue(), fast[0][i], 2.3e-16, "node " + i);
            assertEquals(w, fast[1][i], i < 16 ? 1e-15 : 2e-14 * w, "weight " + i);
        }
    }

    @Test
    void aMillionPointsTakeAFewSecondsAndIntegrateExactly() {
        double[][] r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> GaussLegendre.rule(PathBuilder.MAX_STEPS));
        double sum = 0, second = 0, eighth = 0;
        for (int i = 0; i < r[0].length; i++) {
            double x = r[0][i];
            sum += r[1][i];
            second += r[1][i] * x * x;
            eighth += r[1][i] * Math.pow(x, 8);
        }
        assertEquals(2, sum, 1e-11);
        assertEquals(2.0 / 3, second, 1e-11);
        assertEquals(2.0 / 9, eighth, 1e-11);
    }

    @Test
    void stepsOutsideCaptumsRangeOrTheCapFailNamingNSteps() {
        assertEquals("n_steps must be at least 1 for gausslegendre, got 0",
                assertThrows(IllegalArgumentException.class, () -> IntegrationMethod.GAUSS_LEGENDRE.alphas(0)).getMessage());
        assertEquals("n_steps must be at least 2 for riemann_left, got 1",
                assertThrows(IllegalArgumentException.class, () -> IntegrationMethod.RIEMANN_LEFT.weights(1)).getMessage());
    }
}

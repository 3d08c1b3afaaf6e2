package dev.jattr.properties;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract every op's gradient test implements: provide generated cases (op records with
 * float64 inputs away from kinks), and the VJP is checked against central finite differences.
 */
public interface OpContract {
    /** The generated cases. */
    @Provide
    Arbitrary<OpCase> cases();

    /** Relative tolerance of the finite-difference comparison. */
    default double tolerance() {
        return 1e-5;
    }

    /** The op's VJP equals central finite differences in double precision. */
    @Property(tries = 200)
    default void vjpMatchesFiniteDifferences(@ForAll("cases") OpCase c) {
        GradientCheck.check(c, tolerance(), c.hashCode());
    }
}

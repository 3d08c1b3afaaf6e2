package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Method arguments given as text: strict JSON, finite numbers, sizes of at least 1, LRP rules checked key by key. */
class MethodArgumentsTest {
    private static MethodArguments text(String name, String value) {
        return MethodArguments.fromText(List.of("fc1"), false, null, Map.of(name, value), Map.of(name, "--arg " + name));
    }

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void numbersMustBeFiniteAndSizesAtLeastOne() {
        assertEquals("--arg n_steps: 1e999 is not a finite number", failure(() -> text("n_steps", "1e999")));
        assertEquals("--arg n_steps: NaN is not a finite number", failure(() -> text("n_steps", "NaN")));
        assertEquals("--arg n_steps: -Infinity is not a finite number", failure(() -> text("n_steps", "-Infinity")));
        assertEquals("--arg stdevs: [1, 1e999] holds a number that is not a finite number", failure(() -> text("stdevs", "[1, 1e999]")));
        assertEquals("--arg n_steps: 0 is not a whole number of at least 1", failure(() -> text("n_steps", "0").positive("n_steps", 50)));
        assertEquals("--arg internal_batch_size: -4 is not a whole number of at least 1",
                failure(() -> text("internal_batch_size", "-4").positive("internal_batch_size", 0)));
        assertTrue(failure(() -> text("n_steps", "99999999999999999999").positive("n_steps", 50)).endsWith("up to 2147483647"));
        assertEquals(7, text("n_steps", " 7 ").positive("n_steps", 50));
        assertEquals(50, text("n_steps", "null").positive("n_steps", 50));
    }

    @Test
    void seedsStayInTheRangeOfALong() {
        assertEquals(Long.MIN_VALUE, text("seed", "-9223372036854775808").longValue("seed", 0));
        assertTrue(failure(() -> text("seed", "9223372036854775808").longValue("seed", 0)).startsWith("--arg seed: 9223372036854775808 is not"));
    }

    @Test
    void jsonMustBeValidWholeAndWithoutDuplicateKeys() {
        assertEquals("--arg rules: {} x is not valid JSON: Unrecognized token 'x' at column 4", failure(() -> text("rules", "{} x")));
        assertEquals("--arg rules: {} [] is not valid JSON: unexpected text after the value at column 4", failure(() -> text("rules", "{} []")));
        assertEquals("--arg rules: {\"a\": 1, \"a\": 2} is not valid JSON: Duplicate field 'a' at column 13",
                failure(() -> text("rules", "{\"a\": 1, \"a\": 2}")));
        assertTrue(failure(() -> text("rules", "[".repeat(3000))).contains("nesting depth"));
        assertEquals("riemann_left", text("method", "riemann_left").string("method", ""));
    }

    @Test
    void lrpRulesAreCheckedKeyByKey() {
        assertEquals("--arg rules: the rule of 'fc2': EpsilonRule takes no key 'gamma'; its keys: epsilon",
                failure(() -> text("rules", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"gamma\": 1}}").lrpRules("rules")));
        assertEquals("--arg rules: the rule of 'fc2': unknown LRP rule 'Epsilonrule'; did you mean 'EpsilonRule'?;"
                + " rules: EpsilonRule, GammaRule, Alpha1_Beta0_Rule, IdentityRule",
                failure(() -> text("rules", "{\"fc2\": {\"rule\": \"Epsilonrule\"}}").lrpRules("rules")));
        assertEquals("--arg rules: the rule of 'fc2': \"epsilon\" is \"a\", not a non-negative number",
                failure(() -> text("rules", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": \"a\"}}").lrpRules("rules")));
        assertEquals(new LrpRule.GammaRule(0.5, true),
                text("rules", "{\"fc2\": {\"rule\": \"GammaRule\", \"gamma\": 0.5, \"set_bias_to_zero\": true}}").lrpRules("rules").get("fc2"));
    }

    @Test
    void anArgumentNoMethodReadsSuggestsTheClosestOne() {
        var a = text("nsteps", "5");
        a.positive("n_steps", 50);
        assertEquals("--arg nsteps is not an argument of LayerIntegratedGradients; did you mean 'n_steps'?",
                failure(() -> a.requireAllUsed("LayerIntegratedGradients")));
        assertEquals("unknown method 'LayerIntegratedGradient'; did you mean 'LayerIntegratedGradients'?; methods: " + MethodRegistry.names(),
                failure(() -> MethodRegistry.forName("LayerIntegratedGradient")));
    }
}

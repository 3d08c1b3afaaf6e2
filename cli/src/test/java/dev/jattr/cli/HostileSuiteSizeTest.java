package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input suite as a whole: at least a thousand generated cases across the families
 * (model files, arrays and numbers, command-line arguments), each family run by its own test
 * class, covering the root causes of the hardening issue.
 */
class HostileSuiteSizeTest {
    @Test
    void theFamiliesTogetherHoldAtLeastAThousandCases() {
        int models = HostileModels.cases().size(), arrays = HostileArrays.cases().size(), arguments = HostileArguments.cases().size();
        int total = models + arrays + arguments;
        assertTrue(total >= 1000, () -> "hostile cases: " + models + " models + " + arrays + " arrays + " + arguments + " arguments = " + total);
        Set<String> classes = new TreeSet<>();
        HostileModels.cases().forEach(c -> classes.add(c.family()));
        HostileArrays.cases().forEach(c -> classes.add(c.family()));
        HostileArguments.cases().forEach(c -> classes.add(c.family()));
        assertTrue(classes.size() >= 20, () -> "fault classes: " + classes);
    }
}

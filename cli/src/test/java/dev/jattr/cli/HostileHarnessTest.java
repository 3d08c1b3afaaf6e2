package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The hostile-input harness itself: it passes a clean failure and a success, and catches what it must. */
class HostileHarnessTest {
    private static String[] attribute(java.nio.file.Path d, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("attribute", "--model", d.resolve("model.onnx").toString(),
                "--input", "x=" + d.resolve("x.npy"), "--method", "LayerActivation", "--layer", TinyModel.ACT,
                "--out", d.resolve("out.npy").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void aValidRunSucceedsAndAMissingFileFailsByName() throws Exception {
        Hostile.check(HostileCase.succeeds("harness", "valid", d -> TinyModel.writeValid(d, 2), d -> attribute(d)));
        Hostile.check(HostileCase.fails("harness", "missing model", d -> TinyModel.writeInput(d, "x.npy", 2),
                d -> attribute(d), "model.onnx"));
    }

    @Test
    void aFailureThatWritesOrNamesTheWrongThingIsCaught() {
        assertThrows(AssertionFailedError.class, () -> Hostile.check(HostileCase.fails("harness", "succeeds", d -> TinyModel.writeValid(d, 2),
                d -> attribute(d))));
        assertThrows(AssertionFailedError.class, () -> Hostile.check(HostileCase.fails("harness", "wrong name",
                d -> TinyModel.writeInput(d, "x.npy", 2), d -> attribute(d), "no-such-fragment")));
        assertThrows(AssertionFailedError.class, () -> Hostile.check(HostileCase.succeeds("harness", "leftover",
                d -> Files.writeString(d.resolve("x.npy"), "garbage"), d -> attribute(d))));
    }
}

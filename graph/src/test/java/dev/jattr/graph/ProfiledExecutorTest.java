package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A profiled executor reports each node it runs, once per run, and computes the same values. */
class ProfiledExecutorTest {
    @Test
    void everyNodeIsTimedOncePerRunAndResultsAreUnchanged() {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, 3}, List.of("batch", ""));
        Graph g = new Graph(List.of(
                new Node("/a/Relu", Unary.of(UnaryKind.RELU), List.of("x"), List.of("r")),
                new Node("/b/Tanh", Unary.of(UnaryKind.TANH), List.of("r"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 3}, List.of("batch", ""))), Map.of());
        List<String> seen = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        Executor plain = new Executor(g);
        Executor profiled = plain.profiled((n, nanos) -> {
            seen.add(n.name());
            times.add(nanos);
        });
        Tensor in = Tensor.of(new float[] {-1f, 0.5f, 2f}, 1, 3);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(plain.forward(Map.of("x", in)).get("y").floats(), profiled.forward(Map.of("x", in)).get("y").floats());
        }
        assertEquals(List.of("/a/Relu", "/b/Tanh", "/a/Relu", "/b/Tanh"), seen);
        assertTrue(times.stream().allMatch(t -> t >= 0));
    }
}

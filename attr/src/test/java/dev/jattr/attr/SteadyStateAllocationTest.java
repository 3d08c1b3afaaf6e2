package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Arena;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Retention;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Once warm, a repeated forward of a zoo model draws its activations from the executor's arena.
 * The CPU kernels still allocate their own scratch per call (the GEMM's packing buffers,
 * {@code kernels.cpu.MatMul.packedGemm}), the same with or without the arena; so the check is on
 * what the engine allocates beyond that: with the arena, a run allocates less than 5% of its
 * activation bytes more than the kernels' share, measured as the arena-off allocation minus the
 * activations. Runs in its own JVM with one processor ({@code -XX:ActiveProcessorCount=1}, see the
 * module's pom), so every kernel runs on the calling thread and its allocations are counted.
 */
class SteadyStateAllocationTest {
    @TestFactory
    Stream<DynamicTest> repeatedForwardAllocatesAlmostNothing() {
        Path zoo = SharedData.require("onnx-zoo");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return ArenaZooTest.MODELS.stream().map(m -> DynamicTest.dynamicTest(m, () -> {
            Graph g = OnnxModel.load(zoo.resolve("models/" + m + ".onnx")).graph();
            Map<String, Tensor> feeds = Map.of(g.inputs().getFirst().name(), Npy.read(zoo.resolve("arrays/" + m + ".input.npy")));
            List<String> outs = List.of(g.outputs().getFirst().name());
            Executor ex = new Executor(g);
            // pooled again after the arena-off runs: the least of the two, in case the JIT was not done
            long pooled = perRun(threads, () -> ex.forward(feeds));
            long fresh = Arena.disabledDuring(() -> perRun(threads, () -> ex.forward(feeds)));
            pooled = Math.min(pooled, perRun(threads, () -> ex.forward(feeds)));
            long activations = ex.activationBytes(feeds, outs, Retention.RESULTS);
            long engine = pooled - (fresh - activations), withArena = pooled;
            System.out.printf("%s (%d processor): per steady-state forward %d bytes allocated with the arena, %d without;"
                    + " activations %d bytes; beyond the kernels' scratch %d bytes (%.2f%% of the activations)%n", m,
                    Runtime.getRuntime().availableProcessors(), withArena, fresh, activations, engine, 100.0 * engine / activations);
            assertTrue(engine < 0.05 * activations, () -> m + " allocates " + engine + " bytes per run beyond the kernels' scratch,"
                    + " over 5% of " + activations + " activation bytes");
        }));
    }

    /** The bytes this thread allocates per call of {@code run}, once C2 has compiled the kernels (interpreted, each vector op allocates). */
    private static long perRun(com.sun.management.ThreadMXBean threads, Runnable run) {
        for (int i = 0; i < 40; i++) {
            run.run();
        }
        int runs = 5;
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < runs; i++) {
            run.run();
        }
        return (threads.getThreadAllocatedBytes(tid) - before) / runs;
    }
}

package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.ops.MatMul;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Availability;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.CopyKernels;
import dev.jattr.kernels.Device;
import dev.jattr.kernels.ElementwiseKernels;
import dev.jattr.kernels.GemmKernels;
import dev.jattr.kernels.IndexKernels;
import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.ReduceKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ops compute on the backend their Executor (or {@link CurrentBackend#call}) binds, else on the CPU one. */
class CurrentBackendTest {
    /** y = relu(x·w) in float32. */
    private static final Graph G = new Graph(List.of(
            new Node("/fc/MatMul", new MatMul(), List.of("x", "w"), List.of("xw")),
            new Node("/act/Relu", Unary.of(UnaryKind.RELU), List.of("xw"), List.of("y"))),
            List.of(new ValueInfo("x", DType.F32, new int[] {2, 3}, List.of("", ""))),
            List.of(new ValueInfo("y", DType.F32, new int[] {2, 2}, List.of("", ""))),
            Map.of("w", Tensor.of(new float[] {1, -1, 2, 0.5f, -3, 1}, 3, 2)));
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, -1, 0.5f, 2}, 2, 3);

    /** The CPU backend, recording which kernel families the ops asked it for. */
    private static final class Recording implements Backend {
        final Backend cpu = Backends.cpu();
        final List<String> asked = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Device device() {
            return cpu.device();
        }

        @Override
        public Availability availability() {
            return Availability.ready();
        }

        @Override
        public Allocator allocator() {
            return cpu.allocator();
        }

        @Override
        public GemmKernels gemm() {
            asked.add("gemm");
            return cpu.gemm();
        }

        @Override
        public ConvKernels conv() {
            asked.add("conv");
            return cpu.conv();
        }

        @Override
        public PoolKernels pool() {
            asked.add("pool");
            return cpu.pool();
        }

        @Override
        public ElementwiseKernels elementwise() {
            asked.add("elementwise");
            return cpu.elementwise();
        }

        @Override
        public ReduceKernels reduce() {
            asked.add("reduce");
            return cpu.reduce();
        }

        @Override
        public IndexKernels index() {
            asked.add("index");
            return cpu.index();
        }

        @Override
        public CopyKernels copy() {
            asked.add("copy");
            return cpu.copy();
        }
    }

    @Test
    void theDefaultIsTheCpuBackendAndTensorsLiveOnTheHost() {
        assertSame(Backends.cpu(), CurrentBackend.get());
        assertEquals(Device.CPU, CurrentBackend.get().device());
        assertEquals(Device.CPU, X.device());
        assertSame(Backends.cpu(), new Executor(G).backend());
    }

    @Test
    void anExecutorRunsItsForwardAndBackwardOnItsBackend() {
        Recording r = new Recording();
        Executor onRecording = new Executor(G, r);
        Trace t = onRecording.run(Map.of("x", X), List.of("y"));
        assertEquals(List.of("gemm", "elementwise"), r.asked);
        Map<String, Tensor> g = t.backward(Map.of("y", Tensor.full(DType.F32, 1, 2, 2)), List.of("x"),
                BackwardRules.gradient());
        assertEquals(List.of("gemm", "elementwise", "elementwise", "gemm"), r.asked);
        assertSame(Backends.cpu(), CurrentBackend.get(), "the binding ends with the run");

        Trace onCpu = new Executor(G).run(Map.of("x", X), List.of("y"));
        assertArrayEquals(onCpu.value("y").floats(), t.value("y").floats());
        Map<String, Tensor> gCpu = onCpu.backward(Map.of("y", Tensor.full(DType.F32, 1, 2, 2)), List.of("x"),
                BackwardRules.gradient());
        assertArrayEquals(gCpu.get("x").floats(), g.get("x").floats());
    }

    @Test
    void callBindsABackendForItsExtentAndAnExecutorCreatedInsideInheritsIt() {
        Recording r = new Recording();
        Executor inside = CurrentBackend.call(r, () -> {
            assertSame(r, CurrentBackend.get());
            return new Executor(G);
        });
        assertSame(r, inside.backend());
        assertSame(Backends.cpu(), CurrentBackend.get());
        inside.forward(Map.of("x", X));
        assertTrue(r.asked.contains("gemm"), r.asked.toString());
    }
}

package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which ops of the zoo models compute on the host on a backend that keeps device copies, where
 * each such op brings its inputs back from the GPU: the op types that read a float tensor of more
 * than 4096 elements there. All four run wholly on the device (ShuffleNet's final ReduceMean, a
 * float mean over one run of axes, takes the backend's sum kernel).
 */
class DeviceOpsZooTest {
    @ParameterizedTest
    @CsvSource({"efficientnet_b0,''", "mobilenet_v3_small,''", "squeezenet1_1,''", "shufflenet_v2_x0_5,''"})
    void hostOpsOfTheZooModels(String name, String expected) {
        Path zoo = SharedData.require("onnx-zoo");
        Graph g = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
        String input = g.inputs().getFirst().name();
        Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 2);
        List<String> all = g.nodes().stream().flatMap(n -> n.outputs().stream()).filter(v -> !v.isEmpty()).toList();
        Trace t = new Executor(g).run(Map.of(input, x), all);
        Set<String> host = new TreeSet<>();
        for (Node n : g.nodes()) {
            Tensor[] in = new Tensor[n.inputs().size()];
            boolean big = false;
            for (int i = 0; i < in.length; i++) {
                String v = n.inputs().get(i);
                if (!v.isEmpty()) {
                    in[i] = t.value(v);
                    big |= in[i].dtype() == DType.F32 && in[i].size() > 4096;
                }
            }
            if (big && !n.op().runsOnDevice(in)) {
                host.add(n.op().type());
            }
        }
        assertEquals(expected.isEmpty() ? Set.of() : new TreeSet<>(List.of(expected.split(" "))), host, name);
    }
}

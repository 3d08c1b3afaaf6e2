package dev.jattr.cli;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.ValueInfo;
import dev.jattr.onnx.OnnxModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jattr layers}: what can be attributed to: the model's inputs and outputs, and every node
 * in execution order with its op, PyTorch module path and output tensors with their shapes.
 */
@Command(name = "layers", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List a model's inputs, outputs and nodes (op, module path, output tensors and shapes).",
                "Any node name, module path or tensor name listed can be given to 'jattr attribute --layer'."})
final class LayersCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model.")
    private String model;

    @Override
    public Integer call() {
        OnnxModel m = OnnxModel.load(Arguments.model(model));
        Graph g = m.graph();
        ShapeInference shapes = ShapeInference.of(g);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("model %s: opset %d%s, %d nodes%n", m.source().getFileName(), m.opset(),
                m.producer().isEmpty() ? "" : ", from " + m.producer(), g.nodes().size());
        out.println("inputs:");
        g.inputs().forEach(v -> out.println("  " + describe(v)));
        out.println("outputs:");
        g.outputs().forEach(v -> out.println("  " + describe(v)));
        if (!shapes.problem().isEmpty()) {
            out.println("(shapes unknown: " + shapes.problem() + ")");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "node", "op", "module", "outputs"});
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            List<String> outs = n.outputs().stream().filter(o -> !o.isEmpty()).map(o -> o + " " + shapes.shape(o)).toList();
            rows.add(new String[] {String.valueOf(i), n.name(), n.op().type(), n.modulePath().isEmpty() ? "-" : n.modulePath(),
                    String.join("; ", outs)});
        }
        out.println("nodes:");
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < width.length; c++) {
                b.append(r[c]).append(" ".repeat(width[c] - r[c].length() + 2));
            }
            out.println(b.append(r[4]).toString().stripTrailing());
        }
        out.flush();
        return 0;
    }

    private static String describe(ValueInfo v) {
        return v.name() + " " + dtypeName(v.dtype()) + " " + v.shapeText();
    }

    /** NumPy's name for {@code d}. */
    static String dtypeName(DType d) {
        return switch (d) {
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
            case I32 -> "int32";
            case BOOL -> "bool";
        };
    }
}

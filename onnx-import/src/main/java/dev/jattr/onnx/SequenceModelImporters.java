package dev.jattr.onnx;

import dev.jattr.graph.ops.If;
import dev.jattr.graph.ops.Loop;
import dev.jattr.graph.ops.Recurrent;
import dev.jattr.graph.ops.RnnActivation;
import dev.jattr.graph.ops.Scan;
import dev.jattr.graph.ops.Subgraph;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Importers for sequence models: the recurrent layers (RNN, GRU, LSTM) and control flow (If, Loop, Scan). */
final class SequenceModelImporters {
    private SequenceModelImporters() {}

    static void registerAll(OpRegistry r) {
        for (Recurrent.Cell cell : Recurrent.Cell.values()) {
            r.register(cell.name(), 1, ctx -> ctx.emit(recurrent(ctx, cell)));
        }
        r.register("If", 1, SequenceModelImporters::ifNode);
        r.register("Loop", 1, SequenceModelImporters::loop);
        r.register("Scan", 8, ctx -> scan(ctx, true));
        r.register("Scan", 9, ctx -> scan(ctx, false));
    }

    private static Recurrent recurrent(ImportContext ctx, Recurrent.Cell cell) {
        Attributes a = ctx.attributes();
        Recurrent.Direction direction = Recurrent.Direction.parse(a.getString("direction", "forward"));
        int hidden = (int) a.getInt("hidden_size", -1);
        if (hidden < 0) {
            var r = ctx.constantInput(2);
            if (r == null) {
                throw ctx.error("hidden_size is missing and R is not a constant to read it from");
            }
            hidden = r.dim(2);
        }
        return new Recurrent(cell, direction, hidden, activations(ctx, cell, direction),
                a.has("clip") ? a.getFloat("clip", 0) : Double.POSITIVE_INFINITY,
                a.getInt("linear_before_reset", 0) != 0, a.getInt("input_forget", 0) != 0, a.getInt("layout", 0) != 0);
    }

    /**
     * The activations attribute with its alpha and beta lists, which are consumed in order by the
     * functions that take parameters; ONNX's defaults when absent, and one direction's list
     * repeated for a bidirectional layer that names only one.
     */
    private static List<RnnActivation> activations(ImportContext ctx, Recurrent.Cell cell, Recurrent.Direction direction) {
        Attributes a = ctx.attributes();
        var raw = a.raw("activations");
        List<RnnActivation> result = new ArrayList<>();
        if (raw == null) {
            for (int d = 0; d < direction.count(); d++) {
                result.addAll(cell.defaultActivations());
            }
            return result;
        }
        float[] alphas = a.getFloats("activation_alpha"), betas = a.getFloats("activation_beta");
        int ai = 0, bi = 0;
        for (var name : raw.getStringsList()) {
            RnnActivation.Kind kind = RnnActivation.Kind.parse(name.toString(StandardCharsets.UTF_8));
            RnnActivation dflt = kind.withDefaults();
            double alpha = kind.takesAlpha() && ai < alphas.length ? alphas[ai++] : dflt.alpha();
            double beta = kind.takesBeta() && bi < betas.length ? betas[bi++] : dflt.beta();
            result.add(new RnnActivation(kind, alpha, beta));
        }
        if (direction.count() == 2 && result.size() == cell.activationCount()) {
            result.addAll(List.copyOf(result));
        }
        if (result.size() != cell.activationCount() * direction.count()) {
            throw ctx.error("activations names " + result.size() + " functions; " + cell + " "
                    + direction.name().toLowerCase(java.util.Locale.ROOT) + " needs " + cell.activationCount() * direction.count());
        }
        return result;
    }

    private static void ifNode(ImportContext ctx) {
        Subgraph then = ctx.subgraph("then_branch"), otherwise = ctx.subgraph("else_branch");
        Set<String> captures = new LinkedHashSet<>(then.captures());
        captures.addAll(otherwise.captures());
        List<String> inputs = new ArrayList<>(List.of(ctx.input(0)));
        inputs.addAll(captures);
        ctx.emit(new If(then, otherwise, List.copyOf(captures)), inputs);
    }

    private static void loop(ImportContext ctx) {
        Subgraph body = ctx.subgraph("body");
        if (ctx.inputCount() != body.formalCount()) {
            throw ctx.error("Loop has " + ctx.inputCount() + " inputs but its body takes " + body.formalCount());
        }
        ctx.emit(new Loop(body), withCaptures(ctx, body));
    }

    private static void scan(ImportContext ctx, boolean batched) {
        Attributes a = ctx.attributes();
        Subgraph body = ctx.subgraph("body");
        if (ctx.inputCount() != body.formalCount() + (batched ? 1 : 0)) {
            throw ctx.error("Scan has " + ctx.inputCount() + " inputs but its body takes " + body.formalCount());
        }
        int m = (int) a.getInt("num_scan_inputs", -1);
        if (m < 0) {
            throw ctx.error("num_scan_inputs is required");
        }
        Scan op = batched
                ? new Scan(body, m, new int[0], a.getInts("directions"), new int[0], new int[0], true)
                : new Scan(body, m, a.getInts("scan_input_axes"), a.getInts("scan_input_directions"),
                        a.getInts("scan_output_axes"), a.getInts("scan_output_directions"), false);
        ctx.emit(op, withCaptures(ctx, body));
    }

    private static List<String> withCaptures(ImportContext ctx, Subgraph body) {
        List<String> inputs = new ArrayList<>(ctx.node().getInputList());
        inputs.addAll(body.captures());
        return inputs;
    }
}

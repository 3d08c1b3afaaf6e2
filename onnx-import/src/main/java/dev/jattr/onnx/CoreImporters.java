package dev.jattr.onnx;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.AveragePool;
import dev.jattr.graph.ops.BatchNormalization;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.ColumnMajorIndices;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Dropout;
import dev.jattr.graph.ops.Flatten;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.GlobalAveragePool;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Pad;
import dev.jattr.graph.ops.Reshape;
import dev.jattr.graph.ops.Softmax;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.List;

/** Importers for the core neural-network ops: dense and convolutional layers, pooling, activations, arithmetic. */
final class CoreImporters {
    private CoreImporters() {}

    static void registerAll(OpRegistry r) {
        r.register("Constant", 1, CoreImporters::constant);
        r.register("Identity", 1, ctx -> ctx.emit(Unary.of(UnaryKind.IDENTITY)));
        r.register("Dropout", 1, ctx -> ctx.emit(new Dropout(), List.of(ctx.input(0))));
        for (UnaryKind k : new UnaryKind[] {UnaryKind.RELU, UnaryKind.SIGMOID, UnaryKind.TANH, UnaryKind.EXP,
                UnaryKind.LOG, UnaryKind.NEG, UnaryKind.ABS, UnaryKind.SQRT, UnaryKind.RECIPROCAL, UnaryKind.SOFTPLUS}) {
            r.register(Unary.of(k).type(), 1, ctx -> ctx.emit(Unary.of(k)));
        }
        r.register("LeakyRelu", 1, ctx -> ctx.emit(new Unary(UnaryKind.LEAKY_RELU, ctx.attributes().getFloat("alpha", 0.01), 0)));
        r.register("Elu", 1, ctx -> ctx.emit(new Unary(UnaryKind.ELU, ctx.attributes().getFloat("alpha", 1.0), 0)));
        r.register("HardSigmoid", 1, ctx -> ctx.emit(new Unary(UnaryKind.HARD_SIGMOID,
                ctx.attributes().getFloat("alpha", 0.2), ctx.attributes().getFloat("beta", 0.5))));
        for (BinaryKind k : BinaryKind.values()) {
            r.register(k.onnxName(), 1, ctx -> {
                if (ctx.opset() < 7 && ctx.attributes().has("axis")) {
                    throw ctx.error("attribute 'axis' asks for the legacy broadcasting of opset " + ctx.opset()
                            + " (before 7), which jattr does not implement");
                }
                ctx.emit(new Binary(k));
            });
        }
        r.register("Gemm", 1, ctx -> ctx.emit(new Gemm(ctx.attributes().getFloat("alpha", 1), ctx.attributes().getFloat("beta", 1),
                ctx.attributes().getInt("transA", 0) != 0, ctx.attributes().getInt("transB", 0) != 0)));
        r.register("Conv", 1, ctx -> ctx.emit(new Conv(window(ctx, false), (int) ctx.attributes().getInt("group", 1))));
        r.register("MaxPool", 1, ctx -> {
            var outputs = ctx.node().getOutputList();
            boolean indices = outputs.size() >= 2 && !outputs.get(1).isEmpty();
            if (ctx.attributes().getInt("storage_order", 0) == 0 || !indices) {
                ctx.emit(new MaxPool(window(ctx, true), indices));
                return;
            }
            // storage_order = 1: the indices count the spatial dimensions in column-major order.
            String rowMajor = ctx.fresh("row_major_indices");
            ctx.emit(new MaxPool(window(ctx, true)), List.of(ctx.input(0)), List.of(outputs.get(0), rowMajor));
            ctx.emitPart("ColumnMajorIndices", new ColumnMajorIndices(), List.of(rowMajor, ctx.input(0)), List.of(outputs.get(1)));
        });
        r.register("AveragePool", 1, ctx -> ctx.emit(new AveragePool(window(ctx, true),
                ctx.attributes().getInt("count_include_pad", 0) != 0)));
        r.register("GlobalAveragePool", 1, ctx -> ctx.emit(new GlobalAveragePool()));
        r.register("BatchNormalization", 1, ctx -> {
            if (ctx.attributes().getInt("training_mode", 0) != 0) {
                throw ctx.error("training_mode=1 is not supported (export the model in eval mode)");
            }
            ctx.emit(new BatchNormalization(ctx.attributes().getFloat("epsilon", 1e-5)),
                    ctx.node().getInputList().subList(0, 5));
        });
        r.register("Flatten", 1, ctx -> ctx.emit(new Flatten((int) ctx.attributes().getInt("axis", 1))));
        r.register("Reshape", 1, ctx -> {
            String shape = ctx.fresh("shape");
            ctx.constant(shape, Tensor.of(ctx.attributes().getLongs("shape"), ctx.attributes().getLongs("shape").length));
            ctx.emit(new Reshape(false), List.of(ctx.input(0), shape));
        });
        r.register("Reshape", 5, ctx -> ctx.emit(new Reshape(ctx.attributes().getInt("allowzero", 0) != 0)));
        r.register("Softmax", 1, ctx -> ctx.emit(new Softmax((int) ctx.attributes().getInt("axis", 1), true)));
        r.register("Softmax", 13, ctx -> ctx.emit(new Softmax((int) ctx.attributes().getInt("axis", -1), false)));
        r.register("Pad", 1, ctx -> {
            long[] pads = ctx.attributes().getLongs(ctx.attributes().has("pads") ? "pads" : "paddings");
            String p = ctx.fresh("pads"), v = ctx.fresh("value");
            ctx.constant(p, Tensor.of(pads, pads.length));
            ctx.constant(v, Tensor.of(new float[] {(float) ctx.attributes().getFloat("value", 0)}));
            ctx.emit(new Pad(Pad.PadMode.parse(ctx.attributes().getString("mode", "constant"))), List.of(ctx.input(0), p, v));
        });
        r.register("Pad", 11, ctx -> ctx.emit(new Pad(Pad.PadMode.parse(ctx.attributes().getString("mode", "constant")))));
    }

    /** Every attribute ONNX's Constant may hold its value in; a Constant holds exactly one. */
    private static final List<String> CONSTANT_VALUES = List.of("value", "value_float", "value_floats", "value_int", "value_ints",
            "value_string", "value_strings", "sparse_value");

    private static void constant(ImportContext ctx) {
        Attributes a = ctx.attributes();
        List<String> given = CONSTANT_VALUES.stream().filter(a::has).toList();
        if (given.size() != 1) {
            throw ctx.error("a Constant holds exactly one value attribute (one of " + String.join(", ", CONSTANT_VALUES)
                    + "); this one has " + (given.isEmpty() ? "none" : String.join(" and ", given)));
        }
        if (ctx.node().getOutputCount() != 1 || ctx.node().getOutput(0).isEmpty()) {
            throw ctx.error("a Constant writes one named output; this one names " + ctx.node().getOutputList());
        }
        Tensor t;
        if (a.has("value")) {
            t = a.getTensor("value");
        } else if (a.has("value_float")) {
            t = Tensor.of(new float[] {(float) a.getFloat("value_float", 0)});
        } else if (a.has("value_floats")) {
            float[] f = a.getFloats("value_floats");
            t = Tensor.of(f, f.length);
        } else if (a.has("value_int")) {
            t = Tensor.of(new long[] {a.getInt("value_int", 0)});
        } else if (a.has("value_ints")) {
            long[] l = a.getLongs("value_ints");
            t = Tensor.of(l, l.length);
        } else {
            throw ctx.error("Constant has no supported value attribute (sparse and string constants are not supported)");
        }
        ctx.constant(ctx.node().getOutput(0), t);
    }

    /** The window attributes of a Conv or pooling node. */
    static Window window(ImportContext ctx, boolean pooling) {
        Attributes a = ctx.attributes();
        int[] kernel = a.getInts("kernel_shape");
        if (pooling && kernel.length == 0) {
            throw ctx.error("kernel_shape is required");
        }
        return new Window(kernel, a.getInts("strides"), a.getInts("pads"), a.getInts("dilations"),
                AutoPad.parse(a.getString("auto_pad", "NOTSET")), a.getInt("ceil_mode", 0) != 0);
    }


}

package dev.jattr.onnx;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.BatchNormalization;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.BitShift;
import dev.jattr.graph.ops.Clip;
import dev.jattr.graph.ops.ConvTranspose;
import dev.jattr.graph.ops.Einsum;
import dev.jattr.graph.ops.GlobalMaxPool;
import dev.jattr.graph.ops.Hardmax;
import dev.jattr.graph.ops.InstanceNormalization;
import dev.jattr.graph.ops.LayerNormalization;
import dev.jattr.graph.ops.LogSoftmax;
import dev.jattr.graph.ops.LpPool;
import dev.jattr.graph.ops.Lrn;
import dev.jattr.graph.ops.MatMul;
import dev.jattr.graph.ops.Reduce;
import dev.jattr.graph.ops.ReduceKind;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Variadic;
import java.util.Arrays;
import java.util.List;

/** Importers for elementwise math, activation, normalisation, reduction and linear-algebra ops. */
final class MathImporters {
    private MathImporters() {}

    static void registerAll(OpRegistry r) {
        elementwise(r);
        linearAlgebra(r);
        normalization(r);
        reductions(r);
        pooling(r);
    }

    private static void elementwise(OpRegistry r) {
        for (UnaryKind k : List.of(UnaryKind.SIGN, UnaryKind.FLOOR, UnaryKind.CEIL, UnaryKind.ROUND, UnaryKind.SIN, UnaryKind.COS,
                UnaryKind.TAN, UnaryKind.ASIN, UnaryKind.ACOS, UnaryKind.ATAN, UnaryKind.SINH, UnaryKind.COSH, UnaryKind.ASINH,
                UnaryKind.ACOSH, UnaryKind.ATANH, UnaryKind.ERF, UnaryKind.SOFTSIGN)) {
            r.register(k.onnxName(), 1, ctx -> ctx.emit(Unary.of(k)));
        }
        r.register("Selu", 1, ctx -> ctx.emit(new Unary(UnaryKind.SELU,
                ctx.attributes().getFloat("alpha", 1.67326319217681884765625),
                ctx.attributes().getFloat("gamma", 1.05070102214050292968750))));
        r.register("Celu", 12, ctx -> ctx.emit(new Unary(UnaryKind.CELU, ctx.attributes().getFloat("alpha", 1.0), 0)));
        r.register("ThresholdedRelu", 10, ctx -> ctx.emit(new Unary(UnaryKind.THRESHOLDED_RELU,
                ctx.attributes().getFloat("alpha", 1.0), 0)));
        r.register("Gelu", 20, ctx -> {
            String approximate = ctx.attributes().getString("approximate", "none");
            ctx.emit(Unary.of(switch (approximate) {
                case "none" -> UnaryKind.GELU;
                case "tanh" -> UnaryKind.GELU_TANH;
                default -> throw ctx.error("approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
            }));
        });
        // HardSwish(x) = x·HardSigmoid(x) with alpha 1/6, beta 1/2, exactly as ONNX defines it.
        r.register("HardSwish", 14, ctx -> {
            String gate = ctx.fresh("hardsigmoid");
            ctx.emitPart("HardSigmoid", new Unary(UnaryKind.HARD_SIGMOID, 1.0 / 6, 0.5), List.of(ctx.input(0)), List.of(gate));
            ctx.emit(new Binary(BinaryKind.MUL), List.of(ctx.input(0), gate));
        });
        // Mish(x) = x·tanh(softplus(x)).
        r.register("Mish", 18, ctx -> {
            String sp = ctx.fresh("softplus"), th = ctx.fresh("tanh");
            ctx.emitPart("Softplus", Unary.of(UnaryKind.SOFTPLUS), List.of(ctx.input(0)), List.of(sp));
            ctx.emitPart("Tanh", Unary.of(UnaryKind.TANH), List.of(sp), List.of(th));
            ctx.emit(new Binary(BinaryKind.MUL), List.of(ctx.input(0), th));
        });
        r.register("PRelu", 1, ctx -> ctx.emit(new Binary(BinaryKind.PRELU)));
        r.register("Clip", 1, ctx -> {
            String lo = ctx.fresh("min"), hi = ctx.fresh("max");
            ctx.constant(lo, Tensor.scalar((float) ctx.attributes().getFloat("min", Float.NEGATIVE_INFINITY)));
            ctx.constant(hi, Tensor.scalar((float) ctx.attributes().getFloat("max", Float.POSITIVE_INFINITY)));
            ctx.emit(new Clip(), List.of(ctx.input(0), lo, hi));
        });
        r.register("Clip", 11, ctx -> ctx.emit(new Clip()));
        r.register("Mod", 10, ctx -> ctx.emit(new Binary(ctx.attributes().getInt("fmod", 0) != 0 ? BinaryKind.FMOD : BinaryKind.MOD)));
        for (Variadic.Kind k : Variadic.Kind.values()) {
            r.register(k.onnxName(), 1, ctx -> ctx.emit(new Variadic(k)));
        }
        r.register("BitShift", 11, ctx -> {
            String direction = ctx.attributes().getString("direction", "");
            if (!direction.equals("LEFT") && !direction.equals("RIGHT")) {
                throw ctx.error("direction must be LEFT or RIGHT, got \"" + direction + "\"");
            }
            ctx.emit(new BitShift(direction.equals("LEFT")));
        });
    }

    private static void linearAlgebra(OpRegistry r) {
        r.register("MatMul", 1, ctx -> ctx.emit(new MatMul()));
        r.register("Einsum", 12, ctx -> ctx.emit(new Einsum(ctx.attributes().getString("equation", ""))));
        r.register("ConvTranspose", 1, ctx -> {
            Attributes a = ctx.attributes();
            ctx.emit(new ConvTranspose(CoreImporters.window(ctx, false), (int) a.getInt("group", 1), a.getInts("output_padding"),
                    spatialOutputShape(ctx)));
        });
    }

    /** output_shape's spatial part: some exporters write the whole N×C×… shape. */
    private static int[] spatialOutputShape(ImportContext ctx) {
        int[] s = ctx.attributes().getInts("output_shape");
        int[] k = ctx.attributes().getInts("kernel_shape");
        Tensor w = ctx.constantInput(1);
        int rank = k.length > 0 ? k.length : w != null ? w.rank() - 2 : s.length;
        return s.length == rank + 2 ? Arrays.copyOfRange(s, 2, s.length) : s;
    }

    private static void normalization(OpRegistry r) {
        r.register("BatchNormalization", 7, ctx -> {
            if (ctx.attributes().getInt("training_mode", 0) != 0) {
                throw ctx.error("training_mode=1 is not supported (export the model in eval mode)");
            }
            // Before opset 9, spatial = 0 meant one parameter per activation; the op infers that from the parameter size.
            ctx.emit(new BatchNormalization(ctx.attributes().getFloat("epsilon", 1e-5)), ctx.node().getInputList().subList(0, 5));
        });
        r.register("InstanceNormalization", 1, ctx -> ctx.emit(new InstanceNormalization(ctx.attributes().getFloat("epsilon", 1e-5))));
        r.register("LayerNormalization", 17, ctx -> ctx.emit(new LayerNormalization((int) ctx.attributes().getInt("axis", -1),
                ctx.attributes().getFloat("epsilon", 1e-5))));
        r.register("LRN", 1, ctx -> {
            Attributes a = ctx.attributes();
            if (!a.has("size")) {
                throw ctx.error("attribute 'size' is required");
            }
            ctx.emit(new Lrn(a.getFloat("alpha", 1e-4), a.getFloat("beta", 0.75), a.getFloat("bias", 1.0), (int) a.getInt("size", 1)));
        });
        r.register("LogSoftmax", 1, ctx -> ctx.emit(new LogSoftmax((int) ctx.attributes().getInt("axis", 1), true)));
        r.register("LogSoftmax", 13, ctx -> ctx.emit(new LogSoftmax((int) ctx.attributes().getInt("axis", -1), false)));
        r.register("Hardmax", 1, ctx -> ctx.emit(new Hardmax((int) ctx.attributes().getInt("axis", 1), true)));
        r.register("Hardmax", 13, ctx -> ctx.emit(new Hardmax((int) ctx.attributes().getInt("axis", -1), false)));
    }

    private static void reductions(OpRegistry r) {
        for (ReduceKind k : ReduceKind.values()) {
            // Axes moved from an attribute to an optional input at opset 18 (ReduceSum already at 13).
            r.register(k.onnxName(), 1, ctx -> ctx.emit(reduce(ctx, k, true), List.of(ctx.input(0))));
            r.register(k.onnxName(), k == ReduceKind.SUM ? 13 : 18, ctx -> ctx.emit(reduce(ctx, k, false)));
        }
    }

    private static Reduce reduce(ImportContext ctx, ReduceKind k, boolean axesAttribute) {
        Attributes a = ctx.attributes();
        List<Integer> axes = axesAttribute ? Arrays.stream(a.getInts("axes")).boxed().toList() : List.of();
        return new Reduce(k, axes, a.getInt("keepdims", 1) != 0, a.getInt("noop_with_empty_axes", 0) != 0);
    }

    private static void pooling(OpRegistry r) {
        r.register("GlobalMaxPool", 1, ctx -> ctx.emit(new GlobalMaxPool()));
        r.register("GlobalLpPool", 1, ctx -> ctx.emit(LpPool.global(pOrder(ctx))));
        r.register("LpPool", 1, ctx -> ctx.emit(new LpPool(CoreImporters.window(ctx, true), pOrder(ctx), false)));
    }

    private static double pOrder(ImportContext ctx) {
        var raw = ctx.attributes().raw("p");
        // p was a float before opset 2 and an int since.
        double p = raw == null ? 2 : raw.getType() == ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.FLOAT ? raw.getF() : raw.getI();
        if (p <= 0) {
            throw ctx.error("p must be positive, got " + p);
        }
        return p;
    }
}

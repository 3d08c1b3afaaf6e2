package dev.jattr.onnx;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.ArgExtreme;
import dev.jattr.graph.ops.Cast;
import dev.jattr.graph.ops.CastLike;
import dev.jattr.graph.ops.Compare;
import dev.jattr.graph.ops.CompareKind;
import dev.jattr.graph.ops.Compress;
import dev.jattr.graph.ops.Concat;
import dev.jattr.graph.ops.ConstantOfShape;
import dev.jattr.graph.ops.CumSum;
import dev.jattr.graph.ops.DepthToSpace;
import dev.jattr.graph.ops.Expand;
import dev.jattr.graph.ops.EyeLike;
import dev.jattr.graph.ops.Gather;
import dev.jattr.graph.ops.GatherElements;
import dev.jattr.graph.ops.GatherND;
import dev.jattr.graph.ops.Logic;
import dev.jattr.graph.ops.LogicKind;
import dev.jattr.graph.ops.NonZero;
import dev.jattr.graph.ops.Not;
import dev.jattr.graph.ops.OneHot;
import dev.jattr.graph.ops.Range;
import dev.jattr.graph.ops.Resize;
import dev.jattr.graph.ops.ReverseSequence;
import dev.jattr.graph.ops.ScatterElements;
import dev.jattr.graph.ops.ScatterND;
import dev.jattr.graph.ops.ScatterReduction;
import dev.jattr.graph.ops.Shape;
import dev.jattr.graph.ops.Size;
import dev.jattr.graph.ops.Slice;
import dev.jattr.graph.ops.SpaceToDepth;
import dev.jattr.graph.ops.Split;
import dev.jattr.graph.ops.Squeeze;
import dev.jattr.graph.ops.Tile;
import dev.jattr.graph.ops.TopK;
import dev.jattr.graph.ops.Transpose;
import dev.jattr.graph.ops.Trilu;
import dev.jattr.graph.ops.Unsqueeze;
import dev.jattr.graph.ops.Where;
import java.util.ArrayList;
import java.util.List;

/**
 * Importers for shape, indexing, data-movement, comparison and logic ops. Where an attribute
 * became an input in a later opset (Slice 10, Squeeze/Unsqueeze/Split 13, TopK 10, Upsample 9),
 * the older form turns the attribute into a constant input, so one op record serves every opset.
 */
final class ShapeImporters {
    private ShapeImporters() {}

    static void registerAll(OpRegistry r) {
        r.register("Concat", 1, ctx -> ctx.emit(new Concat((int) ctx.attributes().getInt("axis", 1))));
        r.register("Split", 1, ctx -> ctx.emit(new Split((int) ctx.attributes().getInt("axis", 0), ctx.node().getOutputCount(),
                ctx.attributes().getInts("split")), List.of(ctx.input(0))));
        r.register("Split", 13, ctx -> ctx.emit(new Split((int) ctx.attributes().getInt("axis", 0), ctx.node().getOutputCount(),
                new int[0])));
        r.register("Slice", 1, ctx -> {
            Attributes a = ctx.attributes();
            List<String> inputs = new ArrayList<>(List.of(ctx.input(0), longs(ctx, "starts", a.getLongs("starts")),
                    longs(ctx, "ends", a.getLongs("ends"))));
            if (a.has("axes")) {
                inputs.add(longs(ctx, "axes", a.getLongs("axes")));
            }
            ctx.emit(new Slice(), inputs);
        });
        r.register("Slice", 10, ctx -> ctx.emit(new Slice()));
        r.register("Transpose", 1, ctx -> ctx.emit(new Transpose(ctx.attributes().getInts("perm"))));
        r.register("Squeeze", 1, ctx -> ctx.emit(new Squeeze(), ctx.attributes().has("axes")
                ? List.of(ctx.input(0), longs(ctx, "axes", ctx.attributes().getLongs("axes"))) : List.of(ctx.input(0))));
        r.register("Squeeze", 13, ctx -> ctx.emit(new Squeeze()));
        r.register("Unsqueeze", 1, ctx -> ctx.emit(new Unsqueeze(),
                List.of(ctx.input(0), longs(ctx, "axes", ctx.attributes().getLongs("axes")))));
        r.register("Unsqueeze", 13, ctx -> ctx.emit(new Unsqueeze()));
        r.register("Expand", 8, ctx -> ctx.emit(new Expand()));
        r.register("Tile", 6, ctx -> ctx.emit(new Tile()));
        r.register("Gather", 1, ctx -> ctx.emit(new Gather((int) ctx.attributes().getInt("axis", 0))));
        r.register("GatherElements", 11, ctx -> ctx.emit(new GatherElements((int) ctx.attributes().getInt("axis", 0))));
        r.register("GatherND", 11, ctx -> ctx.emit(new GatherND((int) ctx.attributes().getInt("batch_dims", 0))));
        r.register("Scatter", 9, ctx -> ctx.emit(new ScatterElements((int) ctx.attributes().getInt("axis", 0), ScatterReduction.NONE)));
        r.register("ScatterElements", 11, ctx -> ctx.emit(new ScatterElements((int) ctx.attributes().getInt("axis", 0),
                ScatterReduction.parse(ctx.attributes().getString("reduction", "none")))));
        r.register("ScatterND", 11, ctx -> ctx.emit(new ScatterND(ScatterReduction.parse(ctx.attributes().getString("reduction", "none")))));
        r.register("Shape", 1, ctx -> ctx.emit(new Shape(ctx.attributes().getInt("start", 0), ctx.attributes().getInt("end", Long.MAX_VALUE))));
        r.register("Size", 1, ctx -> ctx.emit(new Size()));
        r.register("ConstantOfShape", 9, ctx -> {
            Tensor v = ctx.attributes().getTensor("value");
            ctx.emit(new ConstantOfShape(v == null ? Tensor.of(new float[] {0}, 1) : v));
        });
        r.register("Range", 11, ctx -> ctx.emit(new Range()));
        r.register("Cast", 6, ctx -> {
            int to = (int) ctx.attributes().getInt("to", -1);
            ctx.emit(new Cast(TensorProtos.dtypeOf(to, ctx.attributes().where()), narrowing(to)));
        });
        r.register("CastLike", 15, ctx -> ctx.emit(new CastLike()));
        r.register("Where", 9, ctx -> ctx.emit(new Where()));
        for (CompareKind k : CompareKind.values()) {
            r.register(k.onnxName(), 1, ctx -> ctx.emit(new Compare(k)));
        }
        for (LogicKind k : LogicKind.values()) {
            r.register(k.onnxName(), 1, ctx -> ctx.emit(new Logic(k)));
        }
        r.register("Not", 1, ctx -> ctx.emit(new Not()));
        r.register("TopK", 1, ctx -> ctx.emit(new TopK((int) ctx.attributes().getInt("axis", -1), true),
                List.of(ctx.input(0), longs(ctx, "k", new long[] {ctx.attributes().getInt("k", 1)}))));
        r.register("TopK", 10, ctx -> ctx.emit(new TopK((int) ctx.attributes().getInt("axis", -1),
                ctx.attributes().getInt("largest", 1) != 0)));
        for (boolean max : new boolean[] {true, false}) {
            r.register(max ? "ArgMax" : "ArgMin", 1, ctx -> ctx.emit(new ArgExtreme(max, (int) ctx.attributes().getInt("axis", 0),
                    ctx.attributes().getInt("keepdims", 1) != 0, ctx.attributes().getInt("select_last_index", 0) != 0)));
        }
        r.register("CumSum", 11, ctx -> ctx.emit(new CumSum(ctx.attributes().getInt("exclusive", 0) != 0,
                ctx.attributes().getInt("reverse", 0) != 0)));
        r.register("Resize", 10, ctx -> ctx.emit(resize(ctx, "asymmetric"), List.of(ctx.input(0), "", ctx.input(1))));
        r.register("Resize", 11, ctx -> ctx.emit(resize(ctx, "half_pixel")));
        r.register("Upsample", 7, ctx -> {
            float[] scales = ctx.attributes().getFloats("scales");
            String s = ctx.fresh("scales");
            ctx.constant(s, Tensor.of(scales, scales.length));
            ctx.emit(resize(ctx, "asymmetric"), List.of(ctx.input(0), "", s));
        });
        r.register("Upsample", 9, ctx -> ctx.emit(resize(ctx, "asymmetric"), List.of(ctx.input(0), "", ctx.input(1))));
        r.register("DepthToSpace", 1, ctx -> ctx.emit(new DepthToSpace((int) ctx.attributes().getInt("blocksize", 1),
                ctx.attributes().getString("mode", "DCR").equals("CRD"))));
        r.register("SpaceToDepth", 1, ctx -> ctx.emit(new SpaceToDepth((int) ctx.attributes().getInt("blocksize", 1))));
        r.register("OneHot", 9, ctx -> ctx.emit(new OneHot((int) ctx.attributes().getInt("axis", -1))));
        r.register("NonZero", 9, ctx -> ctx.emit(new NonZero()));
        r.register("Trilu", 14, ctx -> ctx.emit(new Trilu(ctx.attributes().getInt("upper", 1) != 0)));
        r.register("EyeLike", 9, ctx -> ctx.emit(new EyeLike(ctx.attributes().has("dtype")
                ? TensorProtos.dtypeOf((int) ctx.attributes().getInt("dtype", 1), ctx.attributes().where()) : null,
                (int) ctx.attributes().getInt("k", 0))));
        r.register("Compress", 9, ctx -> ctx.emit(new Compress(ctx.attributes().has("axis")
                ? (int) ctx.attributes().getInt("axis", 0) : Compress.FLATTEN)));
        r.register("ReverseSequence", 10, ctx -> ctx.emit(new ReverseSequence((int) ctx.attributes().getInt("batch_axis", 1),
                (int) ctx.attributes().getInt("time_axis", 0))));
    }

    /** Registers an int64 attribute list as a constant input and returns its name. */
    private static String longs(ImportContext ctx, String what, long[] values) {
        String name = ctx.fresh(what);
        ctx.constant(name, Tensor.of(values, values.length));
        return name;
    }

    private static Resize resize(ImportContext ctx, String defaultTransform) {
        Attributes a = ctx.attributes();
        if (a.getInt("antialias", 0) != 0 || a.has("axes") || a.has("keep_aspect_ratio_policy")) {
            throw ctx.error("antialias, axes and keep_aspect_ratio_policy are not supported");
        }
        return new Resize(Resize.Mode.parse(a.getString("mode", "nearest")),
                Resize.Transform.parse(a.getString("coordinate_transformation_mode", defaultTransform)),
                Resize.NearestMode.parse(a.getString("nearest_mode", ctx.opset() < 11 ? "floor" : "round_prefer_floor")),
                a.getFloat("cubic_coeff_a", -0.75), a.getInt("exclude_outside", 0) != 0, a.getFloat("extrapolation_value", 0));
    }

    private static Cast.Narrowing narrowing(int onnxType) {
        return switch (onnxType) {
            case TensorProtos.FLOAT16 -> Cast.Narrowing.FLOAT16;
            case TensorProtos.BFLOAT16 -> Cast.Narrowing.BFLOAT16;
            case TensorProtos.INT8 -> Cast.Narrowing.INT8;
            case TensorProtos.UINT8 -> Cast.Narrowing.UINT8;
            case TensorProtos.INT16 -> Cast.Narrowing.INT16;
            case TensorProtos.UINT16 -> Cast.Narrowing.UINT16;
            case TensorProtos.UINT32 -> Cast.Narrowing.UINT32;
            default -> Cast.Narrowing.NONE;
        };
    }

}

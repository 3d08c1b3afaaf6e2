package dev.jattr.onnx;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Det;
import dev.jattr.graph.ops.GridSample;
import dev.jattr.graph.ops.IsInf;
import dev.jattr.graph.ops.IsNaN;
import dev.jattr.graph.ops.LogSoftmax;
import dev.jattr.graph.ops.LossReduction;
import dev.jattr.graph.ops.MaxUnpool;
import dev.jattr.graph.ops.MelWeightMatrix;
import dev.jattr.graph.ops.NegativeLogLikelihoodLoss;
import dev.jattr.graph.ops.NonMaxSuppression;
import dev.jattr.graph.ops.Reduce;
import dev.jattr.graph.ops.ReduceKind;
import dev.jattr.graph.ops.RoiAlign;
import dev.jattr.graph.ops.Shrink;
import dev.jattr.graph.ops.SpectralWindow;
import dev.jattr.graph.ops.TfIdfVectorizer;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Unique;
import java.util.Arrays;
import java.util.List;

/**
 * Importers for losses, value tests, signal windows, detection and sampling ops, and a few other
 * ops outside the core network layers.
 */
final class LossAndMiscImporters {
    private LossAndMiscImporters() {}

    static void registerAll(OpRegistry r) {
        losses(r);
        elementwise(r);
        signal(r);
        vision(r);
        r.register("Det", 11, ctx -> ctx.emit(new Det()));
        r.register("Unique", 11, ctx -> {
            Attributes a = ctx.attributes();
            ctx.emit(new Unique(a.has("axis") ? (int) a.getInt("axis", 0) : null, a.getInt("sorted", 1) != 0));
        });
        r.register("TfIdfVectorizer", 9, LossAndMiscImporters::tfIdf);
    }

    private static void losses(OpRegistry r) {
        r.register("NegativeLogLikelihoodLoss", 12, ctx -> ctx.emit(nll(ctx)));
        // SoftmaxCrossEntropyLoss = NegativeLogLikelihoodLoss(LogSoftmax(scores, axis 1)), as ONNX defines it.
        r.register("SoftmaxCrossEntropyLoss", 12, ctx -> {
            var outputs = ctx.node().getOutputList();
            String logProb = outputs.size() > 1 && !outputs.get(1).isEmpty() ? outputs.get(1) : ctx.fresh("log_prob");
            ctx.emitPart("LogSoftmax", new LogSoftmax(1, false), List.of(ctx.input(0)), List.of(logProb));
            List<String> in = ctx.inputCount() > 2 ? List.of(logProb, ctx.input(1), ctx.input(2)) : List.of(logProb, ctx.input(1));
            ctx.emit(nll(ctx), in, List.of(outputs.get(0)));
        });
    }

    private static NegativeLogLikelihoodLoss nll(ImportContext ctx) {
        Attributes a = ctx.attributes();
        try {
            return new NegativeLogLikelihoodLoss(LossReduction.parse(a.getString("reduction", "mean")),
                    a.has("ignore_index") ? a.getInt("ignore_index", 0) : null);
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
    }

    private static void elementwise(OpRegistry r) {
        r.register("IsNaN", 9, ctx -> ctx.emit(new IsNaN()));
        r.register("IsInf", 10, ctx -> ctx.emit(new IsInf(ctx.attributes().getInt("detect_positive", 1) != 0,
                ctx.attributes().getInt("detect_negative", 1) != 0)));
        r.register("Shrink", 9, ctx -> ctx.emit(new Shrink(ctx.attributes().getFloat("lambd", 0.5), ctx.attributes().getFloat("bias", 0))));
        // MeanVarianceNormalization as ONNX's function body: (X − E[X]) / (sqrt(E[X²] − E[X]²) + 1e-9) over the axes.
        r.register("MeanVarianceNormalization", 9, ctx -> {
            int[] axes = ctx.attributes().has("axes") ? ctx.attributes().getInts("axes") : new int[] {0, 2, 3};
            Reduce mean = new Reduce(ReduceKind.MEAN, Arrays.stream(axes).boxed().toList(), true, false);
            String x = ctx.input(0), m = ctx.fresh("mean"), x2 = ctx.fresh("square"), ex2 = ctx.fresh("mean_square"),
                    m2 = ctx.fresh("mean_squared"), variance = ctx.fresh("variance"), std = ctx.fresh("std"),
                    eps = ctx.fresh("epsilon"), denominator = ctx.fresh("denominator"), centred = ctx.fresh("centred");
            ctx.constant(eps, Tensor.scalar(1e-9f));
            ctx.emitPart("Mean", mean, List.of(x), List.of(m));
            ctx.emitPart("Square", new Binary(BinaryKind.MUL), List.of(x, x), List.of(x2));
            ctx.emitPart("MeanSquare", mean, List.of(x2), List.of(ex2));
            ctx.emitPart("MeanSquared", new Binary(BinaryKind.MUL), List.of(m, m), List.of(m2));
            ctx.emitPart("Variance", new Binary(BinaryKind.SUB), List.of(ex2, m2), List.of(variance));
            ctx.emitPart("Std", Unary.of(UnaryKind.SQRT), List.of(variance), List.of(std));
            ctx.emitPart("Epsilon", new Binary(BinaryKind.ADD), List.of(std, eps), List.of(denominator));
            ctx.emitPart("Centre", new Binary(BinaryKind.SUB), List.of(x, m), List.of(centred));
            ctx.emit(new Binary(BinaryKind.DIV), List.of(centred, denominator));
        });
    }

    private static void signal(OpRegistry r) {
        for (SpectralWindow.Kind k : SpectralWindow.Kind.values()) {
            r.register(k.onnxName(), 17, ctx -> ctx.emit(new SpectralWindow(k, ctx.attributes().getInt("periodic", 1) != 0,
                    TensorProtos.dtypeOf((int) ctx.attributes().getInt("output_datatype", TensorProtos.FLOAT), ctx.attributes().where()))));
        }
        r.register("MelWeightMatrix", 17, ctx -> ctx.emit(new MelWeightMatrix(
                TensorProtos.dtypeOf((int) ctx.attributes().getInt("output_datatype", TensorProtos.FLOAT), ctx.attributes().where()))));
    }

    private static void vision(OpRegistry r) {
        r.register("MaxUnpool", 9, ctx -> {
            Attributes a = ctx.attributes();
            if (a.getInts("kernel_shape").length == 0) {
                throw ctx.error("kernel_shape is required");
            }
            ctx.emit(new MaxUnpool(a.getInts("kernel_shape"), a.getInts("strides"), a.getInts("pads")));
        });
        r.register("NonMaxSuppression", 10, ctx -> ctx.emit(new NonMaxSuppression(ctx.attributes().getInt("center_point_box", 0) != 0)));
        r.register("RoiAlign", 10, ctx -> ctx.emit(roiAlign(ctx, "output_half_pixel")));
        r.register("RoiAlign", 16, ctx -> ctx.emit(roiAlign(ctx, ctx.attributes().getString("coordinate_transformation_mode", "half_pixel"))));
        r.register("GridSample", 16, ctx -> {
            Attributes a = ctx.attributes();
            try {
                ctx.emit(new GridSample(GridSample.Mode.parse(a.getString("mode", "bilinear")),
                        GridSample.Padding.parse(a.getString("padding_mode", "zeros")), a.getInt("align_corners", 0) != 0));
            } catch (IllegalArgumentException e) {
                throw ctx.error(e.getMessage());
            }
        });
    }

    private static void tfIdf(ImportContext ctx) {
        Attributes a = ctx.attributes();
        if (a.has("pool_strings")) {
            throw ctx.error("string pools are not supported (tokens must be integers)");
        }
        TfIdfVectorizer.Mode mode;
        try {
            mode = TfIdfVectorizer.Mode.valueOf(a.getString("mode", ""));
        } catch (IllegalArgumentException e) {
            throw ctx.error("mode must be TF, IDF or TFIDF, got \"" + a.getString("mode", "") + "\"");
        }
        try {
            ctx.emit(new TfIdfVectorizer((int) a.getInt("min_gram_length", 1), (int) a.getInt("max_gram_length", 1),
                    (int) a.getInt("max_skip_count", 0), mode, a.getLongs("pool_int64s"), a.getInts("ngram_counts"),
                    a.getInts("ngram_indexes"), a.getFloats("weights")));
        } catch (IllegalArgumentException e) {
            throw ctx.error(e.getMessage());
        }
    }

    private static RoiAlign roiAlign(ImportContext ctx, String transformation) {
        Attributes a = ctx.attributes();
        String mode = a.getString("mode", "avg");
        if (!mode.equals("avg") && !mode.equals("max")) {
            throw ctx.error("mode must be avg or max, got \"" + mode + "\"");
        }
        if (!transformation.equals("half_pixel") && !transformation.equals("output_half_pixel")) {
            throw ctx.error("coordinate_transformation_mode must be half_pixel or output_half_pixel, got \"" + transformation + "\"");
        }
        return new RoiAlign(mode.equals("max"), (int) a.getInt("output_height", 1), (int) a.getInt("output_width", 1),
                (int) a.getInt("sampling_ratio", 0), a.getFloat("spatial_scale", 1.0), transformation.equals("half_pixel"));
    }
}

package dev.jattr.cli;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.onnx.OpRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The demo's digit classifier and its training with jattr's own reverse mode: image [batch, 1,
 * 28, 28] → conv1 (8 3×3) → relu1 → pool1 → conv2 (16 3×3) → relu2 → pool2 → flatten → fc (10)
 * → output (logits). The weights are the graph's constants; training feeds them as known values
 * (which take precedence over constants), takes the gradient of the cross-entropy with respect to
 * them from the trace, and updates them with Adam. Deterministic for a seed.
 */
final class DigitNet {
    static final String INPUT = "image", OUTPUT = "output";
    /** The files {@code jattr train-demo} writes and the jar ships under {@code /demo/}. */
    static final String MODEL_FILE = "digits.onnx", SAMPLES_FILE = "digits.samples.npy", MASKS_FILE = "digits.masks.npy";
    /** Each parameter with its shape, in order. */
    static final Map<String, int[]> PARAMETERS = new LinkedHashMap<>();

    static {
        PARAMETERS.put("conv1.weight", new int[] {8, 1, 3, 3});
        PARAMETERS.put("conv1.bias", new int[] {8});
        PARAMETERS.put("conv2.weight", new int[] {16, 8, 3, 3});
        PARAMETERS.put("conv2.bias", new int[] {16});
        PARAMETERS.put("fc.weight", new int[] {10, 16 * 7 * 7});
        PARAMETERS.put("fc.bias", new int[] {10});
    }

    private static final int SIDE = DigitStrokes.SIZE, CLASSES = 10;

    private DigitNet() {}

    /** The ONNX model with {@code weights}, opset 13. */
    static ModelProto model(Map<String, float[]> weights) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("digits")
                .addInput(value(INPUT, 1, SIDE, SIDE)).addOutput(value(OUTPUT, CLASSES));
        PARAMETERS.forEach((name, shape) -> {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
            for (int d : shape) {
                t.addDims(d);
            }
            for (float v : weights.get(name)) {
                t.addFloatData(v);
            }
            g.addInitializer(t);
        });
        g.addNode(conv("conv1", INPUT, "/conv1/Conv_output_0"))
                .addNode(node("/relu1/Relu", "Relu", List.of("/conv1/Conv_output_0"), "/relu1/Relu_output_0"))
                .addNode(pool("pool1", "/relu1/Relu_output_0"))
                .addNode(conv("conv2", "/pool1/MaxPool_output_0", "/conv2/Conv_output_0"))
                .addNode(node("/relu2/Relu", "Relu", List.of("/conv2/Conv_output_0"), "/relu2/Relu_output_0"))
                .addNode(pool("pool2", "/relu2/Relu_output_0"))
                .addNode(node("/flatten/Flatten", "Flatten", List.of("/pool2/MaxPool_output_0"), "/flatten/Flatten_output_0").toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)).build())
                .addNode(node("/fc/Gemm", "Gemm", List.of("/flatten/Flatten_output_0", "fc.weight", "fc.bias"), OUTPUT).toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1)).build());
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("jattr train-demo")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    /** The model as jattr's graph. */
    static Graph graph(Map<String, float[]> weights) {
        return OnnxModel.importGraph(model(weights).getGraph(), 13, java.nio.file.Path.of("."), OpRegistry.standard());
    }

    /** He-initialised weights and zero biases. */
    static Map<String, float[]> initial(SplittableRandom r) {
        Map<String, float[]> w = new LinkedHashMap<>();
        PARAMETERS.forEach((name, shape) -> {
            int size = 1;
            for (int d : shape) {
                size *= d;
            }
            float[] v = new float[size];
            if (shape.length > 1) {
                double std = Math.sqrt(2.0 / (size / shape[0]));
                for (int i = 0; i < size; i++) {
                    v[i] = (float) (std * r.nextGaussian());
                }
            }
            w.put(name, v);
        });
        return w;
    }

    /**
     * Trains from {@code seed} for {@code steps} batches of {@code batch} fresh digits with Adam
     * (learning rate decaying linearly to a tenth); reports every few hundred steps to {@code log}.
     */
    static Map<String, float[]> train(long seed, int steps, int batch, Consumer<String> log) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> w = initial(r.split());
        Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        w.forEach((k, x) -> {
            m.put(k, new float[x.length]);
            v.put(k, new float[x.length]);
        });
        Executor ex = new Executor(graph(w));
        double b1 = 0.9, b2 = 0.999, running = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            int[] labels = new int[batch];
            Tensor images = images(r, labels);
            Map<String, Tensor> known = new LinkedHashMap<>();
            known.put(INPUT, images);
            PARAMETERS.forEach((name, shape) -> known.put(name, Tensor.of(w.get(name), shape)));
            Trace t = ex.run(known, List.of(OUTPUT));
            float[] logits = t.value(OUTPUT).cast(dev.jattr.graph.DType.F32).floats();
            float[] grad = new float[logits.length];
            double loss = 0;
            for (int e = 0; e < batch; e++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < CLASSES; c++) {
                    max = Math.max(max, logits[e * CLASSES + c]);
                }
                for (int c = 0; c < CLASSES; c++) {
                    sum += Math.exp(logits[e * CLASSES + c] - max);
                }
                for (int c = 0; c < CLASSES; c++) {
                    double p = Math.exp(logits[e * CLASSES + c] - max) / sum;
                    grad[e * CLASSES + c] = (float) ((p - (c == labels[e] ? 1 : 0)) / batch);
                }
                loss -= (logits[e * CLASSES + labels[e]] - max - Math.log(sum)) / batch;
            }
            running = Double.isNaN(running) ? loss : 0.98 * running + 0.02 * loss;
            Map<String, Tensor> g = t.backward(Map.of(OUTPUT, Tensor.of(grad, batch, CLASSES)), PARAMETERS.keySet(), BackwardRules.gradient());
            double lr = 0.004 * (1 - 0.9 * (step - 1) / steps);
            double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
            for (String name : PARAMETERS.keySet()) {
                float[] x = w.get(name), mm = m.get(name), vv = v.get(name);
                float[] gg = g.get(name).cast(dev.jattr.graph.DType.F32).floats();
                for (int i = 0; i < x.length; i++) {
                    mm[i] = (float) (b1 * mm[i] + (1 - b1) * gg[i]);
                    vv[i] = (float) (b2 * vv[i] + (1 - b2) * gg[i] * gg[i]);
                    x[i] -= (float) (lr * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + 1e-8));
                }
            }
            if (step % 200 == 0 || step == steps) {
                log.accept(String.format(java.util.Locale.ROOT, "step %d/%d: loss %.4f", step, steps, running));
            }
        }
        return w;
    }

    /**
     * {@link #train} inside a pool of one thread, so that the kernels' parallel parts, which
     * run on the pool they are called from, keep one order of summation and the result is the
     * same on every machine.
     */
    static Map<String, float[]> trainAlone(long seed, int steps, int batch, Consumer<String> log) {
        java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
        try {
            return one.submit(() -> train(seed, steps, batch, log)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            one.shutdown();
        }
    }

    /** A batch of fresh digits of random labels (written to {@code labels}) as [n, 1, 28, 28]. */
    static Tensor images(SplittableRandom r, int[] labels) {
        float[] pixels = new float[labels.length * SIDE * SIDE];
        for (int e = 0; e < labels.length; e++) {
            labels[e] = r.nextInt(CLASSES);
            System.arraycopy(DigitStrokes.draw(labels[e], r).pixels(), 0, pixels, e * SIDE * SIDE, SIDE * SIDE);
        }
        return Tensor.of(pixels, labels.length, 1, SIDE, SIDE);
    }

    /** The share of {@code n} fresh digits drawn from {@code seed} that {@code graph} classifies right. */
    static double accuracy(Graph graph, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] labels = new int[n];
        Tensor images = images(r, labels);
        Tensor logits = new Executor(graph).forward(Map.of(INPUT, images)).get(OUTPUT);
        int right = 0;
        for (int e = 0; e < n; e++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                best = logits.getDouble(e * CLASSES + c) > logits.getDouble(e * CLASSES + best) ? c : best;
            }
            right += best == labels[e] ? 1 : 0;
        }
        return (double) right / n;
    }

    private static NodeProto conv(String module, String in, String out) {
        return node("/" + module + "/Conv", "Conv", List.of(in, module + ".weight", module + ".bias"), out).toBuilder()
                .addAttribute(ints("kernel_shape", 3, 3)).addAttribute(ints("pads", 1, 1, 1, 1)).build();
    }

    private static NodeProto pool(String module, String in) {
        return node("/" + module + "/MaxPool", "MaxPool", List.of(in), "/" + module + "/MaxPool_output_0").toBuilder()
                .addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("strides", 2, 2)).build();
    }

    private static NodeProto node(String name, String op, List<String> in, String out) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addOutput(out).build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}

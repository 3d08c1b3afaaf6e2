package dev.jattr.graph.ops;

import java.util.Locale;

/**
 * One activation function of a recurrent cell (the {@code activations} attribute of ONNX RNN, GRU
 * and LSTM), with its scaling parameters; it knows its value and its derivative.
 *
 * @param kind  the function
 * @param alpha its first parameter (unused by functions that take none)
 * @param beta  its second parameter (unused by functions that take none)
 */
public record RnnActivation(Kind kind, double alpha, double beta) {
    /** The functions ONNX allows in recurrent cells, with how many parameters each reads and their defaults. */
    public enum Kind {
        /** max(0, x). */
        RELU(0, 0, 0),
        /** tanh(x). */
        TANH(0, 0, 0),
        /** 1 / (1 + e^-x). */
        SIGMOID(0, 0, 0),
        /** alpha·x + beta. */
        AFFINE(2, 1, 0),
        /** x for x ≥ 0, alpha·x below. */
        LEAKYRELU(1, 0.01, 0),
        /** x for x &gt; alpha, 0 otherwise. */
        THRESHOLDEDRELU(1, 1, 0),
        /** alpha·tanh(beta·x). */
        SCALEDTANH(2, 1, 1),
        /** clamp(alpha·x + beta, 0, 1). */
        HARDSIGMOID(2, 0.2, 0.5),
        /** x for x ≥ 0, alpha·(e^x − 1) below. */
        ELU(1, 1, 0),
        /** x / (1 + |x|). */
        SOFTSIGN(0, 0, 0),
        /** log(1 + e^x). */
        SOFTPLUS(0, 0, 0);

        private final int parameters;
        private final double defaultAlpha, defaultBeta;

        Kind(int parameters, double defaultAlpha, double defaultBeta) {
            this.parameters = parameters;
            this.defaultAlpha = defaultAlpha;
            this.defaultBeta = defaultBeta;
        }

        /** Whether the function reads {@code alpha}. */
        public boolean takesAlpha() {
            return parameters >= 1;
        }

        /** Whether the function reads {@code beta}. */
        public boolean takesBeta() {
            return parameters >= 2;
        }

        /** The function with its default parameters. */
        public RnnActivation withDefaults() {
            return new RnnActivation(this, defaultAlpha, defaultBeta);
        }

        /** The function named {@code name} in ONNX's spelling (case-insensitive); fails naming the known ones. */
        public static Kind parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown recurrent activation '" + name + "'; known: "
                        + java.util.Arrays.toString(values()));
            }
        }
    }

    /** The function's value at {@code x}. */
    public double apply(double x) {
        return switch (kind) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case AFFINE -> alpha * x + beta;
            case LEAKYRELU -> x >= 0 ? x : alpha * x;
            case THRESHOLDEDRELU -> x > alpha ? x : 0;
            case SCALEDTANH -> alpha * Math.tanh(beta * x);
            case HARDSIGMOID -> Math.max(0, Math.min(1, alpha * x + beta));
            case ELU -> x >= 0 ? x : alpha * Math.expm1(x);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case SOFTPLUS -> x > 30 ? x : Math.log1p(Math.exp(x));
        };
    }

    /** The function's derivative at {@code x} (one-sided at kinks). */
    public double derivative(double x) {
        return switch (kind) {
            case RELU -> x > 0 ? 1 : 0;
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case SIGMOID -> {
                double s = sigmoid(x);
                yield s * (1 - s);
            }
            case AFFINE -> alpha;
            case LEAKYRELU -> x >= 0 ? 1 : alpha;
            case THRESHOLDEDRELU -> x > alpha ? 1 : 0;
            case SCALEDTANH -> {
                double t = Math.tanh(beta * x);
                yield alpha * beta * (1 - t * t);
            }
            case HARDSIGMOID -> {
                double v = alpha * x + beta;
                yield v > 0 && v < 1 ? alpha : 0;
            }
            case ELU -> x >= 0 ? 1 : alpha * Math.exp(x);
            case SOFTSIGN -> 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)));
            case SOFTPLUS -> sigmoid(x);
        };
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}

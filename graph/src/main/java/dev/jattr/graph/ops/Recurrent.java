package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * ONNX RNN, GRU and LSTM: one recurrent layer run over a whole sequence, in one or both
 * directions. Inputs in ONNX order: X, W, R, B, sequence_lens, initial_h, and for LSTM initial_c
 * and P (optional ones may be {@code null}); outputs Y, Y_h and for LSTM Y_c. Its VJP is
 * backpropagation through time.
 *
 * @param cell              the recurrent cell
 * @param direction         which way(s) the sequence is read
 * @param hiddenSize        the number of hidden units
 * @param activations       the cell's activation functions, {@code cell.activationCount()} per direction
 * @param clip              the bound applied to the input of every activation ({@code +∞} for none)
 * @param linearBeforeReset GRU: apply the reset gate after the recurrent linear map
 * @param inputForget       LSTM: couple the forget gate to the input gate (f = 1 − i)
 * @param batchFirst        layout 1: X and Y have the batch first, states have the batch before the direction
 */
public record Recurrent(Cell cell, Direction direction, int hiddenSize, List<RnnActivation> activations, double clip,
        boolean linearBeforeReset, boolean inputForget, boolean batchFirst) implements Op {

    /** The three recurrent cells, with their number of gates and of activation functions. */
    public enum Cell {
        /** Elman RNN: one gate, activation f. */
        RNN(1, 1),
        /** Gated recurrent unit: gates z, r, h; activations f, g. */
        GRU(3, 2),
        /** Long short-term memory: gates i, o, f, c; activations f, g, h. */
        LSTM(4, 3);

        private final int gates, activationCount;

        Cell(int gates, int activationCount) {
            this.gates = gates;
            this.activationCount = activationCount;
        }

        /** The number of gates (row blocks of W and R). */
        public int gates() {
            return gates;
        }

        /** The number of activation functions per direction. */
        public int activationCount() {
            return activationCount;
        }

        /** The ONNX default activations of one direction. */
        public List<RnnActivation> defaultActivations() {
            RnnActivation sigmoid = RnnActivation.Kind.SIGMOID.withDefaults(), tanh = RnnActivation.Kind.TANH.withDefaults();
            return switch (this) {
                case RNN -> List.of(tanh);
                case GRU -> List.of(sigmoid, tanh);
                case LSTM -> List.of(sigmoid, tanh, tanh);
            };
        }
    }

    /** Which way the sequence is read. */
    public enum Direction {
        /** First step to last. */
        FORWARD,
        /** Last step to first. */
        REVERSE,
        /** Both, outputs stacked forward then reverse. */
        BIDIRECTIONAL;

        /** The number of directions (1 or 2). */
        public int count() {
            return this == BIDIRECTIONAL ? 2 : 1;
        }

        /** Whether direction index {@code d} reads the sequence backwards. */
        boolean reversed(int d) {
            return this == REVERSE || d == 1;
        }

        /** The direction named as ONNX's {@code direction} attribute spells it. */
        public static Direction parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "forward" -> FORWARD;
                case "reverse" -> REVERSE;
                case "bidirectional" -> BIDIRECTIONAL;
                default -> throw new IllegalArgumentException("unknown direction '" + s
                        + "' (expected forward, reverse or bidirectional)");
            };
        }
    }

    /** Validates the activation count and freezes the list. */
    public Recurrent {
        activations = List.copyOf(activations);
        if (activations.size() != cell.activationCount() * direction.count()) {
            throw new IllegalArgumentException(cell + " " + direction.name().toLowerCase(Locale.ROOT) + " needs "
                    + cell.activationCount() * direction.count() + " activations, got " + activations.size());
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException(cell + " needs a positive hidden_size, got " + hiddenSize);
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException(cell + " clip must be positive, got " + clip);
        }
    }

    @Override
    public String type() {
        return cell.name();
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        RecurrentPass pass = new RecurrentPass(this, in, false);
        pass.forward();
        return pass.outputs();
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        RecurrentPass pass = new RecurrentPass(this, in, true);
        pass.forward();
        return pass.backward(g);
    }
}

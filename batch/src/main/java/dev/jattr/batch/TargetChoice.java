package dev.jattr.batch;

import java.io.Serializable;

/**
 * Which output each example's attribution explains: the model's prediction (the default, so a
 * review explains what the model decided), one output index for every example, or the example's
 * own label (a column of the dataset).
 */
public sealed interface TargetChoice extends Serializable {
    /** The predicted class: the index of the largest output of each example. */
    static TargetChoice predicted() {
        return Predicted.INSTANCE;
    }

    /** The same output index for every example. */
    static TargetChoice index(int index) {
        return new Index(index);
    }

    /** The example's label. */
    static TargetChoice label() {
        return Label.INSTANCE;
    }

    /**
     * Reads {@code predicted}, {@code label} or a non-negative integer; fails naming
     * {@code option} otherwise.
     */
    static TargetChoice parse(String option, String text) {
        String t = text.strip();
        if (t.equals("predicted")) {
            return predicted();
        }
        if (t.equals("label")) {
            return label();
        }
        if (t.matches("\\d{1,9}")) {
            return index(Integer.parseInt(t));
        }
        throw new IllegalArgumentException(option + " '" + text + "' must be 'predicted', 'label' or an output index (0, 1, …)");
    }

    /** The predicted class. */
    enum Predicted implements TargetChoice {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "predicted";
        }
    }

    /** The example's label. */
    enum Label implements TargetChoice {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "label";
        }
    }

    /**
     * One index for all examples.
     *
     * @param index the output index (dimension 1 of the output)
     */
    record Index(int index) implements TargetChoice {
        /** Checks the index. */
        public Index {
            if (index < 0) {
                throw new IllegalArgumentException("target index " + index + " is negative");
            }
        }

        @Override
        public String toString() {
            return Integer.toString(index);
        }
    }
}

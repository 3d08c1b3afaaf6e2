package dev.jattr.graph;

/** Chooses the {@link BackwardRule} for each node of a backward pass. */
@FunctionalInterface
public interface BackwardRules {
    /** The rule to apply at {@code node}. */
    BackwardRule ruleFor(Node node);

    /** Plain reverse-mode differentiation everywhere. */
    static BackwardRules gradient() {
        return Plain.RULES;
    }

    /** The one plain rule set, so that a trace kept for the gradient can recognise it. */
    final class Plain {
        static final BackwardRules RULES = node -> BackwardRule.GRADIENT;

        private Plain() {}
    }
}

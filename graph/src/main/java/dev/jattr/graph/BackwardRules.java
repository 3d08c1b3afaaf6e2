package dev.jattr.graph;

/** Chooses the {@link BackwardRule} for each node of a backward pass. */
@FunctionalInterface
public interface BackwardRules {
    /** The rule to apply at {@code node}. */
    BackwardRule ruleFor(Node node);

    /** Plain reverse-mode differentiation everywhere. */
    static BackwardRules gradient() {
        return node -> BackwardRule.GRADIENT;
    }
}

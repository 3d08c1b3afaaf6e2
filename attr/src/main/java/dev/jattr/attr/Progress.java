package dev.jattr.attr;

/**
 * Receives the progress of a long attribution: after each evaluation, how many of the method's
 * units (integration steps, samples, ablated features) are done. Called on the attributing
 * thread; keep it cheap.
 */
@FunctionalInterface
public interface Progress {
    /** {@code done} of {@code total} units of {@code method} are complete. */
    void update(String method, long done, long total);

    /** Ignores every update. */
    Progress NONE = (method, done, total) -> { };
}

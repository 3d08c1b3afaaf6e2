package dev.jattr.batch;

import java.util.List;

/**
 * A dataset read in order, a few examples at a time, so that memory does not grow with its size.
 * Implementations check what they read (shapes, sizes, finite values) and fail naming the file and
 * the example at fault.
 */
public interface ExampleSource extends AutoCloseable {
    /** What the source reads, for messages and the run summary, e.g. {@code images.npy (1000 × [3, 224, 224])}. */
    String description();

    /** The number of examples. */
    long size();

    /**
     * Examples {@code first} to {@code first + count - 1}. Calls usually go forward; a call before
     * the last one read may cost a reopen.
     */
    List<Example> read(long first, int count);

    /** Releases the files the source holds open. */
    @Override
    void close();
}

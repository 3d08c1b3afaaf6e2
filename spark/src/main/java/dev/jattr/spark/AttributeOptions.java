package dev.jattr.spark;

/**
 * How {@link JattrSpark#attribute} reads its input rows and batches them.
 *
 * @param inputColumn the column of model inputs, array&lt;float&gt; or array&lt;double&gt; holding
 *                    one example flat in row-major order; null for the only array column
 * @param idColumn    the column of example ids (any type, written as text)
 * @param labelColumn the column of integer labels, or null when the dataset has none (needed for
 *                    the target {@code label})
 * @param batchSize   how many examples of a partition are stacked into one call
 */
public record AttributeOptions(String inputColumn, String idColumn, String labelColumn, int batchSize) {
    /** The default number of examples per call. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    /** Checks the batch size and the id column. */
    public AttributeOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        if (idColumn == null || idColumn.isBlank()) {
            throw new IllegalArgumentException("no id column given");
        }
    }

    /** The only array column, the {@code id} column, no labels, batches of 16. */
    public static AttributeOptions defaults() {
        return new AttributeOptions(null, "id", null, DEFAULT_BATCH_SIZE);
    }

    /** These options reading inputs from {@code column}. */
    public AttributeOptions withInputColumn(String column) {
        return new AttributeOptions(column, idColumn, labelColumn, batchSize);
    }

    /** These options reading ids from {@code column}. */
    public AttributeOptions withIdColumn(String column) {
        return new AttributeOptions(inputColumn, column, labelColumn, batchSize);
    }

    /** These options reading labels from {@code column} (null for none). */
    public AttributeOptions withLabelColumn(String column) {
        return new AttributeOptions(inputColumn, idColumn, column, batchSize);
    }

    /** These options with {@code size} examples per call. */
    public AttributeOptions withBatchSize(int size) {
        return new AttributeOptions(inputColumn, idColumn, labelColumn, size);
    }
}

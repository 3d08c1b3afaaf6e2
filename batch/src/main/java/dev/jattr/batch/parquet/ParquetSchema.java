package dev.jattr.batch.parquet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-level columns of a Parquet file, in order.
 *
 * @param columns the columns; names are unique
 */
public record ParquetSchema(List<ParquetColumn> columns) {
    /**
     * Copies the list and checks that the names are unique.
     *
     * @throws IllegalArgumentException if two columns share a name
     */
    public ParquetSchema {
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        for (ParquetColumn c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("Parquet column '" + c.name() + "' appears twice in the schema");
            }
        }
    }

    /**
     * A schema of the given columns.
     *
     * @param columns the columns, in order
     * @return the schema
     */
    public static ParquetSchema of(ParquetColumn... columns) {
        return new ParquetSchema(List.of(columns));
    }

    /**
     * The position of a column.
     *
     * @param name the column name
     * @return its index in {@link #columns()}, or -1 if there is no such column
     */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The number of columns.
     *
     * @return the size of {@link #columns()}
     */
    public int size() {
        return columns.size();
    }
}

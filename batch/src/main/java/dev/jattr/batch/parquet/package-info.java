/**
 * A small Parquet writer and reader with no dependencies beyond the JDK, so that the command-line
 * tool can write attribution shards and read tensor datasets without Hadoop.
 *
 * <p>{@link dev.jattr.batch.parquet.ParquetWriter} writes PLAIN values, RLE/bit-packed levels and
 * data pages v1, uncompressed or gzip, byte-identically for equal input. Lists use the standard
 * three-level LIST layout with a required element (see {@link dev.jattr.batch.parquet.ParquetType}).
 * {@link dev.jattr.batch.parquet.ParquetReader} reads what parquet-mr (Spark) and pyarrow commonly
 * write, treating every file as untrusted: a defect ends in a one-line
 * {@link dev.jattr.batch.parquet.ParquetException}.
 *
 * <p>Internals, one concern per class: {@code ThriftWriter}/{@code ThriftReader} (compact
 * protocol), {@code Footer} (the decoded metadata), {@code ReadableColumns} (schema tree to
 * columns and levels), {@code ColumnWriter}/{@code ColumnCursor} (one column chunk, written or
 * walked page by page), {@code RleEncoder}/{@code RleDecoder}, {@code DeltaDecoder},
 * {@code PageCodec} and {@code Snappy}.
 */
package dev.jattr.batch.parquet;

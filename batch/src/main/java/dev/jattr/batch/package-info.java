/**
 * Attribution over a dataset: examples streamed from a source, attributed in batches across
 * examples, written as Parquet shards that a rerun after a kill skips, with a JSON summary.
 */
package dev.jattr.batch;

package dev.jattr.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jattr.attr.Progress;
import dev.jattr.graph.Graph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Attributes a whole dataset into a folder: one Parquet shard per {@code shardSize} examples
 * ({@code part-00000.parquet}, …), each written under a temporary name and renamed once complete,
 * a {@code run.json} that identifies the run, and a {@code summary.json} at the end. Rerun with the
 * same arguments after a kill, it skips the shards already there, and the shards it writes are
 * byte for byte those of an uninterrupted run. Memory holds one shard's results at most.
 */
public final class BatchRun {
    /** The file that identifies a run's arguments in its folder. */
    public static final String RUN_FILE = "run.json";
    /** The summary written when every shard is done. */
    public static final String SUMMARY_FILE = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How a run is cut and where it goes.
     *
     * @param out       the output folder
     * @param shardSize examples per shard
     * @param batchSize examples per stacked method call
     * @param progress  where progress goes (examples done of the examples this run computes)
     * @param arguments the run's arguments as the caller gave them, for the summary (may be empty)
     */
    public record Options(Path out, int shardSize, int batchSize, Progress progress, Map<String, Object> arguments) {
        /** The default examples per shard. */
        public static final int DEFAULT_SHARD_SIZE = 256;
        /** The default examples per stacked call. */
        public static final int DEFAULT_BATCH_SIZE = 16;
        /** The most examples per shard or call. */
        public static final int MAX_SIZE = 1 << 20;

        /** Checks the sizes. */
        public Options {
            Objects.requireNonNull(out, "out");
            if (shardSize < 1 || shardSize > MAX_SIZE) {
                throw new IllegalArgumentException("--shard-size " + shardSize + " is outside 1.." + MAX_SIZE);
            }
            if (batchSize < 1 || batchSize > MAX_SIZE) {
                throw new IllegalArgumentException("--batch-size " + batchSize + " is outside 1.." + MAX_SIZE);
            }
            progress = progress == null ? Progress.NONE : progress;
            arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        }

        /** Options with the default sizes, no progress and no arguments. */
        public static Options in(Path out) {
            return new Options(out, DEFAULT_SHARD_SIZE, DEFAULT_BATCH_SIZE, Progress.NONE, Map.of());
        }
    }

    /**
     * What a run did.
     *
     * @param examples      examples in the dataset
     * @param shards        shards in the output
     * @param shardsWritten shards this run computed
     * @param shardsSkipped shards found complete from an earlier run
     * @param seconds       this run's wall time
     * @param examplesPerSecond examples computed per second by this run (0 when it computed none)
     * @param summary       the summary file
     */
    public record Result(long examples, int shards, int shardsWritten, int shardsSkipped, double seconds, double examplesPerSecond,
            Path summary) {
    }

    private BatchRun() {}

    /** The name of shard {@code index}. */
    public static String shardName(int index) {
        return String.format(Locale.ROOT, "part-%05d.parquet", index);
    }

    /**
     * Runs {@code spec} over every example of {@code source} with the model {@code graph} (read
     * from {@code modelFile}) into {@code options.out()}.
     */
    public static Result run(Graph graph, Path modelFile, ExampleSource source, MethodSpec spec, Options options) {
        long started = System.nanoTime();
        Path out = options.out();
        long n = source.size();
        long shardCount = (n + options.shardSize() - 1) / options.shardSize();
        if (shardCount > 99_999) {
            throw new IllegalArgumentException(n + " examples in shards of " + options.shardSize() + " make " + shardCount
                    + " shards, more than 99,999: give a larger --shard-size");
        }
        int shards = (int) shardCount;
        DatasetAttributor attributor = new DatasetAttributor(graph, spec);
        if (n > 0) {
            attributor.checkShape(source.read(0, 1).getFirst());
        }
        ObjectNode identity = identity(modelFile, source, spec, options);
        prepare(out, identity);
        List<Integer> todo = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (!Files.isRegularFile(out.resolve(shardName(s)))) {
                todo.add(s);
            }
        }
        long total = 0;
        for (int s : todo) {
            total += rowsOf(s, n, options.shardSize());
        }
        long done = 0;
        long computing = System.nanoTime();
        Map<String, String> meta = new java.util.TreeMap<>(Map.of("jattr.method", spec.method(), "jattr.layer", spec.layer(), "jattr.value", attributor.value(),
                "jattr.source", source.description()));
        for (int s : todo) {
            long first = (long) s * options.shardSize();
            int rows = rowsOf(s, n, options.shardSize());
            List<ExampleResult> results = new ArrayList<>(rows);
            for (int at = 0; at < rows; at += options.batchSize()) {
                int count = Math.min(options.batchSize(), rows - at);
                results.addAll(attributor.attribute(source.read(first + at, count)));
                done += count;
                options.progress().update("batch", done, total);
            }
            ResultShards.write(out.resolve(shardName(s)), results, meta);
        }
        double computeSeconds = (System.nanoTime() - computing) / 1e9;
        Path summary = out.resolve(SUMMARY_FILE);
        ObjectNode s = JSON.createObjectNode();
        s.set("run", identity);
        s.set("arguments", JSON.valueToTree(options.arguments()));
        s.set("counts", JSON.createObjectNode().put("examples", n).put("shards", shards).put("shards_written", todo.size())
                .put("shards_skipped", shards - todo.size()));
        double rate = done == 0 ? 0 : done / computeSeconds;
        double seconds = (System.nanoTime() - started) / 1e9;
        s.set("throughput", JSON.createObjectNode().put("examples_computed", done).put("seconds", seconds)
                .put("examples_per_second", rate));
        ArrayNode examples = s.putArray("examples");
        for (int i = 0; i < shards; i++) {
            for (ResultShards.Summary e : ResultShards.summaries(out.resolve(shardName(i)))) {
                ObjectNode o = examples.addObject().put("id", e.id());
                if (e.target() == null) {
                    o.putNull("target");
                } else {
                    o.put("target", e.target());
                }
                o.put("sum", e.sum());
                if (e.delta() == null) {
                    o.putNull("delta");
                } else {
                    o.put("delta", e.delta());
                }
            }
        }
        writeAtomically(summary, s);
        return new Result(n, shards, todo.size(), shards - todo.size(), seconds, rate, summary);
    }

    private static int rowsOf(int shard, long n, int shardSize) {
        return (int) Math.min(shardSize, n - (long) shard * shardSize);
    }

    /** What makes two runs the same: the model's bytes, the method, the data and the cut. */
    private static ObjectNode identity(Path modelFile, ExampleSource source, MethodSpec spec, Options o) {
        ObjectNode id = JSON.createObjectNode();
        id.put("model_sha256", sha256(modelFile));
        id.put("method", spec.method());
        id.put("layer", spec.layer());
        id.set("arguments", JSON.valueToTree(new java.util.TreeMap<>(spec.arguments())));
        id.put("attribute_to_layer_input", spec.attributeToLayerInput());
        id.put("model_output", spec.modelOutput());
        id.put("target", spec.target().toString());
        id.put("baseline", spec.baseline().toString());
        id.put("delta", spec.computesDelta());
        id.put("top_k", spec.topK());
        id.put("source", source.description());
        id.put("examples", source.size());
        id.put("shard_size", o.shardSize());
        id.put("batch_size", o.batchSize());
        return id;
    }

    /**
     * Creates the folder, or checks that the run it holds had the same identity; removes
     * temporary files a killed run left.
     */
    private static void prepare(Path out, ObjectNode identity) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
            }
            Files.createDirectories(out);
            Path run = out.resolve(RUN_FILE);
            if (Files.exists(run)) {
                JsonNode before;
                try {
                    before = JSON.readTree(run.toFile());
                } catch (IOException e) {
                    throw new IllegalArgumentException(run + " is not readable JSON (" + e.getMessage().lines().findFirst().orElse("")
                            + "); delete the folder or give another --out");
                }
                JsonNode now = JSON.readTree(JSON.writeValueAsString(identity)); // numbers as they read back
                if (!now.equals(before)) {
                    String field = firstDifference(before, now);
                    throw new IllegalArgumentException("--out " + out + " holds a run with other arguments (" + field + " was "
                            + before.path(field) + ", now " + now.path(field) + "); give another --out, or delete it to start over");
                }
            } else {
                try (var files = Files.list(out)) {
                    List<String> names = files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("part-")).toList();
                    if (!names.isEmpty()) {
                        throw new IllegalArgumentException("--out " + out + " holds shards (" + names.getFirst() + ") but no "
                                + RUN_FILE + "; give an empty or new folder");
                    }
                }
                writeAtomically(run, identity);
            }
            try (var files = Files.list(out)) {
                for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out + ": " + e.getMessage(), e);
        }
    }

    private static String firstDifference(JsonNode before, JsonNode now) {
        for (Iterator<String> it = now.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!now.get(f).equals(before.get(f))) {
                return f;
            }
        }
        for (Iterator<String> it = before.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!now.has(f)) {
                return f;
            }
        }
        return "?";
    }

    /** Writes JSON to a temporary file beside {@code file}, then renames it into place. */
    static void writeAtomically(Path file, JsonNode json) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                d.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

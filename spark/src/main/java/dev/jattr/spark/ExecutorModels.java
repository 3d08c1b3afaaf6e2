package dev.jattr.spark;

import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.MethodSpec;
import dev.jattr.graph.Graph;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an executor JVM keeps between tasks: each model imported once, keyed by the SHA-256 of its
 * bytes and shared by the task threads, and one {@link DatasetAttributor} per task thread, model
 * and spec (an attributor is not thread-safe; the graph is). Both caches hold a few entries and
 * drop the least recently used, so that a long-lived executor serving many jobs does not grow.
 */
final class ExecutorModels {
    /** Models kept per JVM. */
    static final int MODELS = 4;
    /** Attributors kept per thread. */
    static final int ATTRIBUTORS = 4;

    /** Model imports done in this JVM, for tests that check the cache. */
    private static final AtomicInteger IMPORTS = new AtomicInteger();
    private static final Map<String, Graph> GRAPHS = lru(MODELS);
    private static final ThreadLocal<Map<Key, DatasetAttributor>> ATTRIBUTORS_OF_THREAD = ThreadLocal.withInitial(() -> lru(ATTRIBUTORS));

    private record Key(String sha256, MethodSpec spec) {}

    private ExecutorModels() {}

    /** The graph of {@code model}, imported on first use in this JVM (concurrent first uses import it once). */
    static Graph graph(ModelBytes model) {
        synchronized (GRAPHS) {
            Graph g = GRAPHS.get(model.sha256());
            if (g == null) {
                g = OnnxModel.load(model.bytes(), Path.of(model.name())).graph();
                IMPORTS.incrementAndGet();
                GRAPHS.put(model.sha256(), g);
            }
            return g;
        }
    }

    /** This thread's attributor of {@code spec} over {@code model}. */
    static DatasetAttributor attributor(ModelBytes model, MethodSpec spec) {
        return ATTRIBUTORS_OF_THREAD.get().computeIfAbsent(new Key(model.sha256(), spec), k -> new DatasetAttributor(graph(model), spec));
    }

    /** How many models this JVM has imported. */
    static int imports() {
        return IMPORTS.get();
    }

    private static <K, V> Map<K, V> lru(int size) {
        return new LinkedHashMap<>(8, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }
}

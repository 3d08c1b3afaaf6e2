package dev.jattr.onnx;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The importers by ONNX op type and the opset version from which each applies
 * ({@code op_type → since_version → importer}), as the ONNX reference runtime organises them.
 */
public final class OpRegistry {
    private final Map<String, NavigableMap<Integer, OpImporter>> importers = new TreeMap<>();

    /** A registry with every op jattr supports. */
    public static OpRegistry standard() {
        OpRegistry r = new OpRegistry();
        CoreImporters.registerAll(r);
        MathImporters.registerAll(r);
        ShapeImporters.registerAll(r);
        SequenceModelImporters.registerAll(r);
        LossAndMiscImporters.registerAll(r);
        return r;
    }

    /** Registers {@code importer} for {@code opType} from opset {@code since}. */
    public OpRegistry register(String opType, int since, OpImporter importer) {
        importers.computeIfAbsent(opType, k -> new TreeMap<>()).put(since, importer);
        return this;
    }

    /** The importer for {@code opType} at {@code opset}: the one with the greatest since-version not above it. */
    public Optional<OpImporter> find(String opType, int opset) {
        NavigableMap<Integer, OpImporter> versions = importers.get(opType);
        if (versions == null) {
            return Optional.empty();
        }
        var e = versions.floorEntry(opset);
        return Optional.ofNullable(e == null ? versions.firstEntry().getValue() : e.getValue());
    }

    /** The op types it knows, sorted. */
    public Set<String> opTypes() {
        return new TreeSet<>(importers.keySet());
    }
}

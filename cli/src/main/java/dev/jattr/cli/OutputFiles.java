package dev.jattr.cli;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.imageio.ImageIO;

/**
 * The files one {@code jattr attribute} run writes: one per attribution tensor ({@code --out} once,
 * numbered {@code attr.1.npy}, {@code attr.2.npy}… after the first, or once per tensor) and the
 * delta beside the first ({@code attr.delta.npy}). They are checked before any computation: each
 * names a file in an existing folder, and none is, after following links and {@code ..}, a file
 * the run reads or another of its outputs. They are written all or none: each to a temporary file
 * in its folder, then all moved into place.
 *
 * @param attributions where each attribution tensor goes, as the user wrote it
 * @param delta        where the convergence delta goes, when the run computes one
 * @param heatmaps     where each example's heatmap goes ({@code --heatmap out.png}: out.png, out.1.png, …)
 * @param json         where the run's summary goes ({@code --json})
 */
record OutputFiles(List<Path> attributions, Optional<Path> delta, List<Path> heatmaps, Optional<Path> json) {
    /** Links followed when a path is resolved, at most (as Linux's ELOOP). */
    private static final int MAX_LINKS = 40;

    /** No files: the run prints its summary only. */
    static OutputFiles none() {
        return new OutputFiles(List.of(), Optional.empty(), List.of(), Optional.empty());
    }

    /** Writes one file. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Plans and checks the outputs of a run of {@code count} tensors.
     *
     * @param out    the {@code --out} values
     * @param count  the number of attribution tensors
     * @param delta  whether the run computes a convergence delta
     * @param inputs the files the run reads, each with how it was given ({@code --model net.onnx})
     */
    static OutputFiles plan(List<String> out, int count, boolean delta, Map<Path, String> inputs) {
        return plan(out, count, delta, Optional.empty(), 0, Optional.empty(), inputs);
    }

    /**
     * Plans and checks the outputs of a run of {@code count} tensors, with a heatmap per example
     * of {@code examples} when {@code heatmap} is given and a JSON summary when {@code json} is.
     */
    static OutputFiles plan(List<String> out, int count, boolean delta, Optional<String> heatmap, int examples,
            Optional<String> json, Map<Path, String> inputs) {
        if (out.isEmpty() && heatmap.isEmpty() && json.isEmpty()) {
            return none();
        }
        if (out.size() > 1 && out.size() != count) {
            throw new IllegalArgumentException("--out is given " + out.size() + " times for " + count + " attribution tensor"
                    + (count == 1 ? "; give it once" : "s; give it once or " + count + " times"));
        }
        List<Map.Entry<Path, String>> files = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < (out.isEmpty() ? 0 : count); i++) {
            Path first = Arguments.path("--out", out.getFirst());
            Path p = out.size() > 1 ? Arguments.path("--out", out.get(i)) : i == 0 ? first : sibling(first, "." + i, ".npy");
            paths.add(p);
            files.add(Map.entry(p, out.size() > 1 || i == 0 ? "--out '" + p + "'" : "file " + p + " (tensor " + (i + 1) + " of --out " + first + ")"));
        }
        Optional<Path> d = delta && !paths.isEmpty() ? Optional.of(sibling(paths.getFirst(), ".delta", ".npy")) : Optional.empty();
        d.ifPresent(p -> files.add(Map.entry(p, "delta file " + p + " (of --out " + paths.getFirst() + ")")));
        List<Path> maps = new ArrayList<>();
        if (heatmap.isPresent()) {
            Path first = Arguments.path("--heatmap", heatmap.get());
            for (int i = 0; i < examples; i++) {
                Path p = i == 0 ? first : sibling(first, "." + i, ".png");
                maps.add(p);
                files.add(Map.entry(p, i == 0 ? "--heatmap '" + p + "'" : "file " + p + " (example " + i + " of --heatmap " + first + ")"));
            }
        }
        Optional<Path> summary = json.map(j -> Arguments.path("--json", j));
        summary.ifPresent(p -> files.add(Map.entry(p, "--json '" + p + "'")));
        Map<Path, String> taken = new LinkedHashMap<>();
        inputs.forEach((p, what) -> taken.put(real(p), what));
        for (var f : files) {
            check(f.getKey(), f.getValue());
            String other = taken.putIfAbsent(real(f.getKey()), f.getValue());
            if (other != null) {
                throw new IllegalArgumentException(f.getValue() + " is the same file as " + other + "; write the output elsewhere");
            }
        }
        return new OutputFiles(List.copyOf(paths), d, List.copyOf(maps), summary);
    }

    /** Fails unless {@code p} can be a new or replaced regular file. */
    private static void check(Path p, String what) {
        if (p.getFileName() == null || p.getFileName().toString().isEmpty()) {
            throw new IllegalArgumentException(what + " names no file");
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(what + " is a folder");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(what + " exists and is not a regular file");
        }
        Path parent = p.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            throw new IllegalArgumentException(what + ": folder " + parent + " does not exist");
        }
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException(what + ": " + parent + " is not a folder");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(what + ": folder " + parent + " is not writable");
        }
    }

    /**
     * The file {@code p} names: its folder's real path with links and {@code ..} resolved, and a
     * link at the end followed even when its target does not exist yet.
     */
    static Path real(Path p) {
        Path at = p.toAbsolutePath();
        for (int links = 0; links < MAX_LINKS; links++) {
            Path parent = at.getParent();
            try {
                Path folder = parent == null ? at.getRoot() : parent.toRealPath();
                Path file = at.getFileName() == null ? folder : folder.resolve(at.getFileName()).normalize();
                if (!Files.isSymbolicLink(file)) {
                    return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? file.toRealPath() : file;
                }
                at = folder.resolve(Files.readSymbolicLink(file));
            } catch (IOException e) {
                return at.normalize();
            }
        }
        throw new IllegalArgumentException(p + ": too many levels of symbolic links");
    }

    /** {@code attr.npy} with {@code suffix} before the extension {@code ext}: {@code attr.1.npy}. */
    private static Path sibling(Path p, String suffix, String ext) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        String stem = name.endsWith(ext) ? name.substring(0, name.length() - ext.length()) : name;
        return p.resolveSibling(stem + suffix + ext);
    }

    /** Writes the tensors and the delta, all or none. */
    void write(List<Tensor> tensors, Optional<Tensor> deltaValues) {
        write(tensors, deltaValues, Npy::write);
    }

    /** Writes the tensors, the delta, the heatmaps and the summary, all or none. */
    void write(List<Tensor> tensors, Optional<Tensor> deltaValues, List<BufferedImage> images, String summary) {
        Map<Path, FileWriter> writers = writers(tensors, deltaValues, Npy::write);
        for (int i = 0; i < heatmaps.size(); i++) {
            BufferedImage image = images.get(i);
            writers.put(heatmaps.get(i), f -> ImageIO.write(image, "png", f.toFile()));
        }
        json.ifPresent(p -> writers.put(p, f -> Files.writeString(f, summary)));
        writeAll(writers);
    }

    /** Writes with {@code writer}: each file to a temporary beside it, then all moved into place. */
    void write(List<Tensor> tensors, Optional<Tensor> deltaValues, BiConsumer<Path, Tensor> writer) {
        writeAll(writers(tensors, deltaValues, writer));
    }

    private Map<Path, FileWriter> writers(List<Tensor> tensors, Optional<Tensor> deltaValues, BiConsumer<Path, Tensor> writer) {
        Map<Path, FileWriter> writers = new LinkedHashMap<>();
        for (int i = 0; i < attributions.size(); i++) {
            Tensor t = tensors.get(i);
            writers.put(attributions.get(i), f -> writer.accept(f, t));
        }
        delta.ifPresent(p -> writers.put(p, f -> writer.accept(f, deltaValues.orElseThrow())));
        return writers;
    }

    /** Writes each file with its writer to a temporary beside it, then moves all into place. */
    static void writeAll(Map<Path, FileWriter> writers) {
        List<Path> targets = new ArrayList<>(writers.keySet());
        List<FileWriter> values = new ArrayList<>(writers.values());
        List<Path> temporary = new ArrayList<>();
        boolean done = false;
        try {
            for (int i = 0; i < targets.size(); i++) {
                Path target = real(targets.get(i));
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                temporary.add(tmp);
                values.get(i).write(tmp);
            }
            for (int i = 0; i < targets.size(); i++) {
                Path target = real(targets.get(i));
                Files.move(temporary.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!done) {
                for (Path tmp : temporary) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: the run fails anyway, with the first error
                    }
                }
            }
        }
    }
}

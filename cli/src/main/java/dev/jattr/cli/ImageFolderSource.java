package dev.jattr.cli;

import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleSource;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PNG and JPEG files of one folder (not its subfolders), in the order of their names, as a
 * dataset: each image is decoded and preprocessed as {@code jattr attribute} does when it is read,
 * and its id is its file name.
 */
final class ImageFolderSource implements ExampleSource {
    /** The most images a folder may hold. */
    static final int MAX_FILES = 10_000_000;

    private final Path folder;
    private final List<Path> files;
    private final ValueInfo input;
    private final ImagePreprocessing prep;
    private final String option;

    private ImageFolderSource(Path folder, List<Path> files, ValueInfo input, ImagePreprocessing prep, String option) {
        this.folder = folder;
        this.files = files;
        this.input = input;
        this.prep = prep;
        this.option = option;
    }

    /** The images of {@code folder}, read as model input {@code input}; fails when there is none. */
    static ImageFolderSource open(String option, Path folder, ValueInfo input, ImagePreprocessing prep) {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> Files.isRegularFile(p) && ImageInput.isImage(p.getFileName().toString()))
                    .limit(MAX_FILES + 1L).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(option + ": the folder " + folder + " holds no PNG or JPEG file");
        }
        if (files.size() > MAX_FILES) {
            throw new IllegalArgumentException(option + ": the folder " + folder + " holds more than " + MAX_FILES + " images");
        }
        return new ImageFolderSource(folder, files, input, prep, option);
    }

    @Override
    public String description() {
        return folder + " (" + files.size() + " images)";
    }

    @Override
    public long size() {
        return files.size();
    }

    @Override
    public List<Example> read(long first, int count) {
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Path file = files.get(Math.toIntExact(first + i));
            Tensor t = ImageInput.read(option, input, file.toString(), prep).tensor();
            int[] shape = Arrays.copyOfRange(t.shape(), 1, t.rank());
            out.add(new Example(file.getFileName().toString(), t.cast(dev.jattr.graph.DType.F32).floats().clone(), shape, null));
        }
        return out;
    }

    @Override
    public void close() {
        // nothing held open
    }
}

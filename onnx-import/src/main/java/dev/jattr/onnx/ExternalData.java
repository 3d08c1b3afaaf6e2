package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A tensor's external data (ONNX {@code data_location = EXTERNAL}): its {@code location} is a
 * file inside the model's folder, read from {@code offset} for {@code length} bytes. A model comes
 * from a stranger, so the location is confined to that folder: absolute paths, {@code ..} escapes
 * and links that resolve outside it are refused, and only regular files are opened (never a FIFO,
 * device or folder, which could block or read without end).
 */
final class ExternalData {
    private ExternalData() {}

    /**
     * The {@code expected} bytes of {@code t}'s external data, memory-mapped; {@code where} names the
     * tensor in failures, which also name the location, offset or length at fault.
     */
    static ByteBuffer map(TensorProto t, Path baseDir, String where, long expected) {
        String location = null, offsetText = null, lengthText = null;
        for (var e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offsetText = e.getValue();
                case "length" -> lengthText = e.getValue();
                default -> { }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new UnsupportedModelException(where + ": external data without a location");
        }
        if (baseDir == null) {
            throw new UnsupportedModelException(where + ": external data '" + location + "' needs the model's folder");
        }
        String at = where + ": external data '" + location + "'";
        Path file = confine(baseDir, location, at);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UnsupportedModelException(at + " cannot be read");
        }
        if (!attributes.isRegularFile()) {
            throw new UnsupportedModelException(at + " is not a regular file");
        }
        long size = attributes.size();
        long offset = offsetText == null ? 0 : number(offsetText, "offset", at);
        if (offset > size) {
            throw new UnsupportedModelException(at + ": offset " + offset + " is past the end of the file (" + size + " bytes)");
        }
        long length = lengthText == null ? size - offset : number(lengthText, "length", at);
        if (length > size - offset) {
            throw new UnsupportedModelException(at + ": offset " + offset + " and length " + length + " reach past the end of the file ("
                    + size + " bytes)");
        }
        if (length != expected) {
            throw new UnsupportedModelException(at + " holds " + length + " bytes" + (lengthText == null ? " after offset " + offset : "")
                    + ", the tensor's dims and type need " + expected);
        }
        if (length > Integer.MAX_VALUE) {
            throw new UnsupportedModelException(at + ": " + length + " bytes is more than jattr maps for one tensor (2 GiB)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new UnsupportedModelException(at + " cannot be read");
        }
    }

    /** The real path of {@code location} resolved against {@code baseDir}, failing unless it lies inside that folder. */
    private static Path confine(Path baseDir, String location, String at) {
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new UnsupportedModelException(at + " is not a valid file name");
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*")) {
            throw new UnsupportedModelException(at + " is an absolute path; external data must lie in the model's folder");
        }
        Path base;
        try {
            base = baseDir.toRealPath();
        } catch (IOException e) {
            throw new UnsupportedModelException(at + ": the model's folder " + baseDir + " cannot be read");
        }
        Path file = base.resolve(relative).normalize();
        if (!file.startsWith(base)) {
            throw new UnsupportedModelException(at + " leaves the model's folder (through '..')");
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsupportedModelException(at + " not found in the model's folder " + base);
        } catch (IOException e) {
            throw new UnsupportedModelException(at + " cannot be read");
        }
        if (!real.startsWith(base)) {
            throw new UnsupportedModelException(at + " is a link leaving the model's folder");
        }
        return real;
    }

    /** A non-negative decimal {@code offset} or {@code length}. */
    private static long number(String text, String key, String at) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new UnsupportedModelException(at + ": " + key + " '" + text + "' is not a whole number of bytes");
        }
        if (v < 0) {
            throw new UnsupportedModelException(at + ": " + key + " " + v + " is negative");
        }
        return v;
    }
}

package dev.jattr.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An ONNX model file's bytes, read once on the driver and broadcast to the executors, with the
 * SHA-256 that names it in the executors' model cache.
 */
public final class ModelBytes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final byte[] bytes;
    private final String sha256;

    private ModelBytes(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
    }

    /** Reads {@code file}; fails naming it when it is missing or unreadable. */
    public static ModelBytes read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder, not an ONNX model file");
        }
        try {
            return new ModelBytes(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The model file as the driver named it, for messages. */
    public String name() {
        return name;
    }

    /** The bytes (shared, not copied: do not change them). */
    byte[] bytes() {
        return bytes;
    }

    /** The SHA-256 of the bytes, in hex. */
    public String sha256() {
        return sha256;
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}

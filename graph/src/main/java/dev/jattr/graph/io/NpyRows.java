package dev.jattr.graph.io;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A stacked {@code .npy} file read a few rows (slices along dimension 0) at a time, so that a
 * dataset larger than memory streams: the header is checked and the data size it declares is
 * compared with the file's length when the file is opened; rows are then read on demand. C order
 * only (a Fortran-order file has no contiguous rows).
 */
public final class NpyRows implements AutoCloseable {
    /** The most header bytes read: numpy writes headers of a few hundred bytes. */
    private static final int MAX_HEAD = 1 << 20;

    private final FileChannel channel;
    private final String name;
    private final NpyHeader header;
    private final long dataStart;
    private final int rowElements;

    private NpyRows(FileChannel channel, String name, NpyHeader header, long dataStart) {
        this.channel = channel;
        this.name = name;
        this.header = header;
        this.dataStart = dataStart;
        int n = 1;
        for (int d = 1; d < header.shape().length; d++) {
            n *= header.shape()[d];
        }
        this.rowElements = n;
    }

    /**
     * Opens {@code file}; fails, naming the file, when it is not a .npy file, is in Fortran order,
     * has no dimension 0, or holds another number of data bytes than its header declares.
     */
    public static NpyRows open(Path file) {
        String name = file.toString();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEAD)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // positional reads until the head is full
            }
            head.flip();
            NpyHeader h = Npy.header(head, size, name);
            if (h.shape().length == 0) {
                throw new IllegalArgumentException(name + " holds a scalar; a dataset needs dimension 0 to count examples");
            }
            if (h.fortranOrder() && h.shape().length > 1) {
                throw new IllegalArgumentException(name + " is in Fortran order, whose examples are not contiguous; "
                        + "save it in C order (numpy.ascontiguousarray)");
            }
            long needed = (long) h.size() * NpyHeader.width(h.dtype());
            long present = size - head.position();
            if (present != needed) {
                throw new IllegalArgumentException(name + ": header field 'shape' " + Npy.shapeText(h.shape()) + " of "
                        + h.dtype().numpyName() + " needs " + needed + " data bytes, but the file holds " + present
                        + (present < needed ? " (truncated?)" : " (extra bytes after the data)"));
            }
            NpyRows rows = new NpyRows(ch, name, h, head.position());
            ch = null;
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the failure being reported matters more
                }
            }
        }
    }

    /** The number of rows (dimension 0). */
    public int rows() {
        return header.shape()[0];
    }

    /** The shape of one row (dimensions 1…). */
    public int[] rowShape() {
        return Arrays.copyOfRange(header.shape(), 1, header.shape().length);
    }

    /** The element type. */
    public DType dtype() {
        return header.dtype();
    }

    /** Rows {@code first} to {@code first + count - 1} as a tensor of shape {@code [count, rowShape…]}. */
    public Tensor read(int first, int count) {
        if (first < 0 || count < 0 || (long) first + count > rows()) {
            throw new IndexOutOfBoundsException("rows " + first + ".." + ((long) first + count) + " of " + rows() + " in " + name);
        }
        int width = NpyHeader.width(header.dtype());
        long bytes = (long) count * rowElements * width;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + count + " rows need " + bytes + " bytes, more than one array may hold");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(header.order());
        long at = dataStart + (long) first * rowElements * width;
        try {
            while (b.hasRemaining()) {
                int r = channel.read(b, at + b.position());
                if (r < 0) {
                    throw new IllegalArgumentException(name + " ended early: it shrank while being read");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
        b.flip();
        int[] shape = header.shape().clone();
        shape[0] = count;
        return Npy.decode(b, header.dtype(), shape);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + name + ": " + e.getMessage(), e);
        }
    }
}

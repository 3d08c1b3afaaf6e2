package dev.jattr.graph.ops;

/** Index arithmetic shared by the gather and scatter ops. */
final class Indexing {
    private Indexing() {}

    /** Index {@code i} into a dimension of size {@code dim}, negative counting from the end; fails naming the op when out of range. */
    static int check(long i, int dim, String op) {
        long j = i < 0 ? i + dim : i;
        if (j < 0 || j >= dim) {
            throw new IndexOutOfBoundsException(op + " index " + i + " is out of range for a dimension of " + dim);
        }
        return (int) j;
    }

    /** The flat index, in a tensor of shape {@code shape}, of output element {@code flat} of shape {@code like} with dimension {@code axis} replaced by {@code at}. */
    static int replaceAxis(int flat, int[] like, int[] shapeStrides, int axis, int at) {
        int r = 0;
        for (int d = like.length - 1; d >= 0; d--) {
            int c = flat % like[d];
            flat /= like[d];
            r += (d == axis ? at : c) * shapeStrides[d];
        }
        return r;
    }

    /** Each slice start in {@code off} expanded to the {@code inner} consecutive flat indices of its slice. */
    static int[] expand(int[] off, int inner) {
        int[] r = new int[off.length * inner];
        for (int k = 0; k < off.length; k++) {
            for (int i = 0; i < inner; i++) {
                r[k * inner + i] = off[k] + i;
            }
        }
        return r;
    }
}

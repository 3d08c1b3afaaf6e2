package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;

/** Index maps for numpy broadcasting, for ops that read several operands element by element. */
final class Broadcast {
    private Broadcast() {}

    /** For each flat index of shape {@code to}, the flat index of the element of a {@code from}-shaped operand it reads. */
    static int[] offsets(int[] from, int[] to) {
        int[] st = Shapes.broadcastStrides(from, to);
        int n = Shapes.size(to), rank = to.length;
        int[] r = new int[n];
        int[] idx = new int[rank];
        int at = 0;
        for (int i = 0; i < n; i++) {
            r[i] = at;
            at = Shapes.advance(idx, to, st, at);
        }
        return r;
    }
}

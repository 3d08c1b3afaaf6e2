package dev.jattr.graph.ops;

import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Transpose.
 *
 * @param perm output dimension d is input dimension {@code perm[d]}; empty reverses the dimensions
 */
public record Transpose(int[] perm) implements Rearrangement {
    /** Copies the permutation. */
    public Transpose {
        perm = perm.clone();
    }

    @Override
    public String type() {
        return "Transpose";
    }

    /** The permutation for a rank-{@code rank} input, checked. */
    int[] resolve(int rank) {
        if (perm.length == 0) {
            int[] p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        boolean[] seen = new boolean[rank];
        for (int d : perm) {
            if (perm.length != rank || d < 0 || d >= rank || seen[d]) {
                throw new IllegalArgumentException("Transpose perm " + Arrays.toString(perm) + " is not a permutation of rank " + rank);
            }
            seen[d] = true;
        }
        return perm;
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        return view(in).indexMap();
    }

    @Override
    public StridedView view(Tensor[] in) {
        return IndexMap.permutedView(in[0].shape(), resolve(in[0].rank()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transpose t && Arrays.equals(perm, t.perm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perm);
    }

    @Override
    public String toString() {
        return "Transpose" + Arrays.toString(perm);
    }
}

package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Det: the determinant of each square matrix in the last two dimensions, by LU
 * decomposition with partial pivoting in double precision. Its VJP is g·cof(A), the cofactor
 * matrix (det(A)·A⁻ᵀ for an invertible A), computed from the minors so that a singular matrix
 * gets its gradient too.
 */
public record Det() implements Op {
    @Override
    public String type() {
        return "Det";
    }

    private static int order(Tensor a) {
        Linalg.requireFloating(a, "Det", "input");
        if (a.rank() < 2 || a.dim(-1) != a.dim(-2)) {
            throw new IllegalArgumentException("Det needs square matrices in the last two dimensions, got " + Arrays.toString(a.shape()));
        }
        return a.dim(-1);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor a = in[0];
        int m = order(a), count = a.size() / Math.max(1, m * m);
        int[] s = a.shape();
        Tensor y = Tensor.zeros(a.dtype(), Arrays.copyOf(s, s.length - 2));
        for (int b = 0; b < count; b++) {
            y.setDouble(b, determinant(matrix(a, b, m), m));
        }
        return new Tensor[] {y};
    }

    private static double[] matrix(Tensor a, int b, int m) {
        double[] r = new double[m * m];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getDouble(b * m * m + i);
        }
        return r;
    }

    /** The determinant of the m×m row-major matrix {@code a}, which it overwrites with its LU factors. */
    static double determinant(double[] a, int m) {
        double det = 1;
        for (int k = 0; k < m; k++) {
            int p = k;
            for (int i = k + 1; i < m; i++) {
                if (Math.abs(a[i * m + k]) > Math.abs(a[p * m + k])) {
                    p = i;
                }
            }
            if (a[p * m + k] == 0) {
                return 0;
            }
            if (p != k) {
                for (int j = 0; j < m; j++) {
                    double t = a[k * m + j];
                    a[k * m + j] = a[p * m + j];
                    a[p * m + j] = t;
                }
                det = -det;
            }
            double pivot = a[k * m + k];
            det *= pivot;
            for (int i = k + 1; i < m; i++) {
                double f = a[i * m + k] / pivot;
                for (int j = k + 1; j < m; j++) {
                    a[i * m + j] -= f * a[k * m + j];
                }
            }
        }
        return det;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor a = in[0];
        int m = order(a), count = a.size() / Math.max(1, m * m);
        Tensor ga = Tensor.zeros(a.dtype(), a.shape());
        for (int b = 0; b < count; b++) {
            double[] cof = cofactors(matrix(a, b, m), m);
            double gb = g[0].getDouble(b);
            for (int i = 0; i < m * m; i++) {
                ga.setDouble(b * m * m + i, gb * cof[i]);
            }
        }
        return new Tensor[] {ga};
    }

    /** The cofactor matrix C with C[i][j] = (−1)^(i+j)·det(A without row i and column j). */
    private static double[] cofactors(double[] a, int m) {
        double[] c = new double[m * m];
        if (m == 1) {
            c[0] = 1;
            return c;
        }
        double[] minor = new double[(m - 1) * (m - 1)];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int k = 0;
                for (int r = 0; r < m; r++) {
                    for (int s = 0; s < m; s++) {
                        if (r != i && s != j) {
                            minor[k++] = a[r * m + s];
                        }
                    }
                }
                c[i * m + j] = ((i + j) % 2 == 0 ? 1 : -1) * determinant(minor, m - 1);
            }
        }
        return c;
    }
}

package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * One evaluation of a {@link Recurrent} layer in double precision: the forward recurrence, and
 * (when asked to keep a tape of each step's pre-activations and states) backpropagation through time.
 *
 * <p>Internally every array is in layout 0: X is [T, B, I], Y is [T, D, B, H], states are [D, B, H].
 * Gate g of direction d occupies rows {@code g·H … (g+1)·H} of W[d] and R[d].
 */
final class RecurrentPass {
    private static final int X = 0, W = 1, R = 2, BIAS = 3, LENS = 4, H0 = 5, C0 = 6, P = 7;
    /** GRU gate order z, r, h; LSTM gate order i, o, f, c. */
    private static final int GRU_Z = 0, GRU_R = 1, GRU_H = 2, LSTM_I = 0, LSTM_O = 1, LSTM_F = 2, LSTM_C = 3;

    private final Recurrent op;
    private final Tensor[] in;
    private final boolean lstm, gru;
    private final int t, b, i, h, g, d;
    private final double[] x, w, r, bias, h0, c0, peep;
    private final int[] lens;
    private final double[] y, yh, yc;
    /** Per direction and step: pre-activations [B·G·H], previous h and c [B·H], new c [B·H], GRU's R_h·h + Rb_h [B·H]. */
    private final double[][][] pre, hPrev, cPrev, cNew, hrh;

    RecurrentPass(Recurrent op, Tensor[] in, boolean tape) {
        this.op = op;
        this.in = in;
        this.lstm = op.cell() == Recurrent.Cell.LSTM;
        this.gru = op.cell() == Recurrent.Cell.GRU;
        Tensor xs = in[X];
        if (xs.rank() != 3) {
            throw new IllegalArgumentException(op.type() + " needs a 3-d X, got " + Arrays.toString(xs.shape()));
        }
        Linalg.requireFloating(xs, op.type(), "input X");
        this.t = op.batchFirst() ? xs.dim(1) : xs.dim(0);
        this.b = op.batchFirst() ? xs.dim(0) : xs.dim(1);
        this.i = xs.dim(2);
        this.h = op.hiddenSize();
        this.g = op.cell().gates();
        this.d = op.direction().count();
        this.x = op.batchFirst() ? swap01(xs.toDoubles(), b, t, i) : xs.toDoubles();
        this.w = weights(W, "W", new int[] {d, g * h, i});
        this.r = weights(R, "R", new int[] {d, g * h, h});
        this.bias = optional(BIAS, "B", new int[] {d, 2 * g * h}, false);
        this.h0 = optional(H0, "initial_h", new int[] {d, b, h}, true);
        this.c0 = lstm ? optional(C0, "initial_c", new int[] {d, b, h}, true) : new double[d * b * h];
        this.peep = lstm ? optional(P, "P", new int[] {d, 3 * h}, false) : null;
        this.lens = new int[b];
        Tensor l = input(LENS);
        for (int k = 0; k < b; k++) {
            long len = l == null ? t : l.getLong(k);
            if (len < 0 || len > t) {
                throw new IllegalArgumentException(op.type() + " sequence_lens[" + k + "] = " + len + " is outside [0, " + t + "]");
            }
            lens[k] = (int) len;
        }
        this.y = new double[t * d * b * h];
        this.yh = new double[d * b * h];
        this.yc = new double[d * b * h];
        int steps = tape ? t : 0;
        this.pre = new double[d][steps][];
        this.hPrev = new double[d][steps][];
        this.cPrev = new double[d][steps][];
        this.cNew = new double[d][steps][];
        this.hrh = new double[d][steps][];
    }

    private Tensor input(int k) {
        return k < in.length ? in[k] : null;
    }

    private double[] weights(int k, String name, int[] shape) {
        Tensor v = input(k);
        if (v == null) {
            throw new IllegalArgumentException(op.type() + " needs input " + name);
        }
        if (!Arrays.equals(v.shape(), shape)) {
            throw new IllegalArgumentException(op.type() + " input " + name + " should have shape " + Arrays.toString(shape)
                    + ", has " + Arrays.toString(v.shape()));
        }
        return v.toDoubles();
    }

    /** An optional input as a double array (zeros when absent); {@code state} inputs follow the layout. */
    private double[] optional(int k, String name, int[] shape, boolean state) {
        Tensor v = input(k);
        if (v == null) {
            return new double[Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
        }
        int[] expected = state && op.batchFirst() ? new int[] {shape[1], shape[0], shape[2]} : shape;
        if (!Arrays.equals(v.shape(), expected)) {
            throw new IllegalArgumentException(op.type() + " input " + name + " should have shape "
                    + Arrays.toString(expected) + ", has " + Arrays.toString(v.shape()));
        }
        return state && op.batchFirst() ? swap01(v.toDoubles(), shape[1], shape[0], shape[2]) : v.toDoubles();
    }

    /** [n0, n1, inner] → [n1, n0, inner]. */
    private static double[] swap01(double[] a, int n0, int n1, int inner) {
        double[] o = new double[a.length];
        for (int p = 0; p < n0; p++) {
            for (int q = 0; q < n1; q++) {
                System.arraycopy(a, (p * n1 + q) * inner, o, (q * n0 + p) * inner, inner);
            }
        }
        return o;
    }

    private double act(int dir, int k, double v) {
        return op.activations().get(dir * op.cell().activationCount() + k).apply(Math.max(-op.clip(), Math.min(op.clip(), v)));
    }

    private double dact(int dir, int k, double v) {
        if (Math.abs(v) > op.clip()) {
            return 0;
        }
        return op.activations().get(dir * op.cell().activationCount() + k).derivative(v);
    }

    /** The time index that direction {@code dir} reads at step {@code s} for batch entry {@code e}. */
    private int time(int dir, int s, int e) {
        return op.direction().reversed(dir) ? lens[e] - 1 - s : s;
    }

    void forward() {
        int gh = g * h;
        for (int dir = 0; dir < d; dir++) {
            double[] hs = Arrays.copyOfRange(h0, dir * b * h, (dir + 1) * b * h);
            double[] cs = Arrays.copyOfRange(c0, dir * b * h, (dir + 1) * b * h);
            for (int s = 0; s < t; s++) {
                double[] p = new double[b * gh], hp = hs.clone(), cp = cs.clone(), hr = gru ? new double[b * h] : null;
                for (int e = 0; e < b; e++) {
                    if (s < lens[e]) {
                        step(dir, time(dir, s, e), e, p, hp, cp, hs, cs, hr);
                    }
                }
                if (pre[dir].length > 0) {
                    pre[dir][s] = p;
                    hPrev[dir][s] = hp;
                    cPrev[dir][s] = cp;
                    cNew[dir][s] = cs.clone();
                    hrh[dir][s] = hr;
                }
            }
            System.arraycopy(hs, 0, yh, dir * b * h, b * h);
            System.arraycopy(cs, 0, yc, dir * b * h, b * h);
        }
    }

    /** One step for batch entry {@code e} at time {@code tt}: fills its pre-activations and updates hs, cs and Y. */
    private void step(int dir, int tt, int e, double[] p, double[] hp, double[] cp, double[] hs, double[] cs, double[] hr) {
        int gh = g * h, po = e * gh, so = e * h;
        int xo = (tt * b + e) * i;
        for (int row = 0; row < gh; row++) {
            int wo = (dir * gh + row) * i, ro = (dir * gh + row) * h;
            double v = bias[dir * 2 * gh + row];
            for (int k = 0; k < i; k++) {
                v += x[xo + k] * w[wo + k];
            }
            if (!(gru && row / h == GRU_H)) {
                v += bias[dir * 2 * gh + gh + row];
                for (int k = 0; k < h; k++) {
                    v += hp[so + k] * r[ro + k];
                }
            }
            p[po + row] = v;
        }
        double[] hNew = new double[h];
        switch (op.cell()) {
            case RNN -> {
                for (int j = 0; j < h; j++) {
                    hNew[j] = act(dir, 0, p[po + j]);
                }
            }
            case GRU -> {
                for (int j = 0; j < h; j++) {
                    int row = GRU_H * h + j, ro = (dir * gh + row) * h;
                    double rb = bias[dir * 2 * gh + gh + row];
                    if (op.linearBeforeReset()) {
                        double q = rb;
                        for (int k = 0; k < h; k++) {
                            q += hp[so + k] * r[ro + k];
                        }
                        hr[so + j] = q;
                        p[po + row] += act(dir, 0, p[po + GRU_R * h + j]) * q;
                    } else {
                        double q = rb;
                        for (int k = 0; k < h; k++) {
                            q += act(dir, 0, p[po + GRU_R * h + k]) * hp[so + k] * r[ro + k];
                        }
                        p[po + row] += q;
                    }
                }
                for (int j = 0; j < h; j++) {
                    double z = act(dir, 0, p[po + GRU_Z * h + j]), hh = act(dir, 1, p[po + GRU_H * h + j]);
                    hNew[j] = (1 - z) * hh + z * hp[so + j];
                }
            }
            case LSTM -> {
                int pb = dir * 3 * h;
                for (int j = 0; j < h; j++) {
                    p[po + LSTM_I * h + j] += peep[pb + j] * cp[so + j];
                    p[po + LSTM_F * h + j] += peep[pb + 2 * h + j] * cp[so + j];
                    double ig = act(dir, 0, p[po + LSTM_I * h + j]);
                    double fg = op.inputForget() ? 1 - ig : act(dir, 0, p[po + LSTM_F * h + j]);
                    double c = fg * cp[so + j] + ig * act(dir, 1, p[po + LSTM_C * h + j]);
                    p[po + LSTM_O * h + j] += peep[pb + h + j] * c;
                    cs[so + j] = c;
                    hNew[j] = act(dir, 0, p[po + LSTM_O * h + j]) * act(dir, 2, c);
                }
            }
        }
        System.arraycopy(hNew, 0, hs, so, h);
        System.arraycopy(hNew, 0, y, ((tt * d + dir) * b + e) * h, h);
    }

    /** The outputs Y, Y_h (and Y_c for LSTM) in the op's layout and X's type. */
    Tensor[] outputs() {
        DType type = in[X].dtype();
        Tensor yt = op.batchFirst()
                ? tensor(type, reorderY(y, true), b, t, d, h)
                : tensor(type, y, t, d, b, h);
        Tensor yht = state(type, yh), yct = state(type, yc);
        return lstm ? new Tensor[] {yt, yht, yct} : new Tensor[] {yt, yht};
    }

    private Tensor state(DType type, double[] v) {
        return op.batchFirst() ? tensor(type, swap01(v, d, b, h), b, d, h) : tensor(type, v, d, b, h);
    }

    private static Tensor tensor(DType type, double[] v, int... shape) {
        return Tensor.of(v, shape).cast(type);
    }

    /** Y between layouts: [T, D, B, H] → [B, T, D, H] when {@code toBatchFirst}, the inverse otherwise. */
    private double[] reorderY(double[] a, boolean toBatchFirst) {
        double[] o = new double[a.length];
        for (int tt = 0; tt < t; tt++) {
            for (int dir = 0; dir < d; dir++) {
                for (int e = 0; e < b; e++) {
                    int canonical = ((tt * d + dir) * b + e) * h, batchFirst = ((e * t + tt) * d + dir) * h;
                    if (toBatchFirst) {
                        System.arraycopy(a, canonical, o, batchFirst, h);
                    } else {
                        System.arraycopy(a, batchFirst, o, canonical, h);
                    }
                }
            }
        }
        return o;
    }

    private double[] stateGrad(Tensor gt) {
        if (gt == null) {
            return new double[d * b * h];
        }
        return op.batchFirst() ? swap01(gt.toDoubles(), b, d, h) : gt.toDoubles();
    }

    /** Backpropagation through time; needs a pass built with a tape and run forward. */
    Tensor[] backward(Tensor[] gradOut) {
        int gh = g * h;
        double[] gy = gradOut[0] == null ? new double[y.length]
                : op.batchFirst() ? reorderY(gradOut[0].toDoubles(), false) : gradOut[0].toDoubles();
        double[] gyh = stateGrad(gradOut.length > 1 ? gradOut[1] : null);
        double[] gyc = lstm ? stateGrad(gradOut.length > 2 ? gradOut[2] : null) : new double[d * b * h];
        double[] dx = new double[x.length], dw = new double[w.length], dr = new double[r.length];
        double[] db = new double[bias.length], dh0 = new double[h0.length], dc0 = new double[c0.length];
        double[] dp = lstm ? new double[peep.length] : null;
        for (int dir = 0; dir < d; dir++) {
            double[] dH = Arrays.copyOfRange(gyh, dir * b * h, (dir + 1) * b * h);
            double[] dC = Arrays.copyOfRange(gyc, dir * b * h, (dir + 1) * b * h);
            for (int s = t - 1; s >= 0; s--) {
                for (int e = 0; e < b; e++) {
                    if (s >= lens[e]) {
                        continue;
                    }
                    int tt = time(dir, s, e), so = e * h, po = e * gh;
                    double[] p = pre[dir][s], hp = hPrev[dir][s], cp = cPrev[dir][s];
                    double[] dh = new double[h];
                    for (int j = 0; j < h; j++) {
                        dh[j] = dH[so + j] + gy[((tt * d + dir) * b + e) * h + j];
                    }
                    double[] dpre = new double[gh], dhp = new double[h], dcp = new double[h];
                    switch (op.cell()) {
                        case RNN -> {
                            for (int j = 0; j < h; j++) {
                                dpre[j] = dh[j] * dact(dir, 0, p[po + j]);
                            }
                        }
                        case GRU -> gruBackward(dir, s, e, dh, dpre, dhp, dr, db);
                        case LSTM -> {
                            int pb = dir * 3 * h;
                            for (int j = 0; j < h; j++) {
                                double pi = p[po + LSTM_I * h + j], pf = p[po + LSTM_F * h + j];
                                double pc = p[po + LSTM_C * h + j], pO = p[po + LSTM_O * h + j];
                                double c = cNew[dir][s][so + j], cPrevJ = cp[so + j];
                                double ig = act(dir, 0, pi), fg = op.inputForget() ? 1 - ig : act(dir, 0, pf);
                                double cc = act(dir, 1, pc), og = act(dir, 0, pO), hc = act(dir, 2, c);
                                double dpo = dh[j] * hc * dact(dir, 0, pO);
                                double dct = dC[so + j] + dh[j] * og * dact(dir, 2, c) + dpo * peep[pb + h + j];
                                double dig = dct * cc, dfg = dct * cPrevJ;
                                double dpf = 0;
                                if (op.inputForget()) {
                                    dig -= dfg;
                                } else {
                                    dpf = dfg * dact(dir, 0, pf);
                                }
                                double dpi = dig * dact(dir, 0, pi);
                                dcp[j] = dct * fg + dpi * peep[pb + j] + dpf * peep[pb + 2 * h + j];
                                dp[pb + j] += dpi * cPrevJ;
                                dp[pb + h + j] += dpo * c;
                                dp[pb + 2 * h + j] += dpf * cPrevJ;
                                dpre[LSTM_I * h + j] = dpi;
                                dpre[LSTM_O * h + j] = dpo;
                                dpre[LSTM_F * h + j] = dpf;
                                dpre[LSTM_C * h + j] = dct * ig * dact(dir, 1, pc);
                            }
                        }
                    }
                    int xo = (tt * b + e) * i;
                    for (int row = 0; row < gh; row++) {
                        double v = dpre[row];
                        if (v == 0) {
                            continue;
                        }
                        int wo = (dir * gh + row) * i, ro = (dir * gh + row) * h;
                        db[dir * 2 * gh + row] += v;
                        for (int k = 0; k < i; k++) {
                            dx[xo + k] += v * w[wo + k];
                            dw[wo + k] += v * x[xo + k];
                        }
                        if (gru && row / h == GRU_H) {
                            continue;
                        }
                        db[dir * 2 * gh + gh + row] += v;
                        for (int k = 0; k < h; k++) {
                            dhp[k] += v * r[ro + k];
                            dr[ro + k] += v * hp[so + k];
                        }
                    }
                    System.arraycopy(dhp, 0, dH, so, h);
                    System.arraycopy(dcp, 0, dC, so, h);
                }
            }
            System.arraycopy(dH, 0, dh0, dir * b * h, b * h);
            System.arraycopy(dC, 0, dc0, dir * b * h, b * h);
        }
        DType type = in[X].dtype();
        Tensor[] grads = new Tensor[in.length];
        grads[X] = tensor(type, op.batchFirst() ? swap01(dx, t, b, i) : dx, in[X].shape());
        grads[W] = tensor(in[W].dtype(), dw, in[W].shape());
        grads[R] = tensor(in[R].dtype(), dr, in[R].shape());
        if (input(BIAS) != null) {
            grads[BIAS] = tensor(in[BIAS].dtype(), db, in[BIAS].shape());
        }
        if (input(H0) != null) {
            grads[H0] = tensor(in[H0].dtype(), op.batchFirst() ? swap01(dh0, d, b, h) : dh0, in[H0].shape());
        }
        if (lstm && input(C0) != null) {
            grads[C0] = tensor(in[C0].dtype(), op.batchFirst() ? swap01(dc0, d, b, h) : dc0, in[C0].shape());
        }
        if (lstm && input(P) != null) {
            grads[P] = tensor(in[P].dtype(), dp, in[P].shape());
        }
        return grads;
    }

    /**
     * The GRU cell's backward for batch entry {@code e} at step {@code s}: fills the gradients of
     * the gate pre-activations, the direct part of the previous state's gradient, and the
     * gradient of the candidate gate's recurrence (R_h, Rb_h), which does not read h directly.
     */
    private void gruBackward(int dir, int s, int e, double[] dh, double[] dpre, double[] dhp, double[] dr, double[] db) {
        int gh = g * h, so = e * h, po = e * gh;
        double[] p = pre[dir][s], hp = hPrev[dir][s];
        double[] rg = new double[h], drg = new double[h];
        for (int j = 0; j < h; j++) {
            rg[j] = act(dir, 0, p[po + GRU_R * h + j]);
        }
        for (int j = 0; j < h; j++) {
            double pz = p[po + GRU_Z * h + j], ph = p[po + GRU_H * h + j];
            double z = act(dir, 0, pz), hh = act(dir, 1, ph);
            dhp[j] += dh[j] * z;
            dpre[GRU_Z * h + j] = dh[j] * (hp[so + j] - hh) * dact(dir, 0, pz);
            double dph = dh[j] * (1 - z) * dact(dir, 1, ph);
            dpre[GRU_H * h + j] = dph;
            int row = GRU_H * h + j, ro = (dir * gh + row) * h;
            if (op.linearBeforeReset()) {
                double dq = dph * rg[j];
                drg[j] += dph * hrh[dir][s][so + j];
                db[dir * 2 * gh + gh + row] += dq;
                for (int k = 0; k < h; k++) {
                    dhp[k] += dq * r[ro + k];
                    dr[ro + k] += dq * hp[so + k];
                }
            } else {
                db[dir * 2 * gh + gh + row] += dph;
                for (int k = 0; k < h; k++) {
                    double src = dph * r[ro + k];
                    dhp[k] += src * rg[k];
                    drg[k] += src * hp[so + k];
                    dr[ro + k] += dph * rg[k] * hp[so + k];
                }
            }
        }
        for (int j = 0; j < h; j++) {
            dpre[GRU_R * h + j] = drg[j] * dact(dir, 0, p[po + GRU_R * h + j]);
        }
    }
}

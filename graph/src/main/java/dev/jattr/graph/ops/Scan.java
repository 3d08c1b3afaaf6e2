package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * ONNX Scan: runs its body once per step of the scanned inputs, threading N state values.
 * Inputs: the N initial states, the M scanned inputs, then the outer values the body captures;
 * with {@code batched} (Scan-8) a {@code sequence_lens} input comes first and every input has a
 * leading batch axis, scanned along axis 1. Outputs: the N final states, then the K per-step body
 * outputs stacked along their output axes. Forward only: it declares no gradient.
 *
 * @param body             the body: (N states, M slices) → (N states, K step outputs)
 * @param scanInputs       M, the number of scanned inputs
 * @param inputAxes        the scanned axis of each scanned input (empty: all 0)
 * @param inputDirections  1 for each scanned input read last step first (empty: all forward)
 * @param outputAxes       the axis each step output is stacked along (empty: all 0)
 * @param outputDirections 1 for each step output stacked last step first (empty: all forward)
 * @param batched          Scan-8's form, with sequence_lens and a batch axis
 */
public record Scan(Subgraph body, int scanInputs, int[] inputAxes, int[] inputDirections, int[] outputAxes,
        int[] outputDirections, boolean batched) implements Op {
    /** Checks the body's signature and copies the arrays. */
    public Scan {
        inputAxes = inputAxes.clone();
        inputDirections = inputDirections.clone();
        outputAxes = outputAxes.clone();
        outputDirections = outputDirections.clone();
        if (scanInputs < 1 || scanInputs > body.formalCount()) {
            throw new IllegalArgumentException("Scan num_scan_inputs " + scanInputs + " does not fit a body of "
                    + body.formalCount() + " inputs");
        }
        if (body.outputCount() < body.formalCount() - scanInputs) {
            throw new IllegalArgumentException("Scan body returns " + body.outputCount() + " outputs, fewer than its "
                    + (body.formalCount() - scanInputs) + " states");
        }
    }

    @Override
    public String type() {
        return "Scan";
    }

    private int states() {
        return body.formalCount() - scanInputs;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int first = batched ? 1 : 0, formals = body.formalCount();
        List<Tensor> args = Arrays.asList(in).subList(first, first + formals);
        Map<String, Tensor> captured = Subgraph.captured(body.captures(), in, first + formals);
        if (!batched) {
            return scan(args, captured);
        }
        int batch = args.getFirst().dim(0);
        Tensor lens = in[0];
        List<Tensor[]> perEntry = new ArrayList<>();
        for (int e = 0; e < batch; e++) {
            List<Tensor> entry = new ArrayList<>();
            for (Tensor a : args) {
                entry.add(Stacking.slice(a, 0, e));
            }
            if (lens != null && lens.getLong(e) != entry.get(states()).dim(0)) {
                throw new IllegalArgumentException("Scan sequence_lens shorter than the sequence is not supported (entry "
                        + e + ": " + lens.getLong(e) + ")");
            }
            perEntry.add(scan(entry, captured));
        }
        Tensor[] out = new Tensor[perEntry.getFirst().length];
        for (int k = 0; k < out.length; k++) {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor[] r : perEntry) {
                parts.add(r[k]);
            }
            out[k] = Stacking.stack(parts, 0);
        }
        return out;
    }

    private Tensor[] scan(List<Tensor> args, Map<String, Tensor> captured) {
        int n = states(), k = body.outputCount() - n;
        List<Tensor> state = new ArrayList<>(args.subList(0, n));
        List<Tensor> scanned = args.subList(n, n + scanInputs);
        int[] axes = new int[scanInputs];
        int steps = -1;
        for (int j = 0; j < scanInputs; j++) {
            Tensor s = scanned.get(j);
            int axis = at(inputAxes, j, 0);
            axes[j] = axis < 0 ? axis + s.rank() : axis;
            if (steps >= 0 && s.dim(axes[j]) != steps) {
                throw new IllegalArgumentException("Scan inputs have different lengths: " + steps + " and " + s.dim(axes[j]));
            }
            steps = s.dim(axes[j]);
        }
        List<List<Tensor>> outs = new ArrayList<>();
        for (int q = 0; q < k; q++) {
            outs.add(new ArrayList<>());
        }
        for (int step = 0; step < steps; step++) {
            List<Tensor> formals = new ArrayList<>(state);
            for (int j = 0; j < scanInputs; j++) {
                int index = at(inputDirections, j, 0) == 1 ? steps - 1 - step : step;
                formals.add(Stacking.slice(scanned.get(j), axes[j], index));
            }
            Tensor[] r = body.run(formals, captured);
            state = new ArrayList<>(Arrays.asList(r).subList(0, n));
            for (int q = 0; q < k; q++) {
                outs.get(q).add(r[n + q]);
            }
        }
        Tensor[] result = new Tensor[n + k];
        for (int c = 0; c < n; c++) {
            result[c] = state.get(c);
        }
        for (int q = 0; q < k; q++) {
            List<Tensor> o = outs.get(q);
            if (o.isEmpty()) {
                result[n + q] = Stacking.empty(body.graph().outputs().get(n + q));
                continue;
            }
            if (at(outputDirections, q, 0) == 1) {
                Collections.reverse(o);
            }
            int axis = at(outputAxes, q, 0);
            result[n + q] = Stacking.stack(o, axis < 0 ? axis + o.getFirst().rank() + 1 : axis);
        }
        return result;
    }

    private static int at(int[] values, int k, int dflt) {
        return k < values.length ? values[k] : dflt;
    }

    @Override
    public boolean differentiable() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scan s && body.equals(s.body) && scanInputs == s.scanInputs && batched == s.batched
                && Arrays.equals(inputAxes, s.inputAxes) && Arrays.equals(inputDirections, s.inputDirections)
                && Arrays.equals(outputAxes, s.outputAxes) && Arrays.equals(outputDirections, s.outputDirections);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(body, scanInputs, batched, Arrays.hashCode(inputAxes), Arrays.hashCode(outputAxes));
    }

    @Override
    public String toString() {
        return "Scan[scanInputs=" + scanInputs + ", inputAxes=" + Arrays.toString(inputAxes) + ", inputDirections="
                + Arrays.toString(inputDirections) + ", outputAxes=" + Arrays.toString(outputAxes) + ", outputDirections="
                + Arrays.toString(outputDirections) + ", batched=" + batched + "]";
    }
}

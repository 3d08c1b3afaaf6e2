package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Scan: runs its body once per step of the scanned inputs, threading N state values.
 * Inputs: the N initial states, the M scanned inputs, then the outer values the body captures;
 * with {@code batched} (Scan-8) a {@code sequence_lens} input comes first and every input has a
 * leading batch axis, scanned along axis 1. Outputs: the N final states, then the K per-step body
 * outputs stacked along their output axes.
 *
 * <p>The gradient backpropagates through the steps as Loop's does: each step's trace is kept,
 * and the steps' VJPs run last step first, carrying the states' gradients, feeding each step the
 * slice of every step output's gradient it wrote, placing each scanned input's gradient at the
 * slice the step read, and summing the captured values' gradients. {@code sequence_lens} and
 * integer values get none.
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
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int first = batched ? 1 : 0, formals = body.formalCount();
        Map<String, Tensor> captured = Subgraph.captured(body.captures(), in, first + formals);
        if (!batched) {
            return scan(Arrays.asList(in).subList(0, formals), captured, null);
        }
        List<Tensor[]> perEntry = new ArrayList<>();
        for (List<Tensor> entry : entries(in)) {
            perEntry.add(scan(entry, captured, null));
        }
        return stackEntries(perEntry, body.outputCount());
    }

    /** Scan-8's per-batch-entry arguments (states and scanned inputs, batch axis removed). */
    private List<List<Tensor>> entries(Tensor[] in) {
        List<Tensor> args = Arrays.asList(in).subList(1, 1 + body.formalCount());
        int batch = args.getFirst().dim(0);
        Tensor lens = in[0];
        List<List<Tensor>> entries = new ArrayList<>();
        for (int e = 0; e < batch; e++) {
            List<Tensor> entry = new ArrayList<>();
            for (Tensor a : args) {
                entry.add(Stacking.slice(a, 0, e));
            }
            if (lens != null && lens.getLong(e) != entry.get(states()).dim(0)) {
                throw new IllegalArgumentException("Scan sequence_lens shorter than the sequence is not supported (entry "
                        + e + ": " + lens.getLong(e) + ")");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** Stacks the per-entry results along a new batch axis, result by result ({@code null} stays {@code null}). */
    private static Tensor[] stackEntries(List<Tensor[]> perEntry, int count) {
        Tensor[] out = new Tensor[count];
        for (int k = 0; k < count; k++) {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor[] r : perEntry) {
                parts.add(r[k]);
            }
            out[k] = parts.contains(null) ? null : Stacking.stack(parts, 0);
        }
        return out;
    }

    /** The scanned axis of each scanned input, made non-negative. */
    private int[] scannedAxes(List<Tensor> scanned) {
        int[] axes = new int[scanInputs];
        for (int j = 0; j < scanInputs; j++) {
            int axis = at(inputAxes, j, 0);
            axes[j] = axis < 0 ? axis + scanned.get(j).rank() : axis;
        }
        return axes;
    }

    /** The index along its scanned (or stacked) axis that step {@code step} of {@code steps} reads (or writes). */
    private static int position(int[] directions, int j, int step, int steps) {
        return at(directions, j, 0) == 1 ? steps - 1 - step : step;
    }

    /** One unbatched scan; with {@code runs} non-null, keeps each step's trace there. */
    private Tensor[] scan(List<Tensor> args, Map<String, Tensor> captured, List<Trace> runs) {
        int n = states(), k = body.outputCount() - n;
        List<Tensor> state = new ArrayList<>(args.subList(0, n));
        List<Tensor> scanned = args.subList(n, n + scanInputs);
        int[] axes = scannedAxes(scanned);
        int steps = -1;
        for (int j = 0; j < scanInputs; j++) {
            Tensor s = scanned.get(j);
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
                formals.add(Stacking.slice(scanned.get(j), axes[j], position(inputDirections, j, step, steps)));
            }
            Trace run = body.trace(formals, captured);
            if (runs != null) {
                runs.add(run);
            }
            Tensor[] r = body.outputs(run);
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
            result[n + q] = Stacking.stack(o, outputAxis(q, o.getFirst().rank() + 1));
        }
        return result;
    }

    private int outputAxis(int q, int stackedRank) {
        int axis = at(outputAxes, q, 0);
        return axis < 0 ? axis + stackedRank : axis;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] gradOutputs, boolean[] wanted) {
        int first = batched ? 1 : 0, formals = body.formalCount();
        Map<String, Tensor> captured = Subgraph.captured(body.captures(), in, first + formals);
        var wantCaptures = Subgraph.wantedCaptures(body.captures(), wanted, first + formals);
        boolean[] wantArgs = Arrays.copyOfRange(wanted, first, first + formals);
        Map<String, Tensor> captureSums = new HashMap<>();
        Tensor[] argGrads;
        if (!batched) {
            argGrads = scanBackward(Arrays.asList(in).subList(0, formals), captured, gradOutputs, wantArgs, wantCaptures,
                    captureSums);
        } else {
            List<List<Tensor>> entries = entries(in);
            List<Tensor[]> perEntry = new ArrayList<>();
            for (int e = 0; e < entries.size(); e++) {
                Tensor[] g = new Tensor[gradOutputs.length];
                for (int q = 0; q < g.length; q++) {
                    g[q] = gradOutputs[q] == null ? null : Stacking.slice(gradOutputs[q], 0, e);
                }
                perEntry.add(scanBackward(entries.get(e), captured, g, wantArgs, wantCaptures, captureSums));
            }
            argGrads = stackEntries(perEntry, formals);
        }
        Tensor[] result = new Tensor[in.length];
        for (int a = 0; a < formals; a++) {
            if (wanted[first + a]) {
                result[first + a] = Subgraph.orZeros(argGrads[a], in[first + a]);
            }
        }
        Subgraph.putCaptureGradients(body.captures(), in, wanted, first + formals, captureSums, result);
        return result;
    }

    /**
     * The VJP of one unbatched scan: the gradients of its states and scanned inputs (those in
     * {@code wantArgs}); the captured values' gradients are added into {@code captureSums}.
     */
    private Tensor[] scanBackward(List<Tensor> args, Map<String, Tensor> captured, Tensor[] gradOutputs, boolean[] wantArgs,
            Set<String> wantCaptures, Map<String, Tensor> captureSums) {
        int n = states(), k = body.outputCount() - n;
        List<Trace> runs = new ArrayList<>();
        scan(args, captured, runs);
        int steps = runs.size();
        List<Tensor> scanned = args.subList(n, n + scanInputs);
        int[] axes = scannedAxes(scanned);
        Tensor[] carry = Arrays.copyOf(gradOutputs, n);
        boolean[] wantFormals = wantArgs.clone();
        Arrays.fill(wantFormals, 0, n, true);
        Tensor[][] pieces = new Tensor[scanInputs][steps];
        for (int step = steps - 1; step >= 0; step--) {
            Tensor[] g = new Tensor[n + k];
            System.arraycopy(carry, 0, g, 0, n);
            for (int q = 0; q < k; q++) {
                Tensor all = gradOutputs[n + q];
                if (all != null) {
                    g[n + q] = Stacking.slice(all, outputAxis(q, all.rank()), position(outputDirections, q, step, steps));
                }
            }
            var r = body.backward(runs.get(step), g, wantFormals, wantCaptures);
            System.arraycopy(r.formals(), 0, carry, 0, n);
            for (int j = 0; j < scanInputs; j++) {
                pieces[j][position(inputDirections, j, step, steps)] = r.formals()[n + j];
            }
            Subgraph.accumulate(captureSums, r);
        }
        Tensor[] grads = Arrays.copyOf(carry, n + scanInputs);
        for (int j = 0; j < scanInputs; j++) {
            Tensor x = scanned.get(j);
            if (!wantArgs[n + j] || !x.dtype().isFloating() || steps == 0) {
                continue;
            }
            List<Tensor> slices = new ArrayList<>(steps);
            for (int i = 0; i < steps; i++) {
                slices.add(pieces[j][i] != null ? pieces[j][i] : Subgraph.orZeros(null, Stacking.slice(x, axes[j], i)));
            }
            grads[n + j] = Stacking.stack(slices, axes[j]);
        }
        for (int c = 0; c < n; c++) {
            if (!wantArgs[c]) {
                grads[c] = null;
            }
        }
        return grads;
    }

    private static int at(int[] values, int k, int dflt) {
        return k < values.length ? values[k] : dflt;
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

package dev.jattr.graph.ops;

import dev.jattr.graph.Limits;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Loop: runs its body while the trip count and the condition allow. Inputs: the trip count M
 * (or {@code null}), the condition (or {@code null}), the N initial loop-carried values, then the
 * outer values the body captures. Outputs: the N final loop-carried values, then each of the
 * body's K per-iteration outputs stacked along a new first axis. The body takes (iteration
 * number, condition, N carried values) and returns (condition, N carried values, K scan
 * outputs).
 *
 * <p>The gradient backpropagates through the iterations: the loop is run again keeping each
 * iteration's trace, then each iteration's VJP runs last iteration first, carrying the gradients
 * of the loop-carried values and summing those of the captured values; each scan output's
 * gradient feeds its iteration. The trip count, the condition and integer carried values get none.
 *
 * @param body the loop body
 */
public record Loop(Subgraph body) implements Op {
    /** Checks the body's signature. */
    public Loop {
        if (body.formalCount() < 2 || body.outputCount() < body.formalCount() - 1) {
            throw new IllegalArgumentException("Loop body takes " + body.formalCount() + " inputs and returns "
                    + body.outputCount() + " outputs; it needs (iteration, condition, N carried) → (condition, N carried, K scanned)");
        }
    }

    @Override
    public String type() {
        return "Loop";
    }

    private int carriedCount() {
        return body.formalCount() - 2;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return iterate(in, null);
    }

    /** Runs the loop; with {@code runs} non-null, keeps each iteration's trace there. */
    private Tensor[] iterate(Tensor[] in, List<Trace> runs) {
        Tensor m = in[0], cond = in.length > 1 ? in[1] : null;
        int n = carriedCount(), k = body.outputCount() - 1 - n;
        if (m == null && cond == null) {
            throw new IllegalArgumentException("Loop with neither a trip count nor a condition never ends");
        }
        long trips = m == null ? Long.MAX_VALUE : m.getLong(0);
        boolean go = cond == null || cond.getDouble(0) != 0;
        List<Tensor> carried = new ArrayList<>(Arrays.asList(in).subList(2, 2 + n));
        var captured = Subgraph.captured(body.captures(), in, 2 + n);
        List<List<Tensor>> scanned = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            scanned.add(new ArrayList<>());
        }
        long limit = Limits.maxLoopIterations();
        for (long it = 0; it < trips && go; it++) {
            if (it == limit) {
                throw new IllegalArgumentException("Loop still running after " + limit + " iterations (trip count "
                        + (m == null ? "absent" : trips) + "); raise the limit with -D" + Limits.LOOP_ITERATIONS + "=N");
            }
            List<Tensor> formals = new ArrayList<>(n + 2);
            formals.add(Tensor.of(new long[] {it}));
            formals.add(Tensor.of(new boolean[] {go}));
            formals.addAll(carried);
            Trace run = body.trace(formals, captured);
            if (runs != null) {
                runs.add(run);
            }
            Tensor[] out = body.outputs(run);
            if (cond != null) {
                go = out[0].getDouble(0) != 0;
            }
            carried = new ArrayList<>(Arrays.asList(out).subList(1, 1 + n));
            for (int s = 0; s < k; s++) {
                scanned.get(s).add(out[1 + n + s]);
            }
        }
        Tensor[] result = new Tensor[n + k];
        for (int c = 0; c < n; c++) {
            result[c] = carried.get(c);
        }
        for (int s = 0; s < k; s++) {
            List<Tensor> steps = scanned.get(s);
            result[n + s] = steps.isEmpty() ? Stacking.empty(body.graph().outputs().get(1 + n + s)) : Stacking.stack(steps, 0);
        }
        return result;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] gradOutputs, boolean[] wanted) {
        int n = carriedCount(), k = body.outputCount() - 1 - n;
        List<Trace> runs = new ArrayList<>();
        iterate(in, runs);
        Tensor[] carry = Arrays.copyOf(gradOutputs, n);
        boolean[] wantFormals = Subgraph.flags(n + 2, 2, n + 2);
        var wantCaptures = Subgraph.wantedCaptures(body.captures(), wanted, 2 + n);
        Map<String, Tensor> captureSums = new HashMap<>();
        for (int it = runs.size() - 1; it >= 0; it--) {
            Tensor[] g = new Tensor[1 + n + k];
            System.arraycopy(carry, 0, g, 1, n);
            for (int s = 0; s < k; s++) {
                Tensor all = gradOutputs[n + s];
                g[1 + n + s] = all == null ? null : Stacking.slice(all, 0, it);
            }
            var step = body.backward(runs.get(it), g, wantFormals, wantCaptures);
            System.arraycopy(step.formals(), 2, carry, 0, n);
            Subgraph.accumulate(captureSums, step);
        }
        Tensor[] result = new Tensor[in.length];
        for (int c = 0; c < n; c++) {
            if (wanted[2 + c]) {
                result[2 + c] = Subgraph.orZeros(carry[c], in[2 + c]);
            }
        }
        Subgraph.putCaptureGradients(body.captures(), in, wanted, 2 + n, captureSums, result);
        return result;
    }
}

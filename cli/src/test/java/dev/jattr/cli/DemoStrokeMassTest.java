package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo's heatmaps follow the digits' strokes. */
class DemoStrokeMassTest {
    @Test
    void positiveMassLiesOnTheStrokesForGradientMethods() {
        DemoCommand.Results r = DemoCommand.run(50);
        Map<String, DemoCommand.MethodResult> byName = r.methods().stream()
                .collect(Collectors.toMap(DemoCommand.MethodResult::method, m -> m));
        String table = r.methods().stream().map(m -> String.format(Locale.ROOT, "%s near %.3f strokes %.3f band %.3f",
                m.method(), m.share().massNear(), m.share().strokeArea(), m.share().bandArea())).collect(Collectors.joining("; "));
        for (String m : List.of("LayerIntegratedGradients", "LayerDeepLift", "LayerGradCam")) {
            StrokeMass.Share s = byName.get(m).share();
            assertTrue(s.massNear() >= 1.5 * s.strokeArea(), m + ": " + table);
            for (int e = 0; e < r.predicted().length; e++) {
                StrokeMass.Share one = StrokeMass.of(byName.get(m).maps(), r.strokes(), e);
                assertTrue(one.massNear() > one.strokeArea(), m + " on digit " + e + ": " + one);
            }
        }
        // logits of about 10: IG's 50 Gauss-Legendre steps leave a mean |delta| of about 0.02 on this ReLU net
        assertTrue(byName.get("LayerIntegratedGradients").delta().orElseThrow() < 0.1, table);
    }

    @Test
    void sharesCountTheBandAroundTheStrokes() {
        double[] strokes = new double[7 * 7];
        strokes[3 * 7 + 3] = 1;
        double[] map = new double[7 * 7];
        map[3 * 7 + 5] = 2;   // 2 px right of the stroke: near
        map[0] = 1;           // a corner: far
        map[3 * 7 + 3] = -4;  // negative mass is not counted
        StrokeMass.Share s = StrokeMass.of(Tensor.of(map, 1, 7, 7), Tensor.of(strokes, 1, 1, 7, 7), 0);
        assertEquals(2.0 / 3, s.massNear(), 1e-12);
        assertEquals(1.0 / 49, s.strokeArea(), 1e-12);
        assertEquals(13.0 / 49, s.bandArea(), 1e-12);
    }
}

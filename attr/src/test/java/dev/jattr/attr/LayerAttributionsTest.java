package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.attr.LayerAttributions.Mode;
import dev.jattr.graph.Tensor;
import org.junit.jupiter.api.Test;

class LayerAttributionsTest {
    private static final Tensor SQUARE = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);

    @Test
    void nearestDoublingRepeatsEachValue() {
        Tensor r = LayerAttributions.interpolate(SQUARE, new int[] {4, 4}, Mode.NEAREST);
        assertArrayEquals(new int[] {1, 1, 4, 4}, r.shape());
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, r.toDoubles(), 0);
    }

    @Test
    void nearestTakesFloorOfScaledIndex() {
        Tensor row = Tensor.of(new double[] {10, 11, 12, 13, 14}, 1, 1, 5);
        // in/out = 5/3: dst 0, 1, 2 → src floor(0), floor(1.67), floor(3.33) = 0, 1, 3
        assertArrayEquals(new double[] {10, 11, 13}, LayerAttributions.interpolate(row, new int[] {3}, Mode.NEAREST).toDoubles(), 0);
        // in/out = 5/7: dst 0..6 → floor(0, .71, 1.43, 2.14, 2.86, 3.57, 4.29)
        assertArrayEquals(new double[] {10, 10, 11, 12, 12, 13, 14},
                LayerAttributions.interpolate(row, new int[] {7}, Mode.NEAREST).toDoubles(), 0);
    }

    @Test
    void bilinearWithoutAlignedCornersUsesHalfPixelCentres() {
        // per axis: src = max(0, (dst + ½)·½ − ½) = 0, .25, .75, 1.25 → clamped to the last pixel
        Tensor r = LayerAttributions.interpolate(SQUARE, new int[] {4, 4}, Mode.BILINEAR);
        assertArrayEquals(new double[] {
            1, 1.25, 1.75, 2,
            1.5, 1.75, 2.25, 2.5,
            2.5, 2.75, 3.25, 3.5,
            3, 3.25, 3.75, 4}, r.toDoubles(), 1e-12);
    }

    @Test
    void bilinearWithAlignedCornersKeepsTheCorners() {
        Tensor r = LayerAttributions.interpolate(SQUARE, new int[] {3, 3}, Mode.BILINEAR, true);
        assertArrayEquals(new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}, r.toDoubles(), 1e-12);
    }

    @Test
    void linearOnOneAxisAndKeepsBatchAndChannels() {
        Tensor t = Tensor.of(new double[] {0, 1, 10, 20}, 2, 1, 2);
        Tensor r = LayerAttributions.interpolate(t, new int[] {4}, Mode.LINEAR);
        assertArrayEquals(new int[] {2, 1, 4}, r.shape());
        assertArrayEquals(new double[] {0, 0.25, 0.75, 1, 10, 12.5, 17.5, 20}, r.toDoubles(), 1e-12);
    }

    @Test
    void downsamplingBilinearAveragesNeighbours() {
        Tensor t = Tensor.of(new double[] {0, 1, 2, 3}, 1, 1, 1, 4);
        // in/out = 2: src = (dst + ½)·2 − ½ = 0.5, 2.5
        Tensor r = LayerAttributions.interpolate(t, new int[] {1, 2}, Mode.BILINEAR);
        assertArrayEquals(new double[] {0.5, 2.5}, r.toDoubles(), 1e-12);
    }

    @Test
    void invalidCombinationsFail() {
        assertThrows(IllegalArgumentException.class, () -> LayerAttributions.interpolate(SQUARE, new int[] {4, 4}, Mode.NEAREST, true));
        assertThrows(IllegalArgumentException.class, () -> LayerAttributions.interpolate(SQUARE, new int[] {4}, Mode.NEAREST));
        assertThrows(IllegalArgumentException.class, () -> LayerAttributions.interpolate(SQUARE, new int[] {4, 4}, Mode.LINEAR));
    }
}

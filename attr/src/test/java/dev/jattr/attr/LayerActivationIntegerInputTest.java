package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Gather;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An embedding's layer input is its integer token ids: LayerActivation returns them, as Captum does. */
class LayerActivationIntegerInputTest {
    private static Graph embedding() {
        Tensor table = Tensor.of(new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f}, 4, 2);
        var ids = new ValueInfo("ids", DType.I64, new int[] {-1, 3}, List.of("batch", ""));
        var out = new ValueInfo("/embed/Gather_output_0", DType.F32, new int[] {-1, 3, 2}, List.of("batch", "", ""));
        return new Graph(List.of(new Node("/embed/Gather", new Gather(0), List.of("embed.weight", "ids"), List.of(out.name()))),
                List.of(ids), List.of(out), Map.of("embed.weight", table));
    }

    @Test
    void layerInputOfAnEmbeddingIsItsTokenIds() {
        Tensor ids = Tensor.of(new long[] {3, 0, 2, 1, 1, 3}, 2, 3);
        Attribution a = LayerActivation.builder(embedding()).layer("embed").attributeToLayerInput(true).build()
                .attribute(AttributionInputs.builder().input("ids", ids).build());
        Tensor got = a.single();
        assertEquals(DType.I64, got.dtype());
        assertArrayEquals(new int[] {2, 3}, got.shape());
        assertArrayEquals(ids.longs(), got.longs());
    }

    @Test
    void layerOutputOfAnEmbeddingIsItsVectors() {
        Tensor ids = Tensor.of(new long[] {3, 0, 2}, 1, 3);
        Tensor got = LayerActivation.builder(embedding()).layer("embed").build()
                .attribute(AttributionInputs.builder().input("ids", ids).build()).single();
        assertArrayEquals(new int[] {1, 3, 2}, got.shape());
        assertEquals(3.5, got.getDouble(1), 0);
        assertEquals(0.0, got.getDouble(2), 0);
    }
}

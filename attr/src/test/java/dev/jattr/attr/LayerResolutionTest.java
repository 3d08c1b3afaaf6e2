package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerResolutionTest {
    private final dev.jattr.graph.Graph g = TestGraphs.twoInputs();

    @Test
    void modulePathNodeNameAndTensorNameResolve() {
        assertEquals(List.of("/fc1/Gemm_output_0"), Layer.resolve(g, "fc1", false).values());
        assertEquals(List.of("/act/Tanh_output_0"), Layer.resolve(g, "/act/Tanh", false).values());
        assertEquals(List.of("/Add_output_0"), Layer.resolve(g, "/Add_output_0", false).values());
        assertEquals(List.of("out"), Layer.resolve(g, "fc2", false).values());
    }

    @Test
    void layerInputsAreTheNonConstantValuesReadFromOutside() {
        assertEquals(List.of("x"), Layer.resolve(g, "fc1", true).values());
        assertEquals(List.of("/fc1/Gemm_output_0", "/side/Gemm_output_0"), Layer.resolve(g, "/Add", true).values());
    }

    @Test
    void unknownNameListsCandidates() {
        var e = assertThrows(IllegalArgumentException.class, () -> Layer.resolve(g, "fc3", false));
        assertTrue(e.getMessage().contains("no layer named 'fc3'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'fc1', 'fc2'?"), e.getMessage());
        assertTrue(!e.getMessage().contains("/fc2/Gemm"), e.getMessage());
    }

    @Test
    void suggestionsAreFewAndCloseBySuffixThenEditDistance() {
        var names = new java.util.LinkedHashSet<String>();
        for (int i = 0; i < 3000; i++) {
            names.add("features." + i + ".conv");
            names.add("/features/features." + i + "/conv/Conv");
        }
        names.add("layer4.1.conv2");
        names.add("layer4.1.conv1");
        assertEquals(List.of("layer4.1.conv1", "layer4.1.conv2"), Layer.suggestions("layer4.1.conv3", names));
        assertEquals(List.of("layer4.1.conv2"), Layer.suggestions("conv2", names).subList(0, 1));
        assertEquals(Layer.MAX_SUGGESTIONS, Layer.suggestions("features.17.conv", names).size());
        assertEquals(List.of(), Layer.suggestions("classifier", names));
    }

    @Test
    void explicitPrefixesChooseTheReading() {
        assertEquals(List.of("/fc1/Gemm_output_0"), Layer.resolve(g, "node:/fc1/Gemm", false).values());
        assertEquals(List.of("x"), Layer.resolve(g, "tensor:x", false).values());
        assertEquals(List.of("/act/Tanh_output_0"), Layer.resolve(g, "module:act", false).values());
        assertThrows(IllegalArgumentException.class, () -> Layer.resolve(g, "module:nothing", false));
    }
}

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
        assertTrue(e.getMessage().contains("modules: act, fc1, fc2, side"), e.getMessage());
        assertTrue(e.getMessage().contains("/fc2/Gemm"), e.getMessage());
    }

    @Test
    void explicitPrefixesChooseTheReading() {
        assertEquals(List.of("/fc1/Gemm_output_0"), Layer.resolve(g, "node:/fc1/Gemm", false).values());
        assertEquals(List.of("x"), Layer.resolve(g, "tensor:x", false).values());
        assertEquals(List.of("/act/Tanh_output_0"), Layer.resolve(g, "module:act", false).values());
        assertThrows(IllegalArgumentException.class, () -> Layer.resolve(g, "module:nothing", false));
    }
}

package dev.jattr.attr.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of a Captum parity corpus (schema: {@code shared/captum-reference/README.md}).
 *
 * @param id                    unique name
 * @param dir                   the corpus folder, against which paths resolve
 * @param model                 model path
 * @param method                {@code forward} or a layer method name
 * @param layer                 PyTorch module path, or null
 * @param layerTensors          tensor names Captum attributed to
 * @param attributeToLayerInput Captum's flag
 * @param inputs                attributed inputs: name → .npy path
 * @param additional            non-attributed inputs: name → .npy path
 * @param baselines             baselines: name → .npy path, or null
 * @param target                the target as JSON (int, list or null)
 * @param args                  the other arguments as JSON
 * @param expected              expected attribution paths (one per returned tensor)
 * @param expectedDelta         expected delta path, or null
 * @param rtol                  tolerance
 * @param compare               {@code allclose} or {@code relative_l2}
 */
public record CaptumCase(String id, Path dir, Path model, String method, String layer, List<String> layerTensors,
        boolean attributeToLayerInput, Map<String, Path> inputs, Map<String, Path> additional, Map<String, Path> baselines,
        JsonNode target, JsonNode args, List<Path> expected, Path expectedDelta, double rtol, String compare) {

    /** Parses one case object. */
    static CaptumCase parse(JsonNode c, Path dir) {
        List<Path> expected = new ArrayList<>();
        JsonNode e = c.path("expected");
        if (e.isArray()) {
            e.forEach(p -> expected.add(dir.resolve(p.asText())));
        } else {
            expected.add(dir.resolve(e.asText()));
        }
        List<String> tensors = new ArrayList<>();
        c.path("layer_tensors").forEach(t -> tensors.add(t.asText()));
        JsonNode delta = c.path("expected_delta");
        return new CaptumCase(c.path("id").asText(), dir, dir.resolve(c.path("model").asText()), c.path("method").asText(),
                c.hasNonNull("layer") ? c.get("layer").asText() : null, tensors,
                c.path("attribute_to_layer_input").asBoolean(false), paths(c.path("inputs"), dir),
                paths(c.path("additional_inputs"), dir), c.hasNonNull("baselines") ? paths(c.get("baselines"), dir) : null,
                c.path("target"), c.path("args"), expected, delta.isNull() || delta.isMissingNode() ? null : dir.resolve(delta.asText()),
                c.path("rtol").asDouble(1e-3), c.path("compare").asText("allclose"));
    }

    private static Map<String, Path> paths(JsonNode obj, Path dir) {
        Map<String, Path> m = new LinkedHashMap<>();
        obj.properties().forEach(en -> m.put(en.getKey(), dir.resolve(en.getValue().asText())));
        return m;
    }

    /** An argument, or null. */
    public JsonNode arg(String name) {
        JsonNode a = args.get(name);
        return a == null || a.isNull() ? null : a;
    }
}

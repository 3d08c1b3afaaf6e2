package dev.jattr.cli;

import static dev.jattr.cli.HostileCase.fails;
import static dev.jattr.cli.HostileCase.succeeds;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hostile command lines for {@code jattr}, generated family by family: every value-taking option
 * with malformed values, LRP rule JSON mutations, every method with each argument it does not
 * take, outputs that collide with the run's own files in every spelling (links, {@code ..}), sizes
 * that cannot fit in memory, unknown commands, and valid near-misses that must succeed. Arguments
 * are written with {@code @/} for the case's folder.
 */
final class HostileArguments {
    /** Every Captum argument of the command line, with the methods that take it. */
    private static final Map<String, Set<String>> TAKEN_BY = new LinkedHashMap<>();

    static {
        Set<String> path = Set.of("LayerIntegratedGradients", "InternalInfluence", "LayerConductance");
        TAKEN_BY.put("n_steps", path);
        TAKEN_BY.put("method", path);
        TAKEN_BY.put("internal_batch_size", path);
        TAKEN_BY.put("multiply_by_inputs", Set.of("LayerGradientXActivation", "LayerIntegratedGradients", "LayerGradientShap",
                "LayerDeepLift", "LayerDeepLiftShap"));
        TAKEN_BY.put("return_convergence_delta", Set.of("LayerIntegratedGradients", "LayerConductance", "LayerGradientShap",
                "LayerDeepLift", "LayerDeepLiftShap", "LayerLRP"));
        TAKEN_BY.put("relu_attributions", Set.of("LayerGradCam"));
        TAKEN_BY.put("attr_dim_summation", Set.of("LayerGradCam"));
        TAKEN_BY.put("layer_baselines", Set.of("LayerFeatureAblation"));
        TAKEN_BY.put("layer_mask", Set.of("LayerFeatureAblation"));
        TAKEN_BY.put("perturbations_per_eval", Set.of("LayerFeatureAblation"));
        TAKEN_BY.put("n_samples", Set.of("LayerGradientShap"));
        TAKEN_BY.put("stdevs", Set.of("LayerGradientShap"));
        TAKEN_BY.put("seed", Set.of("LayerGradientShap"));
        TAKEN_BY.put("rules", Set.of("LayerLRP"));
    }

    private static final List<String> METHODS = List.of("LayerActivation", "LayerGradientXActivation", "LayerIntegratedGradients",
            "InternalInfluence", "LayerConductance", "LayerGradCam", "LayerFeatureAblation", "LayerGradientShap", "LayerDeepLift",
            "LayerDeepLiftShap", "LayerLRP");

    /** Values that are no whole number of at least 1, each with the fragment its message must show. */
    private static final List<String> NOT_POSITIVE = List.of("0", "-1", "2147483648", "99999999999999999999", "1.5", "1e999",
            "NaN", "-Infinity", "abc", "", "[1]", "{}", "true", "5 x", "0x10", "[");

    private HostileArguments() {}

    /** All cases. */
    static List<HostileCase> cases() {
        List<HostileCase> c = new ArrayList<>();
        sizeOptions(c);
        seeds(c);
        targets(c);
        namedOptions(c);
        inputsAndBaselines(c);
        extraArguments(c);
        lrpRules(c);
        argumentsNotTaken(c);
        outputs(c);
        memory(c);
        commands(c);
        return c;
    }

    // ---- the building blocks -------------------------------------------------------------------

    /** The valid model and a two-example input. */
    private static void valid(Path d) throws IOException {
        TinyModel.writeValid(d, 2);
    }

    /**
     * The tiny model with a second branch beside fc1 ({@code /fcb/MatMul}, same weight), so that
     * two layers are independent: y = fc2(relu(fc1(x) + fcb(x))).
     */
    private static ai.onnx.proto.OnnxMl.ModelProto branched() {
        var m = TinyModel.builder();
        var g = m.getGraphBuilder();
        g.removeNode(2).removeNode(1);
        g.addNode(TinyModel.node("/fcb/MatMul", "MatMul", List.of("x", "fc1.weight"), List.of("/fcb/MatMul_output_0")))
                .addNode(TinyModel.node("/add/Add", "Add", List.of("/fc1/MatMul_output_0", "/fcb/MatMul_output_0"), List.of("s")))
                .addNode(TinyModel.node("/act/Relu", "Relu", List.of("s"), List.of("/act/Relu_output_0")))
                .addNode(TinyModel.node("/fc2/MatMul", "MatMul", List.of("/act/Relu_output_0", "fc2.weight"), List.of("y")));
        return m.build();
    }

    /** {@code jattr attribute} of {@code method} on layer act, writing out.npy, then {@code extra}. */
    private static HostileCase.Args attribute(String method, String... extra) {
        List<String> a = new ArrayList<>(List.of("attribute", "--model", "@/model.onnx", "--input", "x=@/x.npy", "--method", method,
                "--layer", TinyModel.ACT, "--out", "@/out.npy"));
        a.addAll(List.of(extra));
        if (!method.equals("LayerActivation") && !a.contains("--target") && a.stream().noneMatch(s -> s.startsWith("--target="))) {
            a.addAll(List.of("--target", "0")); // the output has two values per example: Captum requires a target
        }
        return command(a.toArray(String[]::new));
    }

    /** A command line whose {@code @/} stand for the case's folder. */
    private static HostileCase.Args command(String... args) {
        return d -> Arrays.stream(args).map(s -> s.replace("@/", d + "/")).toArray(String[]::new);
    }

    /** A method that takes {@code captumName}. */
    private static String methodTaking(String captumName) {
        return METHODS.stream().filter(TAKEN_BY.get(captumName)::contains).findFirst().orElseThrow();
    }

    // ---- the families --------------------------------------------------------------------------

    /** --n-steps, --internal-batch-size, --n-samples and their --arg spellings: whole numbers of at least 1. */
    private static void sizeOptions(List<HostileCase> c) {
        Map<String, String> flags = Map.of("--n-steps", "n_steps", "--internal-batch-size", "internal_batch_size",
                "--n-samples", "n_samples");
        flags.forEach((flag, name) -> {
            String m = methodTaking(name);
            for (String v : NOT_POSITIVE) {
                c.add(fails("size options", flag + " '" + v + "'", HostileArguments::valid, attribute(m, flag, v), flag));
                c.add(fails("size options", "--arg " + name + "='" + v + "'", HostileArguments::valid,
                        attribute(m, "--arg", name + "=" + v), "--arg " + name));
            }
            c.add(succeeds("size options", flag + " 3", HostileArguments::valid, attribute(m, flag, "3")));
            c.add(succeeds("size options", flag + " ' 3 '", HostileArguments::valid, attribute(m, flag, " 3 ")));
            c.add(succeeds("size options", "--arg " + name + "=null (Captum's None)", HostileArguments::valid,
                    attribute(m, "--arg", name + "=null")));
        });
        c.add(fails("size options", "--arg perturbations_per_eval=0", HostileArguments::valid,
                attribute("LayerFeatureAblation", "--arg", "perturbations_per_eval=0"), "--arg perturbations_per_eval", "0"));
        c.add(fails("size options", "--arg perturbations_per_eval=-3", HostileArguments::valid,
                attribute("LayerFeatureAblation", "--arg", "perturbations_per_eval=-3"), "--arg perturbations_per_eval", "-3"));
        c.add(fails("size options", "--integration riemann_trapezoid with --n-steps 1", HostileArguments::valid,
                attribute("LayerIntegratedGradients", "--integration", "riemann_trapezoid", "--n-steps", "1"), "riemann_trapezoid", "2"));
        c.add(succeeds("size options", "--arg perturbations_per_eval=2000000000 (more than the features)", HostileArguments::valid,
                attribute("LayerFeatureAblation", "--target", "0", "--arg", "perturbations_per_eval=2000000000")));
    }

    /** --seed and --arg seed: a whole number in the range of a long. */
    private static void seeds(List<HostileCase> c) {
        for (String v : List.of("99999999999999999999", "-99999999999999999999", "9223372036854775808", "1.5", "1e999", "NaN",
                "abc", "", "[1]", "{}", "true", "0x10")) {
            c.add(fails("seed", "--seed '" + v + "'", HostileArguments::valid, attribute("LayerGradientShap", "--seed", v), "--seed"));
            c.add(fails("seed", "--arg seed='" + v + "'", HostileArguments::valid,
                    attribute("LayerGradientShap", "--arg", "seed=" + v), "--arg seed"));
        }
        for (String v : List.of("0", "-1", "9223372036854775807", "-9223372036854775808")) {
            c.add(succeeds("seed", "--seed " + v, HostileArguments::valid, attribute("LayerGradientShap", "--seed", v)));
        }
    }

    /** --target: one index, a tuple index or one per example, each in range. */
    private static void targets(List<HostileCase> c) {
        for (String v : List.of("3,", ",3", ",", "a", "1:", ":1", ":", "", " ", "99999999999999999999", "2147483648", "1.5", "1e1",
                "--1", "+1", "1 2", "1;2", "0x1", "1,,0", "1:a", "NaN", "[1]", "0,1,0", "0:0", "2", "7", "0,2", "1,5")) {
            c.add(fails("target", "--target '" + v + "'", HostileArguments::valid, attribute("LayerGradientXActivation", "--target", v),
                    "target"));
        }
        for (String v : List.of("0", "1", "0,1", " 1 ", "1, 0")) {
            c.add(succeeds("target", "--target '" + v + "'", HostileArguments::valid, attribute("LayerGradientXActivation", "--target", v)));
        }
    }

    /** --method, --layer, --integration, --model-output and --model: names and files that do not exist. */
    private static void namedOptions(List<HostileCase> c) {
        for (String v : List.of("", " ", "Saliency", "IntegratedGradients", "layerintegratedgradients", "LayerIntegratedGradient",
                "LayerIntegratedGradients ", "LayerLRP2", "GradCam", "LayerActivation,LayerLRP", "x".repeat(10_000))) {
            c.add(fails("method", "--method '" + shorten(v) + "'", HostileArguments::valid, attributeWith("--method", v), "method"));
        }
        for (String v : List.of("", " ", "nope", "fc", "act.", "node:", "tensor:", "module:", "node:act", "tensor:fc1.weight",
                "tensor:nope", "module:nope", "/fc1", "ACT", "x".repeat(10_000))) {
            c.add(fails("layer", "--layer '" + shorten(v) + "'", HostileArguments::valid, attributeWith("--layer", v), "layer"));
        }
        for (String v : List.of(TinyModel.FC1, TinyModel.FC2, "/act/Relu", "/fc1/MatMul_output_0", "module:act", "node:/act/Relu",
                "tensor:/act/Relu_output_0")) {
            c.add(succeeds("layer", "--layer " + v, HostileArguments::valid, attributeWith("--layer", v)));
        }
        for (String v : List.of("", "gauss", "riemann", "riemann_leftt", "1", "[1]", "{}", "\"riemann_left\" x")) {
            c.add(fails("integration", "--integration '" + v + "'", HostileArguments::valid,
                    attribute("LayerIntegratedGradients", "--integration", v), "--integration"));
        }
        for (String v : List.of("riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid", "gausslegendre")) {
            c.add(succeeds("integration", "--integration " + v, HostileArguments::valid,
                    attribute("LayerIntegratedGradients", "--integration", v, "--n-steps", "4")));
        }
        for (String v : List.of("", "z", "y ", "Y")) {
            c.add(fails("model output", "--model-output '" + v + "'", HostileArguments::valid,
                    attribute("LayerGradientXActivation", "--model-output", v), "output"));
        }
        c.add(succeeds("model output", "--model-output y", HostileArguments::valid, attribute("LayerGradientXActivation", "--model-output", "y")));
        Map<String, HostileCase.Setup> models = new LinkedHashMap<>();
        models.put("missing", d -> TinyModel.writeInput(d, "x.npy", 2));
        models.put("a folder", d -> {
            TinyModel.writeInput(d, "x.npy", 2);
            Files.createDirectory(d.resolve("model.onnx"));
        });
        models.put("empty", d -> {
            TinyModel.writeInput(d, "x.npy", 2);
            Files.write(d.resolve("model.onnx"), new byte[0]);
        });
        models.put("garbage", d -> {
            TinyModel.writeInput(d, "x.npy", 2);
            Files.write(d.resolve("model.onnx"), new byte[] {(byte) 0xff, 0x13, 0x37, 0x00, 0x42});
        });
        models.put("an .npy file", d -> {
            TinyModel.writeInput(d, "x.npy", 2);
            TinyModel.writeInput(d, "model.onnx", 2);
        });
        models.put("a dangling link", d -> {
            TinyModel.writeInput(d, "x.npy", 2);
            Files.createSymbolicLink(d.resolve("model.onnx"), d.resolve("gone.onnx"));
        });
        models.forEach((what, setup) -> c.add(fails("model", "--model " + what, setup, attribute("LayerActivation"), "model.onnx")));
    }

    /** --attribute with every option replaced by {@code value} (the others valid). */
    private static HostileCase.Args attributeWith(String option, String value) {
        Map<String, String> a = new LinkedHashMap<>(Map.of("--model", "@/model.onnx", "--input", "x=@/x.npy",
                "--method", "LayerActivation", "--layer", TinyModel.ACT, "--out", "@/out.npy"));
        a.put(option, value);
        List<String> l = new ArrayList<>(List.of("attribute"));
        a.forEach((k, v) -> l.addAll(List.of(k, v)));
        return command(l.toArray(String[]::new));
    }

    private static String shorten(String v) {
        return v.length() > 40 ? v.charAt(0) + " × " + v.length() : v;
    }

    /** --input, --additional and --baseline: names, files and numbers. */
    private static void inputsAndBaselines(List<HostileCase> c) {
        String ig = "LayerIntegratedGradients";
        record Bad(String name, List<String> args, String mention) {}
        List<Bad> bad = List.of(
                new Bad("--input of a missing file", List.of("--input", "x=@/nope.npy"), "nope.npy"),
                new Bad("--input of a folder", List.of("--input", "x=@/"), "input 'x'"),
                new Bad("--input naming no model input", List.of("--input", "z=@/x.npy"), "z=" ),
                new Bad("--input with an empty name", List.of("--input", "=@/x.npy"), "--input"),
                new Bad("--input with an empty file name", List.of("--input", "x="), "input 'x'"),
                new Bad("--input repeated", List.of("--input", "x=@/x.npy", "--input", "x=@/x.npy"), "twice"),
                new Bad("--input repeated with another file", List.of("--input", "x=@/x.npy", "--input", "x=@/x2.npy"), "twice"),
                new Bad("--input of a file that is not .npy", List.of("--input", "x=@/model.onnx"), "model.onnx"),
                new Bad("--additional of the attributed input", List.of("--input", "x=@/x.npy", "--additional", "x=@/x.npy"), "'x'"),
                new Bad("--additional without a name", List.of("--input", "x=@/x.npy", "--additional", "@/x.npy"), "--additional"),
                new Bad("--additional of no model input", List.of("--input", "x=@/x.npy", "--additional", "q=@/x.npy"), "'q'"),
                new Bad("--baseline 1e999", List.of("--input", "x=@/x.npy", "--baseline", "x=1e999"), "1e999"),
                new Bad("--baseline NaN", List.of("--input", "x=@/x.npy", "--baseline", "x=NaN"), "NaN"),
                new Bad("--baseline nan", List.of("--input", "x=@/x.npy", "--baseline", "x=nan"), "nan"),
                new Bad("--baseline Infinity", List.of("--input", "x=@/x.npy", "--baseline", "x=Infinity"), "Infinity"),
                new Bad("--baseline -inf", List.of("--input", "x=@/x.npy", "--baseline", "x=-inf"), "-inf"),
                new Bad("--baseline of a missing file", List.of("--input", "x=@/x.npy", "--baseline", "x=@/b.npy"), "b.npy"),
                new Bad("--baseline of no input", List.of("--input", "x=@/x.npy", "--baseline", "q=0"), "'q'"),
                new Bad("--baseline without a value", List.of("--input", "x=@/x.npy", "--baseline", "x"), "--baseline"),
                new Bad("--baseline without a name", List.of("--input", "x=@/x.npy", "--baseline", "=0"), "--baseline"),
                new Bad("--baseline repeated", List.of("--input", "x=@/x.npy", "--baseline", "x=0", "--baseline", "x=1"), "twice"),
                new Bad("--baseline repeated alike", List.of("--input", "x=@/x.npy", "--baseline", "x=0", "--baseline", "x=0"), "twice"),
                new Bad("--baseline of text", List.of("--input", "x=@/x.npy", "--baseline", "x=abc"), "abc"),
                new Bad("--baseline of the wrong shape", List.of("--input", "x=@/x.npy", "--baseline", "x=@/wide.npy"), "baseline"));
        HostileCase.Setup setup = d -> {
            valid(d);
            TinyModel.writeInput(d, "x2.npy", 2);
            Npy.write(d.resolve("wide.npy"), Tensor.of(new float[10], 2, 5));
        };
        for (Bad b : bad) {
            List<String> a = new ArrayList<>(List.of("attribute", "--model", "@/model.onnx", "--method", ig, "--layer", TinyModel.ACT,
                    "--target", "0", "--out", "@/out.npy"));
            a.addAll(b.args().contains("--input") ? b.args() : prepend("--input", "x=@/x.npy", b.args()));
            c.add(fails("inputs", b.name(), setup, command(a.toArray(String[]::new)), b.mention()));
        }
        for (String v : List.of("x=0.5", "x=-1", "x=1e3", "x=@/x2.npy", "x=@/x.npy", "x= 0.25 ")) {
            c.add(succeeds("inputs", "--baseline " + v, setup, attribute(ig, "--baseline", v)));
        }
        c.add(succeeds("inputs", "--input without a name", setup, command("attribute", "--model", "@/model.onnx", "--input", "@/x.npy",
                "--method", ig, "--layer", TinyModel.ACT, "--target", "0", "--out", "@/out.npy")));
    }

    private static List<String> prepend(String a, String b, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(a, b));
        l.addAll(rest);
        return l;
    }

    /** --arg: pairs, unknown names, values of the wrong kind. */
    private static void extraArguments(List<HostileCase> c) {
        String ig = "LayerIntegratedGradients";
        Map<String, String[]> bad = new LinkedHashMap<>();
        bad.put("n_steps", new String[] {"--arg 'n_steps'", "name=value"});
        bad.put("=5", new String[] {"--arg '=5'", "name=value"});
        bad.put("", new String[] {"--arg ''", "name=value"});
        bad.put("nsteps=5", new String[] {"--arg nsteps", "did you mean 'n_steps'"});
        bad.put("n_step=5", new String[] {"--arg n_step", "did you mean 'n_steps'"});
        bad.put("foo=1", new String[] {"--arg foo", "not an argument of " + ig});
        bad.put("N_STEPS=5", new String[] {"--arg N_STEPS", "n_steps"});
        bad.put("multiply_by_inputs=2", new String[] {"--arg multiply_by_inputs", "true or false"});
        bad.put("multiply_by_inputs=yes", new String[] {"--arg multiply_by_inputs", "true or false"});
        bad.put("multiply_by_inputs=[true]", new String[] {"--arg multiply_by_inputs", "true or false"});
        bad.put("return_convergence_delta=maybe", new String[] {"--arg return_convergence_delta", "true or false"});
        bad.put("method=5", new String[] {"--arg method", "text"});
        bad.put("method=gauss", new String[] {"--arg method", "gauss"});
        bad.put("method={}", new String[] {"--arg method", "text"});
        for (var e : bad.entrySet()) {
            c.add(fails("--arg", e.getKey(), HostileArguments::valid, attribute(ig, "--arg", e.getKey()), e.getValue()));
        }
        c.add(fails("--arg", "n_steps twice", HostileArguments::valid, attribute(ig, "--arg", "n_steps=4", "--arg", "n_steps=5"), "twice"));
        c.add(fails("--arg", "--n-steps and --arg n_steps", HostileArguments::valid, attribute(ig, "--n-steps", "4", "--arg", "n_steps=4"),
                "--n-steps", "twice"));
        c.add(fails("--arg", "--delta and --arg return_convergence_delta", HostileArguments::valid,
                attribute(ig, "--delta", "--arg", "return_convergence_delta=true"), "twice"));
        String shap = "LayerGradientShap";
        Map<String, String> shapBad = new LinkedHashMap<>();
        for (String v : List.of("-1", "[-1]", "[0.5, -0.1]", "[]", "NaN", "1e999", "[1, 1e999]", "[\"a\"]", "abc", "{}", "[[1]]", "true")) {
            shapBad.put("stdevs=" + v, "--arg stdevs");
        }
        shapBad.forEach((arg, mention) -> c.add(fails("--arg", shap + " " + arg, HostileArguments::valid, attribute(shap, "--arg", arg), mention)));
        c.add(fails("--arg", "stdevs of two values for one input", HostileArguments::valid, attribute(shap, "--arg", "stdevs=[0.1, 0.2]"), "stdevs"));
        c.add(succeeds("--arg", "stdevs=0.1", HostileArguments::valid, attribute(shap, "--arg", "stdevs=0.1", "--seed", "3")));
        c.add(succeeds("--arg", "stdevs=[0.1]", HostileArguments::valid, attribute(shap, "--arg", "stdevs=[0.1]", "--seed", "3")));
        String fa = "LayerFeatureAblation";
        HostileCase.Setup withMask = d -> {
            valid(d);
            Npy.write(d.resolve("mask.npy"), Tensor.of(new long[] {0, 1, 1}, 1, 3));
        };
        for (String v : List.of("layer_mask=@/nope.npy", "layer_mask=true", "layer_mask={}", "layer_mask=[true]", "layer_baselines=[true]",
                "layer_baselines=@/nope.npy", "layer_baselines={\"a\": 1}", "layer_baselines=NaN", "layer_baselines=1e999")) {
            c.add(fails("--arg", fa + " " + v.replace("@/", ""), withMask, attribute(fa, "--arg", v), "--arg " + v.substring(0, v.indexOf('='))));
        }
        c.add(succeeds("--arg", fa + " layer_mask", withMask, attribute(fa, "--target", "1", "--arg", "layer_mask=@/mask.npy")));
        c.add(succeeds("--arg", fa + " layer_baselines=0.5", withMask, attribute(fa, "--target", "1", "--arg", "layer_baselines=0.5")));
        c.add(succeeds("--arg", "n_steps=4 as --arg", HostileArguments::valid, attribute(ig, "--arg", "n_steps=4")));
    }

    /** --arg rules of LayerLRP: the valid rules, and mutations of every part of them. */
    private static void lrpRules(List<HostileCase> c) {
        String eps = "{\"rule\": \"EpsilonRule\", \"epsilon\": 0.01}";
        String valid = "{\"fc2\": " + eps + "}";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("a list", "[]");
        bad.put("a number", "1");
        bad.put("text", "\"fc2\"");
        bad.put("true", "true");
        bad.put("a rule that is a number", "{\"fc2\": 1}");
        bad.put("a rule that is text", "{\"fc2\": \"EpsilonRule\"}");
        bad.put("a rule that is a list", "{\"fc2\": [" + eps + "]}");
        bad.put("a rule that is null", "{\"fc2\": null}");
        bad.put("no rule name", "{\"fc2\": {}}");
        bad.put("only a parameter", "{\"fc2\": {\"epsilon\": 0.1}}");
        bad.put("a rule name that is a number", "{\"fc2\": {\"rule\": 1}}");
        bad.put("a rule name that is null", "{\"fc2\": {\"rule\": null}}");
        bad.put("an unknown rule", "{\"fc2\": {\"rule\": \"EpsRule\"}}");
        bad.put("a rule in lower case", "{\"fc2\": {\"rule\": \"epsilonrule\"}}");
        bad.put("an empty rule name", "{\"fc2\": {\"rule\": \"\"}}");
        bad.put("Captum's class path", "{\"fc2\": {\"rule\": \"captum.attr._utils.lrp_rules.EpsilonRule\"}}");
        bad.put("gamma given to EpsilonRule", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"gamma\": 1}}");
        bad.put("epsilon given to IdentityRule", "{\"fc2\": {\"rule\": \"IdentityRule\", \"epsilon\": 1}}");
        bad.put("a misspelt key", "{\"fc2\": {\"rule\": \"GammaRule\", \"gama\": 1}}");
        bad.put("epsilon given to Alpha1_Beta0_Rule", "{\"fc2\": {\"rule\": \"Alpha1_Beta0_Rule\", \"epsilon\": 1}}");
        bad.put("epsilon as text", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": \"a\"}}");
        bad.put("epsilon as a boolean", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": true}}");
        bad.put("epsilon as a list", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": [1]}}");
        bad.put("a negative epsilon", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": -1}}");
        bad.put("an infinite epsilon", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": 1e999}}");
        bad.put("an infinite gamma", "{\"fc2\": {\"rule\": \"GammaRule\", \"gamma\": -1e999}}");
        bad.put("gamma as text", "{\"fc2\": {\"rule\": \"GammaRule\", \"gamma\": \"x\"}}");
        bad.put("set_bias_to_zero as a number", "{\"fc2\": {\"rule\": \"GammaRule\", \"set_bias_to_zero\": 1}}");
        bad.put("set_bias_to_zero as text", "{\"fc2\": {\"rule\": \"Alpha1_Beta0_Rule\", \"set_bias_to_zero\": \"true\"}}");
        bad.put("trailing text", valid + " x");
        bad.put("a trailing brace", valid + "}");
        bad.put("a trailing comma", valid + ",");
        bad.put("a second object", valid + " {}");
        bad.put("a duplicate layer", "{\"fc2\": " + eps + ", \"fc2\": " + eps + "}");
        bad.put("a duplicate rule key", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"rule\": \"GammaRule\"}}");
        bad.put("a duplicate parameter", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": 1, \"epsilon\": 2}}");
        bad.put("an unclosed object", "{\"fc2\": " + eps);
        bad.put("a lone brace", "{");
        bad.put("a key without a value", "{\"fc2\"}");
        bad.put("single quotes", "{'fc2': {'rule': 'EpsilonRule'}}");
        bad.put("an unquoted rule", "{\"fc2\": {\"rule\": EpsilonRule}}");
        bad.put("a comma before the brace", "{\"fc2\": {\"rule\": \"EpsilonRule\",}}");
        bad.put("a comment", "{\"fc2\": " + eps + " /* c */}");
        bad.put("NaN", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": NaN}}");
        bad.put("deeply nested lists", "[".repeat(5_000) + "]".repeat(5_000));
        bad.put("deeply nested objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
        bad.put("an empty layer name", "{\"\": " + eps + "}");
        bad.put("a huge number", "{\"fc2\": {\"rule\": \"EpsilonRule\", \"epsilon\": 1" + "0".repeat(2_000) + "}}");
        bad.forEach((what, json) -> c.add(fails("lrp rules", what, HostileArguments::valid,
                attribute("LayerLRP", "--arg", "rules=" + json), "--arg rules")));
        c.add(fails("lrp rules", "an unknown layer", HostileArguments::valid,
                attribute("LayerLRP", "--arg", "rules={\"nope\": " + eps + "}"), "LRP rule", "'nope'"));
        for (String json : List.of(valid, "{}", "null", "  " + valid + "  ", "{\"fc2\": {\"rule\": \"GammaRule\", \"gamma\": 0.5, \"set_bias_to_zero\": true}}",
                "{\"fc2\": {\"rule\": \"Alpha1_Beta0_Rule\"}}", "{\"fc2\": {\"rule\": \"EpsilonRule\"}}")) {
            c.add(succeeds("lrp rules", "valid " + json, HostileArguments::valid, attribute("LayerLRP", "--arg", "rules=" + json)));
        }
    }

    /** Every method with every argument it does not take, by its dedicated flag or --arg. */
    private static void argumentsNotTaken(List<HostileCase> c) {
        Map<String, List<String>> spelled = new LinkedHashMap<>();
        spelled.put("n_steps", List.of("--n-steps", "5"));
        spelled.put("method", List.of("--integration", "riemann_left"));
        spelled.put("internal_batch_size", List.of("--internal-batch-size", "2"));
        spelled.put("multiply_by_inputs", List.of("--no-multiply-by-inputs"));
        spelled.put("return_convergence_delta", List.of("--delta"));
        spelled.put("n_samples", List.of("--n-samples", "3"));
        spelled.put("seed", List.of("--seed", "1"));
        spelled.put("relu_attributions", List.of("--arg", "relu_attributions=true"));
        spelled.put("attr_dim_summation", List.of("--arg", "attr_dim_summation=false"));
        spelled.put("layer_baselines", List.of("--arg", "layer_baselines=0"));
        spelled.put("layer_mask", List.of("--arg", "layer_mask=@/x.npy"));
        spelled.put("perturbations_per_eval", List.of("--arg", "perturbations_per_eval=1"));
        spelled.put("stdevs", List.of("--arg", "stdevs=0.1"));
        spelled.put("rules", List.of("--arg", "rules={}"));
        for (String m : METHODS) {
            spelled.forEach((name, args) -> {
                if (!TAKEN_BY.get(name).contains(m)) {
                    String shown = args.getFirst().equals("--arg") ? "--arg " + name : args.getFirst();
                    c.add(fails("not taken", m + " " + shown, HostileArguments::valid, attribute(m, args.toArray(String[]::new)),
                            shown, "not an argument of " + m));
                }
            });
        }
    }

    /** --out naming a file the run reads, or another of its outputs, in every spelling; folders that cannot hold it. */
    private static void outputs(List<HostileCase> c) {
        HostileCase.Setup setup = d -> {
            valid(d);
            TinyModel.write(branched(), d, "model.onnx");
            Files.createDirectory(d.resolve("sub"));
            Npy.write(d.resolve("mask.npy"), Tensor.of(new long[] {0, 1, 1}, 1, 3));
            Npy.write(d.resolve("base.npy"), Tensor.of(new float[] {0.5f}, 1));
            Npy.write(d.resolve("lb.npy"), Tensor.of(new float[] {0.25f}, 1));
            Files.createSymbolicLink(d.resolve("link.npy"), d.resolve("x.npy"));
            Files.createSymbolicLink(d.resolve("relative-link.npy"), Path.of("x.npy"));
            Files.createSymbolicLink(d.resolve("chain.npy"), d.resolve("link.npy"));
            Files.createSymbolicLink(d.resolve("folder-link"), d.resolve("sub"));
            Files.createSymbolicLink(d.resolve("model-link"), d.resolve("model.onnx"));
        };
        // each file the run reads, with the arguments that make it read it
        Map<String, List<String>> reads = new LinkedHashMap<>();
        reads.put("x.npy", List.of("--method", "LayerFeatureAblation"));
        reads.put("model.onnx", List.of("--method", "LayerFeatureAblation"));
        reads.put("mask.npy", List.of("--method", "LayerFeatureAblation", "--arg", "layer_mask=@/mask.npy"));
        reads.put("lb.npy", List.of("--method", "LayerFeatureAblation", "--arg", "layer_baselines=@/lb.npy"));
        reads.put("base.npy", List.of("--method", "LayerIntegratedGradients", "--baseline", "x=@/base.npy"));
        Map<String, java.util.function.Function<String, String>> spellings = new LinkedHashMap<>();
        spellings.put("as given", f -> "@/" + f);
        spellings.put("through ..", f -> "@/sub/../" + f);
        spellings.put("through .", f -> "@/./" + f);
        spellings.put("with a double slash", f -> "@//" + f);
        spellings.put("through a linked folder and ..", f -> "@/folder-link/../" + f);
        for (var r : reads.entrySet()) {
            for (var s : spellings.entrySet()) {
                List<String> a = new ArrayList<>(List.of("attribute", "--model", "@/model.onnx", "--input", "x=@/x.npy", "--layer", TinyModel.ACT,
                        "--target", "0", "--out", s.getValue().apply(r.getKey())));
                a.addAll(r.getValue());
                c.add(fails("outputs", "--out is " + r.getKey() + " " + s.getKey(), setup, command(a.toArray(String[]::new)), "--out",
                        "same file"));
            }
        }
        for (String link : List.of("link.npy", "relative-link.npy", "chain.npy", "model-link")) {
            c.add(fails("outputs", "--out is a link to an input: " + link, setup,
                    attributeWith("--out", "@/" + link), "--out", "same file"));
        }
        c.add(fails("outputs", "--out is a dangling link to the other output", d -> {
            setup.write(d);
            Files.createSymbolicLink(d.resolve("dangling.npy"), d.resolve("b.npy"));
        }, twoLayers("@/dangling.npy", "@/b.npy"), "same file"));
        c.add(fails("outputs", "--out is a dangling link to the delta file", d -> {
            setup.write(d);
            Files.createSymbolicLink(d.resolve("dangling.npy"), Path.of("a.delta.npy"));
        }, twoLayers("@/a.npy", "@/dangling.npy"), "same file"));
        // the numbered files of several tensors and the delta file
        HostileCase.Setup taken = d -> {
            setup.write(d);
            TinyModel.writeInput(d, "out.1.npy", 2);
            TinyModel.writeInput(d, "out.delta.npy", 2);
        };
        c.add(fails("outputs", "second tensor's file is an input", taken, command("attribute", "--model", "@/model.onnx",
                "--input", "x=@/out.1.npy", "--method", "LayerActivation", "--layer", "fc1", "--layer", "fcb", "--out", "@/out.npy"),
                "out.1.npy", "same file"));
        c.add(fails("outputs", "delta file is an input", taken, command("attribute", "--model", "@/model.onnx",
                "--input", "x=@/out.delta.npy", "--method", "LayerIntegratedGradients", "--layer", "act", "--delta", "--out", "@/out.npy"),
                "out.delta.npy", "same file"));
        c.add(fails("outputs", "delta file is an input, spelt through ..", taken, command("attribute", "--model", "@/model.onnx",
                "--input", "x=@/sub/../out.delta.npy", "--method", "LayerIntegratedGradients", "--layer", "act", "--delta",
                "--out", "@/out.npy"), "out.delta.npy", "same file"));
        List<List<String>> twoOuts = List.of(List.of("@/a.npy", "@/a.npy"), List.of("@/a.npy", "@/sub/../a.npy"),
                List.of("@/a.npy", "@/./a.npy"), List.of("@/sub/a.npy", "@/folder-link/a.npy"), List.of("@/a.npy", "@/a.delta.npy"),
                List.of("@/x.npy", "@/b.npy"), List.of("@/b.npy", "@/link.npy"));
        for (List<String> outs : twoOuts) {
            c.add(fails("outputs", "two layers to " + outs, setup, twoLayers(outs.get(0), outs.get(1)), "same file"));
        }
        Map<String, String> folders = new LinkedHashMap<>();
        folders.put("a missing folder", "@/nope/out.npy");
        folders.put("a missing folder, deeper", "@/nope/deeper/out.npy");
        folders.put("a file as folder", "@/x.npy/out.npy");
        folders.put("the case folder", "@/");
        folders.put("a sub folder", "@/sub");
        folders.put("a linked folder", "@/folder-link");
        folders.put("the root", "/");
        folders.put("nothing", "");
        folders.put("the current folder", ".");
        folders.put("a missing folder through ..", "@/nope/../out.npy");
        for (var f : folders.entrySet()) {
            c.add(fails("outputs", "--out in " + f.getKey(), setup, attributeWith("--out", f.getValue()), "--out"));
        }
        c.add(fails("outputs", "--out given three times for one tensor", setup,
                attribute("LayerActivation", "--out", "@/b.npy", "--out", "@/c.npy"), "--out"));
        c.add(succeeds("outputs", "--out beside the inputs", setup, attributeWith("--out", "@/sub/../fresh.npy")));
        c.add(succeeds("outputs", "--out over an earlier output", d -> {
            setup.write(d);
            TinyModel.writeInput(d, "out.npy", 2);
        }, attribute("LayerActivation")));
        c.add(succeeds("outputs", "two layers and a delta", setup, twoLayers("@/a.npy", "@/b.npy")));
        c.add(succeeds("outputs", "two layers to a.1.npy and a.npy", setup, twoLayers("@/a.1.npy", "@/a.npy")));
        c.add(succeeds("outputs", "two layers and a delta to numbered files", setup, command("attribute", "--model", "@/model.onnx",
                "--input", "x=@/x.npy", "--method", "LayerIntegratedGradients", "--delta", "--target", "0", "--layer", "fc1",
                "--layer", "fcb", "--out", "@/a.npy")));
    }

    /** LayerIntegratedGradients with a delta on the two parallel layers of the branched model, to two files. */
    private static HostileCase.Args twoLayers(String first, String second) {
        return command("attribute", "--model", "@/model.onnx", "--input", "x=@/x.npy", "--method", "LayerIntegratedGradients",
                "--delta", "--target", "0", "--layer", "fc1", "--layer", "fcb", "--out", first, "--out", second);
    }

    /**
     * Sizes whose evaluations cannot fit in memory, or beyond the cap of n_steps: refused before
     * allocating, naming what to lower.
     */
    private static void memory(List<HostileCase> c) {
        for (String m : List.of("LayerIntegratedGradients", "InternalInfluence", "LayerConductance")) {
            for (String integration : List.of("gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid")) {
                c.add(fails("memory", m + " " + integration + " 2e9 steps at once", HostileArguments::valid,
                        attribute(m, "--integration", integration, "--n-steps", "2000000000"), "--n-steps", "1000000"));
                c.add(fails("memory", m + " " + integration + " 2e9 steps one by one", HostileArguments::valid,
                        attribute(m, "--integration", integration, "--n-steps", "2000000000", "--internal-batch-size", "1"), "--n-steps"));
            }
            c.add(fails("memory", m + " 4e8 steps", HostileArguments::valid, attribute(m, "--n-steps", "400000000"), "--n-steps"));
            c.add(fails("memory", m + " 2147483647 steps and batch", HostileArguments::valid,
                    attribute(m, "--n-steps", "2147483647", "--internal-batch-size", "2147483647"), "--n-steps"));
            c.add(fails("memory", m + " 2e9 steps by --arg", HostileArguments::valid, attribute(m, "--arg", "n_steps=2000000000"),
                    "n_steps"));
            c.add(fails("memory", m + " 1e6 steps all at once on a wide batch", d -> {
                valid(d);
                TinyModel.writeInput(d, "wide.npy", 4000);
            }, command("attribute", "--model", "@/model.onnx", "--input", "x=@/wide.npy", "--method", m, "--layer", TinyModel.ACT,
                    "--target", "0", "--n-steps", "1000000", "--internal-batch-size", "2000000000", "--out", "@/out.npy"),
                    "--internal-batch-size", "--n-steps"));
        }
        for (String n : List.of("2000000000", "2147483647", "400000000")) {
            c.add(fails("memory", "LayerGradientShap " + n + " samples", HostileArguments::valid,
                    attribute("LayerGradientShap", "--n-samples", n), "--n-samples"));
        }
        c.add(fails("memory", "a large batch times 1e6 steps all at once", d -> {
            TinyModel.writeValid(d, 2);
            TinyModel.writeInput(d, "big.npy", 100_000);
        }, command("attribute", "--model", "@/model.onnx", "--input", "x=@/big.npy", "--method", "LayerIntegratedGradients",
                "--layer", "act", "--n-steps", "1000000", "--internal-batch-size", "2000000000", "--out", "@/out.npy"),
                "--internal-batch-size", "--n-steps"));
        c.add(succeeds("memory", "LayerIntegratedGradients 1000 steps 7 at a time", HostileArguments::valid,
                attribute("LayerIntegratedGradients", "--n-steps", "1000", "--internal-batch-size", "7")));
        c.add(succeeds("memory", "LayerGradientShap 2000 samples", HostileArguments::valid,
                attribute("LayerGradientShap", "--n-samples", "2000", "--seed", "1")));
    }

    /** Commands: none, unknown ones, and the other commands' arguments. */
    private static void commands(List<HostileCase> c) {
        c.add(fails("commands", "no command", d -> {}, command(), "no command given", "--help"));
        c.add(fails("commands", "only --verbose", d -> {}, command("--verbose"), "no command given"));
        for (String v : List.of("atribute", "attributes", "Attribute", "layer", "chek", "parity2", "demoo", "conformence", "help")) {
            c.add(fails("commands", "unknown command " + v, d -> {}, command(v, "x"), "unknown command '" + v + "'"));
        }
        for (String v : List.of("atribute", "layer", "chek")) {
            c.add(fails("commands", "did you mean, for " + v, d -> {}, command(v), "did you mean"));
        }
        c.add(fails("commands", "an empty command", d -> {}, command(""), "unknown command"));
        c.add(fails("commands", "an unknown top-level option", d -> {}, command("--nope"), "--nope"));
        c.add(fails("commands", "an unknown attribute option", HostileArguments::valid, attribute("LayerActivation", "--n-step", "5"),
                "--n-step", "did you mean"));
        c.add(fails("commands", "an option without its value", HostileArguments::valid, attribute("LayerActivation", "--target"), "--target"));
        c.add(fails("commands", "attribute without options", d -> {}, command("attribute"), "--model"));
        for (String cmd : List.of("layers", "check")) {
            c.add(fails("commands", cmd + " of a missing model", d -> {}, command(cmd, "@/nope.onnx"), "nope.onnx"));
            c.add(fails("commands", cmd + " of a folder", d -> {}, command(cmd, "@/"), "model"));
            c.add(fails("commands", cmd + " of garbage", d -> Files.write(d.resolve("junk.onnx"), new byte[] {1, 2, 3}),
                    command(cmd, "@/junk.onnx"), "junk.onnx"));
            c.add(fails("commands", cmd + " without a model", d -> {}, command(cmd), "MODEL"));
            c.add(fails("commands", cmd + " with two models", HostileArguments::valid, command(cmd, "@/model.onnx", "@/model.onnx"),
                    "model.onnx"));
        }
        c.add(fails("commands", "parity of a missing corpus", d -> {}, command("parity", "@/cases.json"), "cases.json"));
        c.add(fails("commands", "parity of garbage", d -> Files.writeString(d.resolve("cases.json"), "{ nope"),
                command("parity", "@/cases.json"), "cases.json"));
        c.add(fails("commands", "conformance of a missing folder", d -> {}, command("conformance", "@/nope"), "nope"));
        c.add(fails("commands", "conformance of an empty folder", d -> {}, command("conformance", "@/"), "test_"));
        for (String v : List.of("0", "-1", "abc", "1e999", "99999999999")) {
            c.add(fails("commands", "demo --n-steps " + v, d -> {}, command("demo", "--n-steps", v), "--n-steps"));
        }
    }
}

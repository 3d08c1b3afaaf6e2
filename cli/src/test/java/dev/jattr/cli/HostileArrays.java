package dev.jattr.cli;

import dev.jattr.testing.NpyBytes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile arrays, numbers and targets given to {@code jattr attribute} on {@link TinyModel},
 * generated systematically: every .npy header field with malformed values, duplicate, unknown
 * and decoy keys, broken syntax, truncation at every offset, corrupt preambles, huge declared
 * shapes, unsupported dtypes, NaN/Inf/1e300 inputs and baselines, bad targets, and n_steps,
 * n_samples and friends at and beyond their limits; plus valid near misses that must succeed.
 */
final class HostileArrays {
    /** The header NumPy writes for the valid input x [2, 4] float32. */
    private static final String VALID = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }";
    private static final float[] X = {0.5f, -0.25f, 1f, 0.75f, -1f, 0.25f, 0.5f, 2f};

    private HostileArrays() {}

    /** Every case. */
    static List<HostileCase> cases() {
        List<HostileCase> c = new ArrayList<>();
        headerFields(c);
        headerSyntax(c);
        truncations(c);
        preambles(c);
        hugeShapes(c);
        dtypes(c);
        nearMisses(c);
        nonFinite(c);
        targets(c);
        loopArguments(c);
        inputShapes(c);
        return c;
    }

    // ---- .npy headers ----

    /** A header with {@code field}'s entry replaced by {@code entry} (null drops it). */
    private static String withField(String field, String entry) {
        List<String> parts = new ArrayList<>();
        for (String f : List.of("descr", "fortran_order", "shape")) {
            String valid = switch (f) {
                case "descr" -> "'descr': '<f4'";
                case "fortran_order" -> "'fortran_order': False";
                default -> "'shape': (2, 4)";
            };
            if (!f.equals(field)) {
                parts.add(valid);
            } else if (entry != null) {
                parts.add(entry);
            }
        }
        return "{" + String.join(", ", parts) + ", }";
    }

    private static void headerFields(List<HostileCase> c) {
        String[][] bad = {
                {"descr", "4", "None", "True", "['<f4']", "('<f4',)", "{'a': 1}", "''", "'<U5'", "'|O'", "'<c8'", "'<f2'",
                        "'|u1'", "'<i2'", "'>c16'", "'|S3'", "'<M8'", "'|V8'", "'float32'", "'<f4 '", "'<f16'", "'<'"},
                {"fortran_order", "0", "1", "'False'", "None", "()", "'True'", "[False]", "false"},
                {"shape", "[2, 4]", "2", "'(2, 4)'", "None", "(2, 4.0)", "(-1, 4)", "(2, -4)", "(2, '4')", "(2, None)",
                        "(2, True)", "(2, (4,))", "(2, 4e0)", "(2, 0x4)", "(2, 4L)", "(2, 1.5)", "(2, --4)", "(2)", "{2: 4}"}};
        for (String[] field : bad) {
            String f = field[0];
            for (int i = 1; i < field.length; i++) {
                String h = withField(f, "'" + f + "': " + field[i]);
                c.add(HostileCase.fails("npy header", f + " = " + field[i], d -> input(d, h), d -> lig(d), "x.npy", f));
            }
            c.add(HostileCase.fails("npy header", f + " missing", d -> input(d, withField(f, null)), d -> lig(d), "x.npy", f));
            String twice = VALID.replace(", }", ", " + entry(f) + ", }");
            c.add(HostileCase.fails("npy header", f + " repeated", d -> input(d, twice), d -> lig(d), "x.npy", f));
            c.add(HostileCase.fails("npy header", f + " repeated with a double-quoted key",
                    d -> input(d, VALID.replace(", }", ", " + entry(f).replace("'" + f + "'", "\"" + f + "\"") + ", }")),
                    d -> lig(d), "x.npy", f));
            c.add(HostileCase.fails("npy header", f + " in a baseline file, malformed",
                    d -> {
                        TinyModel.writeValid(d, 2);
                        Files.write(d.resolve("b.npy"), NpyBytes.npy(1, withField(f, "'" + f + "': None"), NpyBytes.floats(X)));
                    }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "b.npy", f));
        }
        // Changing the dtype by repetition: a float64 descr repeated after the float32 one.
        c.add(HostileCase.fails("npy header", "descr repeated as float64", d -> input(d,
                VALID.replace(", }", ", 'descr': '<f8', }")), d -> lig(d), "x.npy", "descr"));
        for (String key : List.of("'extra': 1", "'DESCR': '<f4'", "'descr ': '<f4'", "'': 0", "'shape\\x00': (2, 4)",
                "'note': \"'descr': '<f8'\"", "'fortran': False", "'version': (1, 0)")) {
            c.add(HostileCase.fails("npy header", "unknown key " + key, d -> input(d, VALID.replace(", }", ", " + key + ", }")),
                    d -> lig(d), "x.npy", "header field"));
        }
        // Decoys: field names inside string values are text.
        c.add(HostileCase.fails("npy decoy", "descr value hides a second descr",
                d -> input(d, withField("descr", "'descr': \"<f4', 'descr': '<f8\"")), d -> lig(d), "x.npy", "descr"));
        c.add(HostileCase.fails("npy decoy", "shape value is text holding a shape",
                d -> input(d, withField("shape", "'shape': \"'shape': (2, 4)\"")), d -> lig(d), "x.npy", "shape"));
        c.add(HostileCase.succeeds("npy decoy", "the same fields in another order",
                d -> input(d, "{'descr': '<f4', 'shape': (2, 4), 'fortran_order': False}"), d -> lig(d)));
    }

    private static String entry(String field) {
        return switch (field) {
            case "descr" -> "'descr': '<f4'";
            case "fortran_order" -> "'fortran_order': False";
            default -> "'shape': (2, 4)";
        };
    }

    private static void headerSyntax(List<HostileCase> c) {
        String[] headers = {
                "", "   ", "{", "}", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)",
                "{'descr' '<f4', 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4' 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4, 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4),, }",
                "{, 'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)} junk",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)}}",
                "{descr: '<f4', fortran_order: False, shape: (2, 4)}",
                "{'descr': <f4, 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((((((((((((((((((((2,))))))))))))))))))))))))))))))))))))}",
                "['descr', '<f4']", "'descr'", "42", "None", "(1, 2)",
                "dict(descr='<f4', fortran_order=False, shape=(2, 4))",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)}\u0000",
                "\u0093\u00ff\u00fe garbage",
                "{'descr': '<f4', 'fortran_order': Fals, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), 'shape': (8,)}",
                "{'descr': b'<f4', 'fortran_order': False, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4)} # comment"};
        for (int i = 0; i < headers.length; i++) {
            String h = headers[i];
            c.add(HostileCase.fails("npy syntax", i + ": " + printable(h), d -> input(d, h), d -> lig(d), "x.npy", "header"));
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            b.append(ch >= 0x20 && ch < 0x7f ? String.valueOf(ch) : String.format("\\x%02x", (int) ch & 0xff));
        }
        return b.length() > 60 ? b.substring(0, 60) + "…" : b.toString();
    }

    private static void truncations(List<HostileCase> c) {
        byte[] valid = NpyBytes.npy(1, VALID, NpyBytes.floats(X));
        for (int cut = 0; cut < valid.length; cut++) {
            int n = cut;
            c.add(HostileCase.fails("npy truncated", "input cut to " + n + " of " + valid.length + " bytes",
                    d -> input(d, Arrays.copyOf(valid, n)), d -> lig(d), "x.npy", n == 0 ? "empty" : n < 10 ? "npy" : "header"));
        }
        for (int cut = 0; cut < valid.length; cut += 9) {
            int n = cut;
            c.add(HostileCase.fails("npy truncated", "baseline cut to " + n + " bytes", d -> {
                TinyModel.writeValid(d, 2);
                Files.write(d.resolve("b.npy"), Arrays.copyOf(valid, n));
            }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "b.npy"));
        }
        for (int extra : new int[] {1, 4, 32}) {
            c.add(HostileCase.fails("npy truncated", extra + " bytes beyond the data",
                    d -> input(d, Arrays.copyOf(valid, valid.length + extra)), d -> lig(d), "x.npy", "shape"));
        }
    }

    private static void preambles(List<HostileCase> c) {
        byte[] valid = NpyBytes.npy(1, VALID, NpyBytes.floats(X));
        for (int i = 0; i < 6; i++) {
            int at = i;
            byte[] b = valid.clone();
            b[at] ^= 0x20;
            c.add(HostileCase.fails("npy preamble", "magic byte " + at + " flipped", d -> input(d, b), d -> lig(d), "x.npy", "not a .npy"));
        }
        for (int[] v : new int[][] {{0, 0}, {4, 0}, {255, 0}, {1, 1}, {2, 7}, {-1, -1}}) {
            byte[] b = valid.clone();
            b[6] = (byte) v[0];
            b[7] = (byte) v[1];
            c.add(HostileCase.fails("npy preamble", "version " + (v[0] & 0xff) + "." + (v[1] & 0xff), d -> input(d, b), d -> lig(d),
                    "x.npy", "version"));
        }
        for (int len : new int[] {0, 1, 117, 119, 200, 65535}) {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) len);
            c.add(HostileCase.fails("npy preamble", "header length " + len, d -> input(d, b), d -> lig(d), "x.npy"));
        }
        for (long len : new long[] {0xFFFFFFFFL, 0x80000000L, 0x7FFFFFFFL, 1000}) {
            byte[] b = NpyBytes.npy(2, VALID, NpyBytes.floats(X));
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, (int) len);
            c.add(HostileCase.fails("npy preamble", "version 2 header length " + len, d -> input(d, b), d -> lig(d), "x.npy"));
        }
        c.add(HostileCase.fails("npy preamble", "a text file", d -> {
            TinyModel.writeValid(d, 2);
            Files.writeString(d.resolve("x.npy"), "0.5, 0.25, 1, 0.75\n-1, 0.25, 0.5, 2\n");
        }, d -> lig(d), "x.npy", "not a .npy"));
        c.add(HostileCase.fails("npy preamble", "a directory named x.npy", d -> {
            TinyModel.write(TinyModel.builder().build(), d, "model.onnx");
            Files.createDirectories(d.resolve("x.npy"));
        }, d -> lig(d), "x.npy"));
    }

    private static void hugeShapes(List<HostileCase> c) {
        for (String shape : new String[] {"(2147483648,)", "(65536, 32768)", "(2147483647, 4)", "(2, 1073741824)",
                "(9223372036854775807, 4)", "(9223372036854775808, 4)", "(4294967296, 4294967296, 4294967296)",
                "(99999999999999999999999999999999999999, 4)", "(536870912, 4)", "(268435456, 4)", "(1000000, 4)",
                "(2, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
                        + " 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)"}) {
            for (String descr : new String[] {"<f4", "<f8"}) {
                String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
                c.add(HostileCase.fails("npy huge shape", descr + " " + (shape.startsWith("(2, 4, 1, 1") ? "rank 66" : shape),
                        d -> input(d, NpyBytes.npy(1, h, NpyBytes.floats(X))), d -> lig(d), "x.npy", "shape"));
            }
        }
    }

    private static void dtypes(List<HostileCase> c) {
        record Variant(String descr, byte[] data, boolean ok) {}
        ByteBuffer f8 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN), f8be = ByteBuffer.allocate(64);
        ByteBuffer i8 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN), i4 = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f4be = ByteBuffer.allocate(32);
        for (float v : X) {
            f8.putDouble(v);
            f8be.putDouble(v);
            f4be.putFloat(v);
            i8.putLong(Math.round(v * 4));
            i4.putInt(Math.round(v * 4));
        }
        for (Variant v : List.of(new Variant("<f8", f8.array(), true), new Variant(">f8", f8be.array(), true),
                new Variant(">f4", f4be.array(), true), new Variant("=f4", NpyBytes.floats(X), true), new Variant("<i8", i8.array(), true),
                new Variant("<i4", i4.array(), true), new Variant("|b1", new byte[] {1, 0, 1, 1, 0, 0, 1, 0}, false),
                new Variant("<f8", NpyBytes.floats(X), false), new Variant("<i2", new byte[16], false), new Variant("|u1", new byte[8], false),
                new Variant("<U1", new byte[32], false), new Variant("|S1", new byte[8], false), new Variant("|O", new byte[64], false),
                new Variant("<c8", new byte[64], false), new Variant("<f2", new byte[16], false))) {
            String h = "{'descr': '" + v.descr() + "', 'fortran_order': False, 'shape': (2, 4), }";
            String name = v.descr() + " with " + v.data().length + " data bytes";
            if (v.ok()) {
                c.add(HostileCase.succeeds("npy dtype", name, d -> input(d, NpyBytes.npy(1, h, v.data())), d -> lig(d)));
            } else {
                c.add(HostileCase.fails("npy dtype", name, d -> input(d, NpyBytes.npy(1, h, v.data())), d -> lig(d), "x"));
            }
        }
        c.add(HostileCase.fails("npy dtype", "a bool input names the input and both types",
                d -> input(d, NpyBytes.npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 4), }", new byte[8])), d -> lig(d),
                "input 'x'", "bool", "float32"));
        c.add(HostileCase.fails("npy dtype", "a bool baseline", d -> {
            TinyModel.writeValid(d, 2);
            Files.write(d.resolve("b.npy"), NpyBytes.npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 4), }", new byte[8]));
        }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "baseline", "bool"));
        c.add(HostileCase.fails("npy dtype", "a unicode baseline", d -> {
            TinyModel.writeValid(d, 2);
            Files.write(d.resolve("b.npy"), NpyBytes.npy(1, "{'descr': '<U3', 'fortran_order': False, 'shape': (2, 4), }", new byte[96]));
        }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "b.npy", "descr"));
    }

    private static void nearMisses(List<HostileCase> c) {
        String[] headers = {
                VALID,
                "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 4)}",
                "{  'descr'  :  '<f4'  ,  'fortran_order'  :  False  ,  'shape'  :  ( 2 , 4 , )  ,  }",
                "{'shape': (2, 4), 'fortran_order': False, 'descr': '<f4'}",
                "{'descr':'<f4','fortran_order':False,'shape':(2,4)}",
                "{\n 'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2, 4),\n}",
                "{\t'descr': '<f4',\t'fortran_order': False,\t'shape': (2, 4)}",
                "{'descr': \"<f4\", \"fortran_order\": False, 'shape': (2, 4)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (+2, 4)}"};
        for (int major = 1; major <= 3; major++) {
            for (int i = 0; i < headers.length; i++) {
                String h = headers[i];
                int m = major;
                c.add(HostileCase.succeeds("npy near miss", "format " + m + ".0 header " + i + ": " + printable(h),
                        d -> input(d, NpyBytes.npy(m, h, NpyBytes.floats(X))), d -> lig(d)));
            }
        }
        float[] fortran = {X[0], X[4], X[1], X[5], X[2], X[6], X[3], X[7]};
        c.add(HostileCase.succeeds("npy near miss", "fortran order", d -> input(d,
                NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 4), }", NpyBytes.floats(fortran))), d -> lig(d)));
        c.add(HostileCase.succeeds("npy near miss", "header without a trailing newline", d -> input(d,
                NpyBytes.raw(1, VALID + " ".repeat(118 - VALID.length()), NpyBytes.floats(X))), d -> lig(d)));
        c.add(HostileCase.succeeds("npy near miss", "a baseline of one row broadcasts", d -> {
            TinyModel.writeValid(d, 2);
            Npy.write(d.resolve("b.npy"), Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 1, 4));
        }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy"))));
    }

    // ---- non-finite values ----

    private static void nonFinite(List<HostileCase> c) {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int at = 0; at < X.length; at++) {
            for (double v : bad) {
                int i = at;
                float[] x = X.clone();
                x[i] = (float) v;
                c.add(HostileCase.fails("non-finite", "input float32 " + v + " at " + i, d -> input(d, NpyBytes.npy(1, VALID, NpyBytes.floats(x))),
                        d -> lig(d), "input 'x'", String.valueOf(v)));
            }
            int i = at;
            double[] big = new double[X.length];
            for (int k = 0; k < big.length; k++) {
                big[k] = k == i ? 1e300 : X[k];
            }
            c.add(HostileCase.fails("non-finite", "input float64 1e300 at " + i + " overflows float32",
                    d -> input(d, NpyBytes.npy(1, VALID.replace("<f4", "<f8"), doubles(big))), d -> lig(d), "input 'x'", "1.0E300", "float32"));
            c.add(HostileCase.fails("non-finite", "baseline float64 1e300 at " + i + " overflows float32", d -> {
                TinyModel.writeValid(d, 2);
                Files.write(d.resolve("b.npy"), NpyBytes.npy(1, VALID.replace("<f4", "<f8"), doubles(big)));
            }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "baseline", "x", "float32"));
            float[] nanBase = X.clone();
            nanBase[i] = Float.NaN;
            c.add(HostileCase.fails("non-finite", "baseline NaN at " + i, d -> {
                TinyModel.writeValid(d, 2);
                Files.write(d.resolve("b.npy"), NpyBytes.npy(1, VALID, NpyBytes.floats(nanBase)));
            }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "baseline", "NaN"));
        }
        for (String number : new String[] {"1e300", "-1e300", "3.5e38", "-1e39", "NaN", "Infinity", "-Infinity", "1e999"}) {
            c.add(HostileCase.fails("non-finite", "baseline number " + number, d -> TinyModel.writeValid(d, 2),
                    d -> lig(d, "--baseline", "x=" + number), "baseline", "x"));
        }
        // Finite float32 inputs whose products overflow: the attribution is infinite or NaN.
        float[] huge = {3e38f, 3e38f, 3e38f, 3e38f, 3e38f, 3e38f, 3e38f, 3e38f};
        for (String method : new String[] {"LayerIntegratedGradients", "LayerGradientXActivation", "LayerConductance",
                "LayerActivation"}) {
            c.add(HostileCase.fails("non-finite", method + " on inputs that overflow the layer",
                    d -> input(d, NpyBytes.npy(1, VALID, NpyBytes.floats(huge))), d -> run(d, method, TinyModel.FC2, "--target", "0"), method));
        }
    }

    // ---- targets ----

    private static void targets(List<HostileCase> c) {
        String[] methods = {"LayerIntegratedGradients", "LayerGradientXActivation", "LayerConductance", "InternalInfluence",
                "LayerDeepLift", "LayerGradientShap", "LayerLRP", "LayerFeatureAblation", "LayerGradCam"};
        for (String m : methods) {
            c.add(HostileCase.fails("target", m + " without a target on a two-output model", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, m, TinyModel.ACT), "--target"));
            c.add(HostileCase.fails("target", m + " with target 2 of 2 outputs", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, m, TinyModel.ACT, "--target", "2"), "target", "out of range", "[2, 2]"));
            c.add(HostileCase.succeeds("target", m + " with target -1", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, m, TinyModel.ACT, "--target", "-1")));
        }
        c.add(HostileCase.succeeds("target", "LayerActivation needs no target", d -> TinyModel.writeValid(d, 2),
                d -> run(d, "LayerActivation", TinyModel.ACT)));
        c.add(HostileCase.fails("target", "LayerDeepLiftShap without a target", d -> {
            TinyModel.writeValid(d, 2);
            TinyModel.writeInput(d, "b.npy", 3);
        }, d -> run(d, "LayerDeepLiftShap", TinyModel.ACT, "--baseline", "x=" + d.resolve("b.npy")), "--target"));
        String[][] bad = {
                {"-3", "out of range"}, {"100", "out of range"}, {"2147483647", "out of range"}, {"-2147483648", "out of range"},
                {"0:0", "needs 1 number"}, {"0:0:0", "needs 1 number"}, {"0,1,0", "3 indices for 2 examples"},
                {"0,1,1,0", "4 indices for 2 examples"}, {"0,2", "out of range"}, {"0:1,1:0", "needs 1 number"},
                {"a", "--target"}, {"", "--target"}, {"1.5", "--target"}, {"0x1", "--target"}, {"99999999999", "--target"},
                {"1,", "--target"}, {",", "--target"}, {":", "--target"}, {"1e999", "--target"}, {" ", "--target"}};
        for (String[] t : bad) {
            c.add(HostileCase.fails("target", "LayerIntegratedGradients --target '" + t[0] + "'", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", t[0]), t[1]));
        }
        c.add(HostileCase.fails("target", "per-example targets for a batch of 3 given 2", d -> TinyModel.writeValid(d, 3),
                d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0,1"), "2 indices for 3 examples"));
        c.add(HostileCase.fails("target", "a bad target is reported in the model's output shape, not the steps'",
                d -> TinyModel.writeValid(d, 3), d -> run(d, "LayerIntegratedGradients", TinyModel.FC1, "--target", "5",
                        "--n-steps", "7"), "[3, 2]"));
        c.add(HostileCase.succeeds("target", "per-example targets", d -> TinyModel.writeValid(d, 3),
                d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0,1,-1")));
    }

    // ---- numbers that drive loops ----

    private static void loopArguments(List<HostileCase> c) {
        String[][] steps = {{"0", "n_steps"}, {"-1", "n_steps"}, {"-2147483648", "n_steps"}, {"2147483647", "n_steps"},
                {"1000001", "n_steps"}, {"1e999", "--n-steps"}, {"abc", "--n-steps"}, {"", "--n-steps"}, {"1.5", "--n-steps"},
                {"99999999999", "--n-steps"}, {"NaN", "--n-steps"}};
        for (String[] s : steps) {
            c.add(HostileCase.fails("n_steps", "--n-steps '" + s[0] + "'", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--n-steps", s[0]), s[1]));
        }
        for (String v : new String[] {"0", "-5", "1e999", "abc", "99999999999", "true", "[1]", "{}", "2.5", "1000001",
                "-1e999", "\"50\""}) {
            for (String m : new String[] {"LayerIntegratedGradients", "LayerConductance", "InternalInfluence"}) {
                c.add(HostileCase.fails("n_steps", m + " --arg n_steps=" + v, d -> TinyModel.writeValid(d, 2),
                        d -> run(d, m, TinyModel.ACT, "--target", "0", "--arg", "n_steps=" + v), "n_steps"));
            }
        }
        for (String rule : new String[] {"riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"}) {
            c.add(HostileCase.fails("n_steps", rule + " with one step", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--n-steps", "1", "--integration", rule),
                    "n_steps", rule));
            c.add(HostileCase.succeeds("n_steps", rule + " with two steps", d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--n-steps", "2", "--integration", rule)));
        }
        c.add(HostileCase.succeeds("n_steps", "gausslegendre with one step", d -> TinyModel.writeValid(d, 2),
                d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--n-steps", "1")));
        c.add(HostileCase.succeeds("n_steps", "gausslegendre with 20000 steps", d -> TinyModel.writeValid(d, 2),
                d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--n-steps", "20000")));
        c.add(HostileCase.succeeds("n_steps", "LayerConductance with one step", d -> TinyModel.writeValid(d, 2),
                d -> run(d, "LayerConductance", TinyModel.ACT, "--target", "0", "--n-steps", "1")));
        for (String v : new String[] {"0", "-1", "1000001", "2147483647", "1e999", "abc", "99999999999"}) {
            c.add(HostileCase.fails("n_samples", "LayerGradientShap n_samples=" + v, d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerGradientShap", TinyModel.ACT, "--target", "0", "--arg", "n_samples=" + v), "n_samples"));
        }
        c.add(HostileCase.fails("n_samples", "n_samples times a large batch overflows an array", d -> TinyModel.writeValid(d, 600),
                d -> run(d, "LayerGradientShap", TinyModel.ACT, "--target", "0", "--arg", "n_samples=1000000"), "--n-samples"));
        for (String v : new String[] {"-1", "-2147483648", "abc", "1e999"}) {
            c.add(HostileCase.fails("internal_batch_size", "--internal-batch-size " + v, d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerIntegratedGradients", TinyModel.ACT, "--target", "0", "--internal-batch-size", v),
                    "internal"));
        }
        for (String v : new String[] {"0", "-1", "abc", "1e999"}) {
            c.add(HostileCase.fails("perturbations_per_eval", "perturbations_per_eval=" + v, d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerFeatureAblation", TinyModel.ACT, "--target", "0", "--arg", "perturbations_per_eval=" + v),
                    "perturbations_per_eval"));
        }
        for (String v : new String[] {"-1", "NaN", "1e999", "\"x\""}) {
            c.add(HostileCase.fails("stdevs", "stdevs=" + v, d -> TinyModel.writeValid(d, 2),
                    d -> run(d, "LayerGradientShap", TinyModel.ACT, "--target", "0", "--arg", "stdevs=" + v), "stdevs"));
        }
    }

    // ---- input shapes ----

    private static void inputShapes(List<HostileCase> c) {
        record Shape(String tuple, int elements, String text) {}
        for (Shape s : List.of(new Shape("(4,)", 4, "[4]"), new Shape("(2, 5)", 10, "[2, 5]"), new Shape("(2, 3)", 6, "[2, 3]"),
                new Shape("(2, 4, 1)", 8, "[2, 4, 1]"), new Shape("(1, 2, 4)", 8, "[1, 2, 4]"), new Shape("()", 1, "[]"),
                new Shape("(0, 4)", 0, "[0, 4]"), new Shape("(8, 1)", 8, "[8, 1]"), new Shape("(2, 0)", 0, "[2, 0]"))) {
            String h = "{'descr': '<f4', 'fortran_order': False, 'shape': " + s.tuple() + ", }";
            c.add(HostileCase.fails("input shape", "x of shape " + s.tuple(),
                    d -> input(d, NpyBytes.npy(1, h, NpyBytes.floats(Arrays.copyOf(X, s.elements())))), d -> lig(d), "'x'"));
            if (!s.text().equals("[]")) {
                c.add(HostileCase.fails("input shape", "x of shape " + s.tuple() + " names both shapes",
                        d -> input(d, NpyBytes.npy(1, h, NpyBytes.floats(Arrays.copyOf(X, s.elements())))), d -> lig(d), "input 'x'", s.text(),
                        "[batch, 4]"));
            }
        }
        c.add(HostileCase.fails("input shape", "a baseline of the wrong shape", d -> {
            TinyModel.writeValid(d, 2);
            Npy.write(d.resolve("b.npy"), Tensor.of(new float[] {1, 2, 3}, 1, 3));
        }, d -> lig(d, "--baseline", "x=" + d.resolve("b.npy")), "baseline", "[1, 3]", "[2, 4]"));
        c.add(HostileCase.succeeds("input shape", "a single example", d -> TinyModel.writeValid(d, 1), d -> lig(d)));
    }

    // ---- helpers ----

    /** The command line for {@code method} on {@code layer} of the tiny model, with {@code extra} arguments. */
    private static String[] run(Path d, String method, String layer, String... extra) {
        List<String> a = new ArrayList<>(List.of("attribute", "--model", d.resolve("model.onnx").toString(),
                "--input", "x=" + d.resolve("x.npy"), "--method", method, "--layer", layer, "--out", d.resolve("out.npy").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** LayerIntegratedGradients on fc1 with target 0 and 4 steps, plus {@code extra}. */
    private static String[] lig(Path d, String... extra) {
        List<String> a = new ArrayList<>(List.of("--target", "0", "--n-steps", "4", "--delta"));
        a.addAll(List.of(extra));
        return run(d, "LayerIntegratedGradients", TinyModel.FC1, a.toArray(String[]::new));
    }

    /** Writes the valid model and {@code x.npy} with header {@code header} and the valid data. */
    private static void input(Path d, String header) throws IOException {
        input(d, NpyBytes.npy(1, header, NpyBytes.floats(X)));
    }

    /** Writes the valid model and {@code x.npy} holding {@code bytes}. */
    private static void input(Path d, byte[] bytes) throws IOException {
        TinyModel.write(TinyModel.builder().build(), d, "model.onnx");
        Files.write(d.resolve("x.npy"), bytes);
    }

    private static byte[] doubles(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }
}

package dev.jattr.cli;

import static dev.jattr.cli.HostileCase.fails;
import static dev.jattr.cli.HostileCase.succeeds;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Hostile image inputs and image options of {@code jattr attribute}: damaged, truncated, huge or
 * foreign image files, images that do not fit the model, malformed {@code --resize},
 * {@code --center-crop}, {@code --mean}, {@code --std}, and {@code --heatmap} outputs that collide
 * or cannot be drawn; with valid near-misses that must succeed. {@code @/} stands for the case's folder.
 */
final class HostileImages {
    private static final String FAMILY = "images";
    private static final List<String> NOT_A_SIDE = List.of("0", "-1", "abc", "1.5", "", "99999", "4097", "1e3", "8x8");
    private static final List<String> NOT_NUMBERS = List.of("a,b,c", "1,2", "1,2,3,4", "", "NaN", "1e999", "0.5,,0.5", "Infinity");

    private HostileImages() {}

    /** All cases. */
    static List<HostileCase> cases() {
        List<HostileCase> c = new ArrayList<>();
        files(c);
        fit(c);
        options(c);
        heatmaps(c);
        valid(c);
        return c;
    }

    // ---- the building blocks -------------------------------------------------------------------

    /**
     * An image model: input x [batch, channels, 8, 8] → 1×1 Conv ({@code conv}) → Relu ({@code act})
     * → GlobalAveragePool → Flatten ({@code flat}) → y [batch, 2]; opset 13.
     */
    static ModelProto imageModel(int channels) {
        float[] w = new float[2 * channels];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 2 == 0 ? 0.5f + 0.1f * i : -0.25f * i;
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("image")
                .addInput(TinyModel.value("x", -1, channels, 8, 8))
                .addOutput(TinyModel.value("y", -1, 2))
                .addInitializer(TinyModel.floats("conv.weight", w, 2, channels, 1, 1))
                .addInitializer(TinyModel.floats("conv.bias", new float[] {0.1f, -0.2f}, 2))
                .addNode(TinyModel.node("/conv/Conv", "Conv", List.of("x", "conv.weight", "conv.bias"), List.of("c")))
                .addNode(TinyModel.node("/act/Relu", "Relu", List.of("c"), List.of("r")))
                .addNode(TinyModel.node("/pool/GlobalAveragePool", "GlobalAveragePool", List.of("r"), List.of("p")))
                .addNode(TinyModel.node("/flat/Flatten", "Flatten", List.of("p"), List.of("y")));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("jattr-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    /** A picture of {@code w}×{@code h} pixels of image type {@code type}. */
    static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xff000000 | (x * 31 % 256) << 16 | (y * 29 % 256) << 8 | (x * y * 7 % 256));
            }
        }
        return img;
    }

    private static void writeImage(Path p, BufferedImage img, String format) throws IOException {
        if (!ImageIO.write(img, format, p.toFile())) {
            throw new IOException("no writer for " + format);
        }
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, format, b);
        return b.toByteArray();
    }

    /** The 3-channel model and an 8×8 RGB picture x.png. */
    private static void rgb(Path d) throws IOException {
        TinyModel.write(imageModel(3), d, "model.onnx");
        writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
    }

    /** The model of {@code channels} and {@code file} holding {@code bytes}. */
    private static HostileCase.Setup modelAnd(int channels, String file, byte[] bytes) {
        return d -> {
            TinyModel.write(imageModel(channels), d, "model.onnx");
            Files.write(d.resolve(file), bytes);
        };
    }

    /** A PNG built chunk by chunk: IHDR of the given fields, IDAT of {@code pixels} deflated, IEND. */
    static byte[] png(int w, int h, int depth, int colour, byte[] idat) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) colour).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(b, "IHDR", ihdr.array());
        if (idat != null) {
            chunk(b, "IDAT", idat);
        }
        chunk(b, "IEND", new byte[0]);
        return b.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream b, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        b.writeBytes(t);
        b.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length + 64];
        int n = d.deflate(out);
        return Arrays.copyOf(out, n);
    }

    private static byte[] bytes(BufferedImage img, String format) {
        try {
            return encode(img, format);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code jattr attribute} of LayerGradCam on layer act with the image {@code input}, then {@code extra}. */
    private static HostileCase.Args attribute(String input, String... extra) {
        List<String> a = new ArrayList<>(List.of("attribute", "--model", "@/model.onnx", "--input", "x=" + input, "--method",
                "LayerGradCam", "--layer", "act", "--target", "0", "--out", "@/out.npy"));
        a.addAll(List.of(extra));
        return d -> a.stream().map(s -> s.replace("@/", d + "/")).toArray(String[]::new);
    }

    // ---- the families --------------------------------------------------------------------------

    /** Image files that are missing, damaged, truncated, huge or of another format. */
    private static void files(List<HostileCase> c) {
        byte[] good = bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        byte[] jpeg = bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "jpg");
        c.add(fails(FAMILY, "missing image", d -> TinyModel.write(imageModel(3), d, "model.onnx"), attribute("@/nope.png"),
                "nope.png", "not found"));
        c.add(fails(FAMILY, "image is a folder", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            Files.createDirectory(d.resolve("dir.png"));
        }, attribute("@/dir.png"), "dir.png", "folder"));
        c.add(fails(FAMILY, "empty PNG file", modelAnd(3, "e.png", new byte[0]), attribute("@/e.png"), "e.png"));
        c.add(fails(FAMILY, "text named .png", modelAnd(3, "t.png", "hello, world".getBytes()), attribute("@/t.png"), "t.png",
                "not a PNG or JPEG"));
        c.add(fails(FAMILY, "PNG signature only", modelAnd(3, "s.png", Arrays.copyOf(good, 8)), attribute("@/s.png"), "s.png"));
        c.add(fails(FAMILY, "PNG cut after IHDR", modelAnd(3, "h.png", Arrays.copyOf(good, 33)), attribute("@/h.png"), "h.png"));
        c.add(fails(FAMILY, "PNG cut in half", modelAnd(3, "half.png", Arrays.copyOf(good, good.length / 2)), attribute("@/half.png"),
                "half.png"));
        c.add(succeeds(FAMILY, "PNG without IEND (every pixel present)", modelAnd(3, "n.png", Arrays.copyOf(good, good.length - 12)),
                attribute("@/n.png")));
        c.add(fails(FAMILY, "PNG without IDAT", modelAnd(3, "i.png", png(8, 8, 8, 2, null)), attribute("@/i.png"), "i.png"));
        c.add(fails(FAMILY, "PNG with garbage IDAT", modelAnd(3, "g.png", png(8, 8, 8, 2, "not zlib data at all".getBytes())),
                attribute("@/g.png"), "g.png"));
        c.add(fails(FAMILY, "PNG with short IDAT", modelAnd(3, "sh.png", png(8, 8, 8, 2, deflate(new byte[20]))), attribute("@/sh.png"),
                "sh.png"));
        c.add(fails(FAMILY, "PNG declaring 100000×100000", modelAnd(3, "big.png", png(100000, 100000, 8, 2, deflate(new byte[10]))),
                attribute("@/big.png"), "big.png", "100000×100000"));
        c.add(fails(FAMILY, "PNG declaring 5000×5000", modelAnd(3, "b5.png", png(5000, 5000, 8, 0, deflate(new byte[10]))),
                attribute("@/b5.png"), "b5.png", "5000×5000"));
        c.add(fails(FAMILY, "PNG declaring 2^31-1 wide", modelAnd(3, "w.png", png(Integer.MAX_VALUE, 1, 8, 0, deflate(new byte[10]))),
                attribute("@/w.png"), "w.png"));
        c.add(fails(FAMILY, "PNG declaring width 0", modelAnd(3, "z.png", png(0, 8, 8, 2, deflate(new byte[200]))),
                attribute("@/z.png"), "z.png"));
        c.add(fails(FAMILY, "PNG of bit depth 7", modelAnd(3, "d7.png", png(8, 8, 7, 0, deflate(new byte[72]))),
                attribute("@/d7.png"), "d7.png"));
        c.add(fails(FAMILY, "PNG of colour type 5", modelAnd(3, "c5.png", png(8, 8, 8, 5, deflate(new byte[200]))),
                attribute("@/c5.png"), "c5.png"));
        c.add(fails(FAMILY, "JPEG cut in half", modelAnd(3, "half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), attribute("@/half.jpg"),
                "half.jpg"));
        c.add(fails(FAMILY, "JPEG start marker only", modelAnd(3, "soi.jpg", new byte[] {(byte) 0xff, (byte) 0xd8}),
                attribute("@/soi.jpg"), "soi.jpg"));
        c.add(fails(FAMILY, "JPEG cut after the header", modelAnd(3, "hd.jpg", Arrays.copyOf(jpeg, Math.min(jpeg.length, 200))),
                attribute("@/hd.jpg"), "hd.jpg"));
        c.add(fails(FAMILY, "GIF named .png", modelAnd(3, "gif.png", bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "gif")),
                attribute("@/gif.png"), "gif.png", "GIF"));
        c.add(fails(FAMILY, "GIF", modelAnd(3, "a.gif", bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "gif")),
                attribute("@/a.gif"), "a.gif", "GIF"));
        c.add(fails(FAMILY, "BMP", modelAnd(3, "a.bmp", bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "bmp")),
                attribute("@/a.bmp"), "a.bmp", "BMP"));
        c.add(fails(FAMILY, "second image of a batch missing", HostileImages::rgb, attribute("@/x.png,@/y.png"), "y.png", "not found"));
        c.add(fails(FAMILY, "second image of a batch damaged", d -> {
            rgb(d);
            Files.write(d.resolve("y.png"), Arrays.copyOf(good, 40));
        }, attribute("@/x.png,@/y.png"), "y.png"));
        c.add(fails(FAMILY, "empty name in a batch", HostileImages::rgb, attribute("@/x.png,"), "x.png,"));
    }

    /** Images that do not fit the model's input. */
    private static void fit(List<HostileCase> c) {
        c.add(fails(FAMILY, "image for a model input of rank 2", d -> {
            TinyModel.write(TinyModel.builder().build(), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        }, d -> new String[] {"attribute", "--model", d + "/model.onnx", "--input", "x=" + d + "/x.png", "--method", "LayerActivation",
                "--layer", TinyModel.ACT}, "x.png", "[batch, 4]"));
        c.add(fails(FAMILY, "image for a model of 4 channels", d -> {
            TinyModel.write(imageModel(4), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        }, attribute("@/x.png"), "x.png", "4 channels"));
        c.add(fails(FAMILY, "10×10 image for an 8×8 input", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(10, 10, BufferedImage.TYPE_INT_RGB), "png");
        }, attribute("@/x.png"), "x.png", "--resize"));
        c.add(fails(FAMILY, "batch of two sizes", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(16, 16, BufferedImage.TYPE_INT_RGB), "png");
            writeImage(d.resolve("y.png"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        }, d -> new String[] {"attribute", "--model", d + "/model.onnx", "--input", "x=" + d + "/x.png," + d + "/y.png", "--method",
                "LayerActivation", "--layer", "act"}, "y.png"));
        c.add(fails(FAMILY, "--center-crop larger than the image", HostileImages::rgb, attribute("@/x.png", "--center-crop", "9"),
                "--center-crop", "larger"));
        c.add(fails(FAMILY, "--resize 16 then an 8×8 input", HostileImages::rgb, attribute("@/x.png", "--resize", "16"), "x.png",
                "--resize"));
        c.add(fails(FAMILY, "--mean of three values for a gray model", d -> {
            TinyModel.write(imageModel(1), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
        }, attribute("@/x.png", "--mean", "0.5,0.5,0.5"), "--mean", "3 values"));
        c.add(fails(FAMILY, "--std of three values for a gray model", d -> {
            TinyModel.write(imageModel(1), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
        }, attribute("@/x.png", "--std", "0.5,0.5,0.5"), "--std", "3 values"));
        c.add(fails(FAMILY, "--resize with a .npy input", d -> TinyModel.writeValid(d, 2),
                d -> new String[] {"attribute", "--model", d + "/model.onnx", "--input", "x=" + d + "/x.npy", "--method", "LayerActivation",
                        "--layer", TinyModel.ACT, "--resize", "8"}, "--resize", "image"));
        c.add(fails(FAMILY, "--mean with a .npy input", d -> TinyModel.writeValid(d, 2),
                d -> new String[] {"attribute", "--model", d + "/model.onnx", "--input", "x=" + d + "/x.npy", "--method", "LayerActivation",
                        "--layer", TinyModel.ACT, "--mean", "0.5"}, "--mean", "image"));
    }

    /** Malformed --resize, --center-crop, --mean and --std values. */
    private static void options(List<HostileCase> c) {
        for (String v : NOT_A_SIDE) {
            c.add(fails(FAMILY, "--resize '" + v + "'", HostileImages::rgb, attribute("@/x.png", "--resize", v), "--resize"));
            c.add(fails(FAMILY, "--center-crop '" + v + "'", HostileImages::rgb, attribute("@/x.png", "--center-crop", v),
                    "--center-crop"));
        }
        for (String v : NOT_NUMBERS) {
            c.add(fails(FAMILY, "--mean '" + v + "'", HostileImages::rgb, attribute("@/x.png", "--mean", v), "--mean"));
            c.add(fails(FAMILY, "--std '" + v + "'", HostileImages::rgb, attribute("@/x.png", "--std", v), "--std"));
        }
        for (String v : List.of("0", "-1", "0,1,1", "1,-0.5,1")) {
            c.add(fails(FAMILY, "--std '" + v + "' (not above 0)", HostileImages::rgb, attribute("@/x.png", "--std", v), "--std",
                    "above 0"));
        }
    }

    /** --heatmap outputs that collide, cannot be written, or cannot be drawn. */
    private static void heatmaps(List<HostileCase> c) {
        c.add(fails(FAMILY, "--heatmap without an image input", d -> TinyModel.writeValid(d, 2),
                d -> new String[] {"attribute", "--model", d + "/model.onnx", "--input", "x=" + d + "/x.npy", "--method", "LayerActivation",
                        "--layer", TinyModel.ACT, "--heatmap", d + "/h.png"}, "--heatmap", "image"));
        c.add(fails(FAMILY, "--heatmap in a missing folder", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/no/h.png"),
                "--heatmap", "does not exist"));
        c.add(fails(FAMILY, "--heatmap is a folder", d -> {
            rgb(d);
            Files.createDirectory(d.resolve("h.png"));
        }, attribute("@/x.png", "--heatmap", "@/h.png"), "--heatmap", "folder"));
        c.add(fails(FAMILY, "--heatmap is the input image", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/x.png"),
                "--heatmap", "same file"));
        c.add(fails(FAMILY, "--heatmap is the input image through ..", d -> {
            rgb(d);
            Files.createDirectory(d.resolve("sub"));
        }, attribute("@/x.png", "--heatmap", "@/sub/../x.png"), "--heatmap", "same file"));
        c.add(fails(FAMILY, "--heatmap is the model", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/model.onnx"),
                "--heatmap", "same file"));
        c.add(fails(FAMILY, "--heatmap is --out", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/out.npy"), "same file"));
        c.add(fails(FAMILY, "second heatmap is a folder", d -> {
            rgb(d);
            Files.createDirectory(d.resolve("h.1.png"));
        }, attribute("@/x.png,@/x.png", "--heatmap", "@/h.png"), "h.1.png", "folder"));
        c.add(fails(FAMILY, "second heatmap is the input", d -> {
            rgb(d);
            Files.copy(d.resolve("x.png"), d.resolve("h.1.png"));
        }, attribute("@/h.1.png,@/x.png", "--heatmap", "@/h.png"), "h.1.png", "same file"));
        c.add(fails(FAMILY, "--heatmap of a flat attribution", HostileImages::rgb, d -> new String[] {"attribute", "--model",
                d + "/model.onnx", "--input", "x=" + d + "/x.png", "--method", "LayerActivation", "--layer", "flat", "--heatmap",
                d + "/h.png"}, "--heatmap", "[N, C, H, W]"));
        c.add(fails(FAMILY, "--heatmap of two layers", HostileImages::rgb, d -> new String[] {"attribute", "--model",
                d + "/model.onnx", "--input", "x=" + d + "/x.png", "--method", "LayerActivation", "--layer", "act", "--layer", "conv",
                "--heatmap", d + "/h.png"}, "--heatmap", "one attribution tensor"));
        c.add(fails(FAMILY, "--heatmap ''", HostileImages::rgb, attribute("@/x.png", "--heatmap", ""), "--heatmap"));
        c.add(fails(FAMILY, "--json is a folder", d -> {
            rgb(d);
            Files.createDirectory(d.resolve("run.json"));
        }, attribute("@/x.png", "--json", "@/run.json"), "--json", "folder"));
        c.add(fails(FAMILY, "--json in a missing folder", HostileImages::rgb, attribute("@/x.png", "--json", "@/no/run.json"),
                "--json", "does not exist"));
        c.add(fails(FAMILY, "--json is the model", HostileImages::rgb, attribute("@/x.png", "--json", "@/model.onnx"), "--json",
                "same file"));
        c.add(fails(FAMILY, "--json is the heatmap", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/h.png", "--json",
                "@/h.png"), "--json", "same file"));
        c.add(fails(FAMILY, "--json ''", HostileImages::rgb, attribute("@/x.png", "--json", ""), "--json"));
    }

    /** Valid images and options close to the hostile ones. */
    private static void valid(List<HostileCase> c) {
        c.add(succeeds(FAMILY, "RGB PNG", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/h.png")));
        c.add(succeeds(FAMILY, "upper-case extension", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.PNG"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        }, attribute("@/x.PNG")));
        c.add(succeeds(FAMILY, "JPEG", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.jpg"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "jpg");
        }, attribute("@/x.jpg", "--heatmap", "@/h.png")));
        c.add(succeeds(FAMILY, "JPEG named .png", modelAnd(3, "j.png", bytes(picture(8, 8, BufferedImage.TYPE_INT_RGB), "jpg")),
                attribute("@/j.png")));
        c.add(succeeds(FAMILY, "gray PNG for an RGB model", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
        }, attribute("@/x.png")));
        c.add(succeeds(FAMILY, "RGB PNG for a gray model", d -> {
            TinyModel.write(imageModel(1), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        }, attribute("@/x.png", "--mean", "0.5", "--std", "0.25")));
        c.add(succeeds(FAMILY, "16-bit gray PNG", d -> {
            TinyModel.write(imageModel(1), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_USHORT_GRAY), "png");
        }, attribute("@/x.png")));
        c.add(succeeds(FAMILY, "palette PNG", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "png");
        }, attribute("@/x.png")));
        c.add(succeeds(FAMILY, "PNG with alpha", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(8, 8, BufferedImage.TYPE_INT_ARGB), "png");
        }, attribute("@/x.png")));
        c.add(succeeds(FAMILY, "batch of two with heatmaps", HostileImages::rgb,
                attribute("@/x.png,@/x.png", "--heatmap", "@/h.png", "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225")));
        c.add(succeeds(FAMILY, "--resize and --center-crop from 20×12", d -> {
            TinyModel.write(imageModel(3), d, "model.onnx");
            writeImage(d.resolve("x.png"), picture(20, 12, BufferedImage.TYPE_INT_RGB), "png");
        }, attribute("@/x.png", "--resize", "8", "--center-crop", "8", "--heatmap", "@/h.png")));
        c.add(succeeds(FAMILY, "--resize ' 8 ' of an 8×8 image", HostileImages::rgb, attribute("@/x.png", "--resize", " 8 ")));
        c.add(succeeds(FAMILY, "--json with --heatmap, quiet", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/h.png",
                "--json", "@/run.json", "--quiet")));
        c.add(succeeds(FAMILY, "--heatmap without .png", HostileImages::rgb, attribute("@/x.png", "--heatmap", "@/heat")));
        c.add(succeeds(FAMILY, "image without NAME=", HostileImages::rgb, d -> new String[] {"attribute", "--model",
                d + "/model.onnx", "--input", d + "/x.png", "--method", "LayerGradCam", "--layer", "act", "--target", "1"}));
    }
}

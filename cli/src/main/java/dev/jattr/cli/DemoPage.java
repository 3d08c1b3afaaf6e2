package dev.jattr.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The folder {@code jattr demo} writes: {@code <method>-<digit>.png} per method and sample (the
 * heatmap at the digit's size), {@code grid.png} (rows = digits; columns = the digit, then each
 * method, every cell scaled {@value #SCALE}×) and {@code index.html} showing the grid and a table
 * of each method's delta, runtime and stroke shares. The folder is written all or none: into a
 * temporary sibling, then moved into place (an earlier demo folder there is replaced).
 */
final class DemoPage {
    /** The grid's magnification of each 28×28 cell. */
    static final int SCALE = 4;
    /** The gap between grid cells in pixels. */
    static final int GAP = 4;
    static final String INDEX = "index.html", GRID = "grid.png";

    private DemoPage() {}

    /** The heatmap file of {@code method} for sample {@code e}. */
    static String heatmapName(String method, int e) {
        return String.format(Locale.ROOT, "%s-%02d.png", method, e);
    }

    /** Writes the folder {@code out} and returns its index.html. */
    static Path write(Path out, DemoCommand.Results r) {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (Files.exists(target) && !(Files.isDirectory(target) && (Files.exists(target.resolve(INDEX)) || empty(target)))) {
            throw new IllegalArgumentException("--out " + out + " exists and is not an earlier demo folder (no " + INDEX + "); choose another");
        }
        Path temp;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                // a temporary folder is private (rwx------); the demo folder is an ordinary one
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder next to " + target + ": " + e.getMessage(), e);
        }
        try {
            fill(temp, r);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve(temp.getFileName() + ".old");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                DemoCommand.delete(old);
            }
        } catch (IOException e) {
            DemoCommand.delete(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            DemoCommand.delete(temp);
            throw e;
        }
        return target.resolve(INDEX);
    }

    private static boolean empty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void fill(Path dir, DemoCommand.Results r) throws IOException {
        int n = r.predicted().length, h = r.pixels().dim(2), w = r.pixels().dim(3);
        List<DemoCommand.MethodResult> methods = r.methods();
        int cell = h * SCALE, cellW = w * SCALE;
        BufferedImage grid = new BufferedImage((methods.size() + 1) * (cellW + GAP) + GAP, n * (cell + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0xffffff);
            }
        }
        for (int e = 0; e < n; e++) {
            BufferedImage digit = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < h * w; i++) {
                int g = (int) Math.round(255 * Math.clamp(r.pixels().getDouble(e * h * w + i), 0, 1));
                digit.setRGB(i % w, i / w, g << 16 | g << 8 | g);
            }
            paste(grid, digit, 0, e);
        }
        for (int m = 0; m < methods.size(); m++) {
            List<BufferedImage> maps = Heatmap.render(methods.get(m).maps(), r.pixels());
            for (int e = 0; e < n; e++) {
                write(maps.get(e), dir.resolve(heatmapName(methods.get(m).method(), e)));
                paste(grid, maps.get(e), m + 1, e);
            }
        }
        write(grid, dir.resolve(GRID));
        Files.writeString(dir.resolve(INDEX), html(r), StandardCharsets.UTF_8);
    }

    private static void paste(BufferedImage grid, BufferedImage img, int column, int row) {
        int x0 = GAP + column * (img.getWidth() * SCALE + GAP), y0 = GAP + row * (img.getHeight() * SCALE + GAP);
        for (int y = 0; y < img.getHeight() * SCALE; y++) {
            for (int x = 0; x < img.getWidth() * SCALE; x++) {
                grid.setRGB(x0 + x, y0 + y, img.getRGB(x / SCALE, y / SCALE));
            }
        }
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }

    private static String html(DemoCommand.Results r) {
        StringBuilder s = new StringBuilder();
        s.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>jattr demo</title>
                <style>
                body { font-family: sans-serif; margin: 2em; }
                table { border-collapse: collapse; margin: 1em 0; }
                td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
                th:first-child, td:first-child { text-align: left; }
                img.map { width: 84px; image-rendering: pixelated; }
                </style></head><body>
                <h1>jattr demo: five layer methods at %s</h1>
                <p>The shipped digit classifier on its %d sample digits; each method explains the predicted class at layer
                <code>%s</code>. Heatmaps: the attribution summed over channels, upsampled to 28×28, red positive, blue negative,
                white zero (scaled per heatmap), over the digit.</p>
                <h2>Methods</h2>
                <p><em>Mass near strokes</em>: the share of positive attribution on stroke pixels or within %d px of them
                (mean over the digits); <em>stroke area</em>: the strokes' share of the image; <em>band area</em>: the share of
                pixels within %d px of a stroke. Delta: mean |Σ attribution − (f(x) − f(baseline))|.</p>
                <table id="methods"><tr><th>method</th><th>delta</th><th>time (ms)</th><th>mass near strokes</th>
                <th>stroke area</th><th>band area</th></tr>
                """.formatted(DemoCommand.LAYER, r.predicted().length, DemoCommand.LAYER, StrokeMass.BAND, StrokeMass.BAND));
        for (DemoCommand.MethodResult m : r.methods()) {
            s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.0f</td><td>%.1f %%</td><td>%.1f %%</td><td>%.1f %%</td></tr>%n",
                    m.method(), m.delta().isPresent() ? String.format(Locale.ROOT, "%.2e", m.delta().getAsDouble()) : "—",
                    m.millis(), 100 * m.share().massNear(), 100 * m.share().strokeArea(), 100 * m.share().bandArea()));
        }
        s.append("</table>\n<h2>Grid</h2>\n<p>Rows: the digits; columns: the digit, then ");
        s.append(String.join(", ", r.methods().stream().map(DemoCommand.MethodResult::method).toList()));
        s.append(".</p>\n<p><img id=\"grid\" src=\"").append(GRID).append("\" alt=\"grid of heatmaps\"></p>\n");
        s.append("<h2>Heatmaps</h2>\n<table id=\"heatmaps\"><tr><th>digit</th><th>predicted</th>");
        r.methods().forEach(m -> s.append("<th>").append(m.method()).append("</th>"));
        s.append("</tr>\n");
        for (int e = 0; e < r.predicted().length; e++) {
            s.append("<tr><td>").append(e).append("</td><td>").append(r.predicted()[e]).append("</td>");
            for (DemoCommand.MethodResult m : r.methods()) {
                String name = heatmapName(m.method(), e);
                s.append("<td><img class=\"map\" src=\"").append(name).append("\" alt=\"").append(name).append("\"></td>");
            }
            s.append("</tr>\n");
        }
        s.append("""
                </table>
                <script>
                // Records each image's natural width once the page has loaded (0 = it did not load), for headless checks.
                window.addEventListener('load', () => {
                  for (const img of document.images) { img.setAttribute('data-natural-width', String(img.naturalWidth)); }
                  document.body.setAttribute('data-images-checked', String(document.images.length));
                });
                </script>
                </body></html>
                """);
        return s.toString();
    }
}

package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.jattr.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's {@code index.html} in headless Chromium: every image loads (its inline script
 * records each image's natural width) and a screenshot is not blank. Without
 * {@code /usr/bin/chromium} the test is skipped with a message, or fails under CI ({@code CI=true}).
 */
class DemoBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
    private static final Pattern WIDTH = Pattern.compile("data-natural-width=\"(\\d+)\"");

    @TempDir
    Path dir;

    @Test
    void everyImageOfTheIndexLoadsInChromium() throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            String message = CHROMIUM + " not found (apt-get install chromium)";
            if (SharedData.inCi()) {
                fail(message + ": CI=true needs it");
            }
            abort(message + ": skipping");
        }
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--n-steps", "8", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String url = out.resolve("index.html").toUri().toString();

        String dom = chromium(List.of("--dump-dom", url), "dom");
        List<String> images = new ArrayList<>();
        Matcher m = IMG.matcher(dom);
        while (m.find()) {
            images.add(m.group());
        }
        assertEquals(5 * 12 + 1, images.size(), dom);
        for (String img : images) {
            Matcher w = WIDTH.matcher(img);
            assertTrue(w.find(), "the page's script did not record " + img);
            assertTrue(Integer.parseInt(w.group(1)) > 0, "did not load: " + img);
        }

        Path shot = dir.resolve("shot.png");
        chromium(List.of("--screenshot=" + shot, "--window-size=1200,900", url), "screenshot");
        BufferedImage s = ImageIO.read(shot.toFile());
        assertEquals(1200, s.getWidth());
        assertTrue(ImageAttributeTest.variance(s) > 10, "the screenshot is blank");
    }

    /** Runs headless Chromium with a fresh profile and returns what it printed on standard output. */
    private String chromium(List<String> args, String name) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=2000"));
        command.addAll(args);
        Path stdout = dir.resolve(name + ".out"), stderr = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(stderr));
        }
        assertEquals(0, p.exitValue(), Files.readString(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}

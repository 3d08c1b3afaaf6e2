package dev.jattr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** jattr's version, from the {@code version.properties} that the build fills in. */
public final class VersionProvider implements IVersionProvider {
    /** The version lines printed by {@code --version}. */
    @Override
    public String[] getVersion() {
        return new String[] {"jattr " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** The project version, or "unknown" when the resource is missing (running from unbuilt sources). */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }
}

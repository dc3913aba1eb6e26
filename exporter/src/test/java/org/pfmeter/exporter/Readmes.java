package org.pfmeter.exporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's README files as the tests read them. Tests run in the exporter module's
 * directory, so the repository is its parent.
 */
public final class Readmes {

    /** The repository's top level. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The exporter's README: configuration table and metrics reference. */
    public static final Path EXPORTER = ROOT.resolve("exporter").resolve("README.md");

    private Readmes() {
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String begin(String marker) {
        return "<!-- " + marker + ":begin -->\n";
    }

    public static String end(String marker) {
        return "<!-- " + marker + ":end -->";
    }

    /**
     * The text between {@code <!-- marker:begin -->} and {@code <!-- marker:end -->} (each on a line
     * of its own), without the marker lines.
     */
    public static String section(Path file, String marker) {
        String text = read(file);
        int b = text.indexOf(begin(marker));
        int e = text.indexOf("\n" + end(marker));
        if (b < 0 || e < 0 || e < b || text.indexOf(begin(marker), b + 1) >= 0) {
            throw new IllegalStateException(ROOT.relativize(file) + " must hold exactly one block between "
                    + begin(marker).strip() + " and " + end(marker) + ", each on a line of its own");
        }
        return text.substring(b + begin(marker).length(), e + 1);
    }

    /** The 1-based line of {@code file} on which the block's first line is. */
    public static int firstLineOf(Path file, String marker) {
        String text = read(file);
        int b = text.indexOf(begin(marker)) + begin(marker).length();
        return (int) text.substring(0, b).chars().filter(c -> c == '\n').count() + 1;
    }
}

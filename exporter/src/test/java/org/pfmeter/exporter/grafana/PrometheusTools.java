package org.pfmeter.exporter.grafana;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds {@code prometheus} and {@code promtool} on the PATH (Debian's {@code prometheus} package).
 * Without them the tests fail, saying how to install them; only {@code -Dpfmeter.prometheus.skip=true}
 * skips them, and then visibly (JUnit reports them skipped).
 */
final class PrometheusTools {

    static final String SKIP_PROPERTY = "pfmeter.prometheus.skip";

    private PrometheusTools() {
    }

    /** The executable, or a failed (or, with the skip property, aborted) test. */
    static Path require(String tool) {
        boolean skip = Boolean.getBoolean(SKIP_PROPERTY);
        Assumptions.assumeFalse(skip, "-D" + SKIP_PROPERTY + "=true: the tests that need " + tool + " are skipped");
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return fail(tool + " is not on the PATH. Install Debian's prometheus package (apt-get install prometheus; "
                + "bash .ci/test.sh does it), or run with -D" + SKIP_PROPERTY + "=true to skip the tests that need it.");
    }

    /** Output and exit code of a finished command. */
    record Result(int exitCode, String output) {
    }

    /** Runs a command to its end (bounded) and returns its exit code with stdout and stderr merged. */
    static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pfmeter-tool", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

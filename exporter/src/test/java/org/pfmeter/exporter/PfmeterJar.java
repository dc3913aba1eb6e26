package org.pfmeter.exporter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded jar ({@code target/pfmeter.jar}, built by {@code package} before the integration
 * tests) as a user would: {@code java [jvm options] -jar pfmeter.jar ARGS} in a JVM of its own.
 */
public final class PfmeterJar {

    /** What a finished command left: its exit status, standard output and standard error. */
    public record Run(int code, String out, String err) {
    }

    private PfmeterJar() {
    }

    /** {@code java JVM -jar target/pfmeter.jar}, to which the caller adds the command and its options. */
    public static List<String> command(List<String> jvm) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", Path.of("target", "pfmeter.jar").toAbsolutePath().toString()));
        return cmd;
    }

    /**
     * Runs {@code pfmeter ARGS} in {@code dir} with no standard input and waits at most two minutes
     * for it; its output goes to files in a new directory below {@code dir}.
     */
    public static Run run(Path dir, List<String> jvm, String... args) throws IOException, InterruptedException {
        List<String> cmd = command(jvm);
        cmd.addAll(List.of(args));
        Path files = Files.createTempDirectory(dir, "run");
        Path out = files.resolve("out");
        Path err = files.resolve("err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("pfmeter " + String.join(" ", args) + " did not finish within 2 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** {@link #run(Path, List, String...)} without JVM options. */
    public static Run run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, List.of(), args);
    }
}

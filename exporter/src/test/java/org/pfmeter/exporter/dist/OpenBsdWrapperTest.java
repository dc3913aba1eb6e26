package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pfmeter} wrapper (src/dist/openbsd/bin/pfmeter) and the rc.d script, run by {@code sh}.
 * The wrapper's JDK directories and options file are moved into a temporary directory (its text is
 * otherwise unchanged); the JDKs are fake {@code bin/java} scripts that print their command line.
 */
class OpenBsdWrapperTest {

    static final String JAR = "/usr/local/share/pfmeter/pfmeter.jar";
    static final List<String> DEFAULTS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=96m",
            "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=48m", "-Djava.io.tmpdir=/tmp");

    @TempDir
    Path tmp;

    Path wrapper;
    Path options;

    record Result(int exit, List<String> out, String err) {
    }

    @BeforeEach
    void relocate() throws IOException {
        String text = Files.readString(OpenBsdDistTest.DIST.resolve("bin/pfmeter"));
        assertThat(text).startsWith("#!/bin/sh\n").contains("/usr/local/jdk-").contains("/etc/pfmeter/jvm.options");
        options = tmp.resolve("jvm.options");
        wrapper = tmp.resolve("pfmeter");
        Files.writeString(wrapper, text.replace("/usr/local/jdk-", tmp.resolve("jdk-").toString())
                .replace("/etc/pfmeter/jvm.options", options.toString()));
    }

    /** A JDK whose java prints its own path and each argument on a line. */
    Path jdk(String name) throws IOException {
        Path home = tmp.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", wrapper.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Path err = tmp.resolve("stderr");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.isEmpty() ? List.of() : Arrays.asList(out.split("\n")), Files.readString(err));
    }

    static List<String> expected(Path jdk, List<String> jvmOptions, String... args) {
        List<String> l = new ArrayList<>();
        l.add(jdk.resolve("bin/java").toString());
        l.addAll(jvmOptions);
        l.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", JAR));
        l.addAll(Arrays.asList(args));
        return l;
    }

    @Test
    void withoutAJdkItSaysWhichPackageToAddInOneLineAndFails() throws Exception {
        Result r = run(Map.of(), "billing", "--help");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).endsWith("\n").doesNotContain("\n\n").hasLineCount(1)
                .contains("pkg_add jdk%21").contains("jdk%17").contains("jdk%25");
    }

    @Test
    void itRunsTheJarWithTheNewestInstalledJdkAndPassesTheArgumentsAsGiven() throws Exception {
        jdk("jdk-17");
        Path jdk21 = jdk("jdk-21");
        Result r = run(Map.of(), "billing", "--customers", "/etc/pfmeter/my customers.conf", "--month", "2026-10");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsExactlyElementsOf(expected(jdk21, DEFAULTS,
                "billing", "--customers", "/etc/pfmeter/my customers.conf", "--month", "2026-10"));
        Path jdk25 = jdk("jdk-25");
        assertThat(run(Map.of(), "show").out()).containsExactlyElementsOf(expected(jdk25, DEFAULTS, "show"));
    }

    @Test
    void javaHomeWinsOverTheInstalledJdks() throws Exception {
        jdk("jdk-25");
        Path mine = jdk("my-jdk");
        Result r = run(Map.of("JAVA_HOME", mine.toString()), "abi");
        assertThat(r.out()).containsExactlyElementsOf(expected(mine, DEFAULTS, "abi"));
    }

    @Test
    void aJavaHomeWithoutJavaIsAnErrorNotAFallback() throws Exception {
        jdk("jdk-21");
        Result r = run(Map.of("JAVA_HOME", tmp.resolve("nothing").toString()), "abi");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).hasLineCount(1).contains("JAVA_HOME=" + tmp.resolve("nothing")).contains("bin/java");
    }

    @Test
    void jvmOptionsReplaceTheDefaultsOneOrMorePerLineWithCommentsAndNoGlobbing() throws Exception {
        Path jdk21 = jdk("jdk-21");
        Files.writeString(options, """
                # bigger heap for a large ruleset
                -Xms64m -Xmx512m
                -XX:+UseSerialGC   # keep the small collector

                -Dpfmeter.example=*
                """);
        Files.writeString(tmp.resolve("-Dpfmeter.example=bait"), "");   // what the shell would glob * into
        Result r = run(Map.of(), "run");
        assertThat(r.out()).containsExactlyElementsOf(expected(jdk21,
                List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Dpfmeter.example=*"), "run"));
    }

    /**
     * What rc.d starts, run through the wrapper, is a process that the rc.d script's pexp finds (rc.subr
     * matches it with pgrep -xf: the whole command line, an extended regular expression), and it runs the
     * daemon: "run" comes first, since pfmeter without a command only prints its usage.
     */
    @Test
    void theRcScriptStartsTheWrapperWithRunAndItsPexpFindsTheJvm() throws Exception {
        Path jdk21 = jdk("jdk-21");
        Path subr = tmp.resolve("rc.subr");
        Files.writeString(subr, """
                rc_exec() { printf 'exec=%s\\n' "$*"; }
                rc_cmd() {
                	printf 'pexp=%s\\n' "$pexp"
                	printf 'daemon_user=%s\\n' "$daemon_user"
                	printf 'rc_bg=%s\\n' "$rc_bg"
                	printf 'daemon_logger=%s\\n' "$daemon_logger"
                	rc_start
                }
                """);
        Path rc = tmp.resolve("rc.d-pfmeter");
        String rcText = Files.readString(OpenBsdDistTest.DIST.resolve("rc.d/pfmeter"));
        assertThat(rcText).contains(". /etc/rc.d/rc.subr\n");
        Files.writeString(rc, rcText.replace(". /etc/rc.d/rc.subr\n", ". " + subr + "\n"));
        Process p = new ProcessBuilder("sh", rc.toString(), "start").redirectErrorStream(true).start();
        List<String> lines = Arrays.asList(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).contains("daemon_user=root", "rc_bg=YES", "daemon_logger=daemon.info");
        String pexp = lines.stream().filter(l -> l.startsWith("pexp=")).findFirst().orElseThrow().substring(5);
        String exec = lines.stream().filter(l -> l.startsWith("exec=")).findFirst().orElseThrow().substring(5);
        assertThat(exec).isEqualTo("/usr/local/bin/pfmeter run --config /etc/pfmeter/pfmeter.conf");

        List<String> args = Arrays.asList(exec.split(" "));
        Result r = run(Map.of(), args.subList(1, args.size()).toArray(String[]::new));
        assertThat(r.out()).containsExactlyElementsOf(expected(jdk21, DEFAULTS, "run", "--config", "/etc/pfmeter/pfmeter.conf"));
        String commandLine = String.join(" ", r.out());   // what ps and pgrep -f see
        assertThat(Pattern.compile("^(" + pexp + ")$").matcher(commandLine).matches()).as(pexp + " ~ " + commandLine).isTrue();
        // and not a billing run from cron, nor another java program
        assertThat(Pattern.compile("^(" + pexp + ")$").matcher(commandLine.replace(" run ", " billing ")).matches()).isFalse();
        assertThat(Pattern.compile("^(" + pexp + ")$").matcher(commandLine.replace(JAR, "/usr/local/share/other.jar")).matches()).isFalse();
    }
}

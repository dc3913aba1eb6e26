package org.pfmeter.exporter.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar on a host where JNA's native library cannot load, as on an OpenBSD without libffi
 * or with a libjnidispatch built before 7.8: every command that needs native code exits non-zero with
 * one message naming the cause and the fixes, and no stack trace. The device is /dev/null, a path
 * that exists, so pfmeter really gets as far as loading native code.
 */
class NativeLayerFailureIT {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @Test
    void aLibraryJnaCannotLoadGivesOneMessageWithTheFixes() throws Exception {
        // JNA tries jna.boot.library.path first (this file is not a library), then the system path
        // (jna.nosys) and then its jar (jna.nounpack keeps it from unpacking the working one)
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.writeString(boot.resolve("libjnidispatch.so"), "not a library\n");
        Run r = pfmeter(List.of("-Djna.boot.library.path=" + boot, "-Djna.nosys=true", "-Djna.nounpack=true"),
                "show", "--device", "/dev/null");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.errLines()).as(r.err()).singleElement().asString()
                .startsWith("pfmeter: pfmeter's native layer (JNA) cannot load on this host (")
                .contains("Could not find JNA native support")
                .contains("pkg_add libffi").contains("-Djna.boot.library.path=").contains("OpenBSD 7.8 or later");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void jna5170sOpenBsdLibraryFailsOnSfAndTheDaemonSaysSoInOneLine() throws Exception {
        // JNA 5.17.0's OpenBSD build, put where JNA looks for this platform's library: it fails to
        // load for the reason it fails on OpenBSD 7.8, the undefined symbol __sF
        Path cp = dir.resolve("cp");
        Path lib = cp.resolve("com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch"));
        Files.createDirectories(lib.getParent());
        Files.write(lib, OpenBsdLoadability.fromJar(OpenBsdLoadabilityTest.JNA_5_17_0));
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:-PrintWarnings", "-cp",
                cp + java.io.File.pathSeparator + jar(), "org.pfmeter.exporter.cli.Main",
                "run", "--device", "/dev/null", "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString()));
        Run r = run(cmd);
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        List<String> native_ = r.errLines().stream().filter(l -> l.contains("native layer")).toList();
        assertThat(native_).as(r.err()).singleElement().asString()
                .contains("ERROR").contains("cannot load on this host").contains("__sF")
                .contains("pkg_add libffi").contains("-Djna.boot.library.path=");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("data")).as("nothing started").doesNotExist();
    }

    @Test
    void aDeviceOnAHostThatIsNotOpenBsdIsNamedAsNotPf() throws Exception {
        Run r = pfmeter(List.of(), "show", "--device", "/dev/null");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("pfmeter: this host runs " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + ", not OpenBSD: /dev/null is not pf (pfmeter reads pf on OpenBSD 7.8, 7.9, 8.0); use --simulate to try pfmeter here");
        Run forced = pfmeter(List.of(), "show", "--device", "/dev/null", "--abi", "7.8");
        assertThat(forced.code()).isEqualTo(1);
        assertThat(forced.out()).contains("DIOCGETSTATUS failed with ENOTTY, as every pf request did: /dev/null is not pf");
        assertThat(forced.out() + forced.err()).doesNotContain("OpenBSD '").doesNotContain("layout");
    }

    private Run pfmeter(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:-PrintWarnings"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("pfmeter did not exit: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar() {
        return Path.of("target", "pfmeter.jar").toAbsolutePath();
    }
}

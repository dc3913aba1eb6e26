package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.os.PrivilegeDrop;

/**
 * {@code pfmeter run} started as root, from the shaded jar, as an rc.d script starts it: it gives up
 * root once pf is open, before the database exists, and refuses to start whenever it cannot. Needs
 * root (CI runs as root); as any other user these tests fail, saying so.
 */
class PrivilegeDropIT {


    @TempDir
    Path dir;

    private int nobodyUid;
    private int nogroupGid;
    private Path jar;

    @BeforeEach
    void asRoot() throws Exception {
        PrivilegeDrop drop = new PrivilegeDrop();
        assertThat(drop.current().euid()).as("PrivilegeDropIT starts pfmeter as root and must run as root (CI does)").isZero();
        nobodyUid = drop.user("nobody")[0];
        nogroupGid = drop.group("nogroup");
        // the unprivileged user must be able to reach the data directory inside the temporary one
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // installed as the top-level README says (world-readable), wherever the checkout is (mktemp -d is 0700)
        jar = Files.copy(Path.of("target", "pfmeter.jar"), dir.resolve("pfmeter.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("r--r--r--"));
    }

    private List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void dropsToNobodyBeforeCreatingTheDatabaseAndKeepsServing() throws Exception {
        Path data = dir.resolve("data");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(java("run", "--simulate", "--user", "nobody", "--group", "nogroup",
                "--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--interval", "1s"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        try {
            int port = DaemonProcess.awaitServingPort(p, err, "http://127.0.0.1", Duration.ofSeconds(90));
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"));
            assertThat(status).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("Uid:",
                    "" + nobodyUid, "" + nobodyUid, "" + nobodyUid, "" + nobodyUid));
            assertThat(status).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("Gid:",
                    "" + nogroupGid, "" + nogroupGid, "" + nogroupGid, "" + nogroupGid));
            assertThat(status).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("Groups:", "" + nogroupGid));

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("pfmeter_build_info");

            assertThat(uid(data)).as("data dir created as root and given to nobody").isEqualTo(nobodyUid);
            assertThat(Files.getAttribute(data, "unix:gid")).isEqualTo(nogroupGid);
            List<Path> files;
            try (Stream<Path> s = Files.list(data)) {
                files = s.toList();
            }
            assertThat(files).as("the H2 database in the data dir").anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"));
            for (Path f : files) {
                assertThat(uid(f)).as("owner of %s", f).isEqualTo(nobodyUid);
            }
            assertThat(Files.readString(err)).contains("gave up root: now running as nobody (uid " + nobodyUid + ", gid " + nogroupGid + ")")
                    .contains("unveil(2) is not available on Linux");
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anUnknownUserIsRefusedBeforeAnythingStarts() throws Exception {
        Result r = run(java("run", "--simulate", "--user", "no-such-user-pfmeter", "--listen", "127.0.0.1:0",
                "--data-dir", dir.resolve("d").toString()));
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).contains("privileges.user = 'no-such-user-pfmeter'")
                .contains("user 'no-such-user-pfmeter' does not exist");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void rootIsNotKeptOnTheKernelsPf() throws Exception {
        // an inherited descriptor is what pfmeter treats as the kernel's pf; /dev/null stands in for
        // /dev/pf here (pfmeter refuses before its first ioctl)
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 3</dev/null"));
        cmd.addAll(java("run", "--pf-fd", "3", "--abi", "8.0", "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("d").toString()));
        Result r = run(cmd);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("refusing to start: pfmeter would keep root after opening /dev/pf (fd 3)")
                .contains("privileges.user = _pfmeter").contains("--pf-fd");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void aDataDirTheUserCannotWriteIsRefusedAfterTheDrop() throws Exception {
        Path data = Files.createDirectory(dir.resolve("root-only"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Result r = run(java("run", "--simulate", "--user", "nobody", "--listen", "127.0.0.1:0", "--data-dir", data.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("data-dir " + data + " is not a directory writable by nobody")
                .contains("install -d -o nobody");
        try (Stream<Path> s = Files.list(data)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    record Result(int code, String out) {
    }

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("pfmeter did not exit: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }


    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid");
    }
}

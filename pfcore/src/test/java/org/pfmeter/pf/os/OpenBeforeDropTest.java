package org.pfmeter.pf.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order pfmeter relies on, against the build machine's real kernel: a root-only file (as /dev/pf
 * is, mode 0600) and a generic netlink socket, both opened as root, keep working after the process
 * switches to an unprivileged user, while the file can no longer be opened. Linux stands in for the
 * descriptor semantics only: FreeBSD checks pf's PRIV_NETINET_PF against the socket's creator (see
 * HostPlatform), which Linux cannot show. Runs the probe in a child JVM, as root (skipped otherwise).
 */
class OpenBeforeDropTest {

    @TempDir
    Path dir;

    @Test
    void descriptorsOpenedAsRootOutliveTheDrop() throws Exception {
        assumeTrue(Platform.isLinux() || Platform.isFreeBSD(), "generic netlink exists on Linux and FreeBSD only");
        PrivilegeDrop drop = new PrivilegeDrop();
        assumeTrue(drop.current().euid() == 0, "switching users needs root");
        int nobody = drop.user("nobody")[0];
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = dir.resolve("pf-stand-in");
        Files.writeString(secret, "pf\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        // the child loads classes lazily after the drop: every class path entry must be readable by nobody
        List<String> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p)) {
                Path copy = Files.copy(p, dir.resolve(cp.size() + "-" + p.getFileName()));
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--r--r--"));
                cp.add(copy.toString());
            } else {
                cp.add(entry);
            }
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-cp", String.join(File.pathSeparator, cp),
                OpenThenDropProbe.class.getName(), secret.toString(), "nobody")
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).contains("dropped to uid " + nobody + "\n")
                .contains("descriptor opened as root reads: pf\n")
                .contains("socket opened as root resolves: nlctrl\n")
                .contains("reopening after the drop: errno 13\n");
    }
}

package org.pfmeter.pf.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privilege drop as far as it runs on Linux: a child JVM started as root opens a root-only file,
 * drops to nobody, keeps reading through the open descriptor and can no longer open the file. Needs
 * root (CI runs as root); elsewhere it fails unless -Dpfmeter.privdrop.skip=true is given.
 */
class PrivilegeDropTest {

    @TempDir
    Path dir;

    private static boolean root() {
        return new PrivilegeDrop().current().euid() == 0;
    }

    @Test
    void dropsToNobodyAndKeepsTheOpenDescriptor() throws Exception {
        if (Boolean.getBoolean("pfmeter.privdrop.skip")) {
            return;
        }
        assertThat(root()).as("this test needs root (CI runs as root); give -Dpfmeter.privdrop.skip=true to leave it out").isTrue();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = dir.resolve("root-only");
        Files.writeString(secret, "pf counters\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        int[] nobody = new PrivilegeDrop().user("nobody");
        String group = groupOf(nobody[1]);

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PrivilegeDropProbe.class.getName(),
                secret.toString(), "nobody", group)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.exitValue()).as(String.join("\n", out)).isZero();
        assertThat(out).contains("identity " + nobody[0] + " " + nobody[0] + " " + nobody[1] + " " + nobody[1],
                "through-descriptor pf counters", "reopen denied", "native-reopen errno 13");
    }

    @Test
    void refusesRootAndUnknownUsers() {
        assertThatThrownBy(() -> new PrivilegeDrop().dropTo("root", null)).hasMessageContaining("is root");
        assertThatThrownBy(() -> new PrivilegeDrop().dropTo("no-such-user-pfmeter", null))
                .hasMessageContaining("user 'no-such-user-pfmeter' does not exist");
    }

    private static String groupOf(int gid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String[] f = line.split(":");
            if (f.length > 2 && Integer.parseInt(f[2]) == gid) {
                return f[0];
            }
        }
        throw new AssertionError("no group with gid " + gid);
    }
}

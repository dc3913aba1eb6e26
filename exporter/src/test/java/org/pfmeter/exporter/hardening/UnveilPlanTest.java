package org.pfmeter.exporter.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.pf.os.Unveil;

class UnveilPlanTest {

    @TempDir
    Path tmp;

    @Test
    void theDaemonSeesItsDataConfigCredentialsTheJdkAndTheSystemFilesItNeeds() throws Exception {
        Path pw = Files.writeString(tmp.resolve("jmx.password"), "monitor secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = Files.writeString(tmp.resolve("jmx.access"), "monitor readonly\n");
        Path users = Files.writeString(tmp.resolve("billing.users"),
                org.pfmeter.exporter.http.Credentials.line("acct", "pw".toCharArray()) + "\n");
        Path conf = tmp.resolve("pfmeter.conf");
        Config c = ConfigLoader.parse(conf.toString(), """
                data-dir = %s
                listen = 127.0.0.1:0
                jmx.remote.port = 0
                jmx.remote.password-file = %s
                jmx.remote.access-file = %s
                http.billing-credentials = %s
                """.formatted(tmp.resolve("data"), pw, access, users), Map.of());
        assertThat(UnveilPlan.rules(c, Optional.of(conf), Path.of("/usr/local/jdk-17"), Path.of("/tmp"),
                UnveilPlan.classPath("/usr/local/share/pfmeter/pfmeter.jar")))
                .containsExactly(
                        new Unveil.Rule(tmp.resolve("data"), "rwc"),
                        new Unveil.Rule(conf, "r"),
                        new Unveil.Rule(pw, "r"),
                        new Unveil.Rule(access, "r"),
                        new Unveil.Rule(users, "r"),
                        new Unveil.Rule(Path.of("/usr/local/share/pfmeter/pfmeter.jar"), "r"),
                        new Unveil.Rule(Path.of("/usr/local/jdk-17"), "rx"),
                        new Unveil.Rule(Path.of("/tmp"), "rwc"),
                        new Unveil.Rule(Path.of("/etc/hosts"), "r"),
                        new Unveil.Rule(Path.of("/etc/resolv.conf"), "r"),
                        new Unveil.Rule(Path.of("/etc/localtime"), "r"),
                        new Unveil.Rule(Path.of("/usr/share/zoneinfo"), "r"),
                        new Unveil.Rule(Path.of("/dev/urandom"), "r"));
    }

    @Test
    void relativePathsBecomeAbsoluteAndAPathListedTwiceGetsBothPermissions() throws Exception {
        Config c = ConfigLoader.parse("t.conf", "", Map.of(ConfigKey.DATA_DIR, "/tmp/./pfmeter/../pfmeter-data"));
        assertThat(UnveilPlan.classPath("a.jar:/lib/b.jar:")).containsExactly(Path.of("a.jar"), Path.of("/lib/b.jar"));
        assertThat(UnveilPlan.rules(c, Optional.of(Path.of("pfmeter.conf")), Path.of("/tmp"), Path.of("/tmp"), List.of()))
                .startsWith(new Unveil.Rule(Path.of("/tmp/pfmeter-data"), "rwc"),
                        new Unveil.Rule(Path.of("pfmeter.conf").toAbsolutePath(), "r"),
                        new Unveil.Rule(Path.of("/tmp"), "rwxc"))
                .hasSize(3 + UnveilPlan.SYSTEM_READ.size());
    }

    @Test
    void onLinuxItReportsNotAvailableInsteadOfPretending() throws Exception {
        Config c = ConfigLoader.parse("t.conf", "", Map.of(ConfigKey.DATA_DIR, tmp.toString()));
        Unveil.Result r = Unveil.restrict(UnveilPlan.rules(c, Optional.empty(), Path.of(System.getProperty("java.home")), tmp,
                UnveilPlan.classPath(System.getProperty("java.class.path"))));
        assertThat(r.applied()).isFalse();
        assertThat(r.detail()).startsWith("unveil(2) is not available on Linux");
        assertThat(Files.isReadable(Path.of("/etc/passwd"))).as("nothing was hidden").isTrue();
    }

    @Test
    void theDropDirectoryIsWritable() throws Exception {
        Path bills = Files.writeString(tmp.resolve("bills.conf"), "[bill acme]\ntype = volume\nlabel = web\n");
        Config c = ConfigLoader.parse("t.conf", "billing.bills = " + bills + "\nbilling.drop-directory = " + tmp.resolve("drop") + "\n",
                Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString()));
        assertThat(UnveilPlan.rules(c, Optional.empty(), Path.of("/usr/local/jdk-17"), Path.of("/tmp"), List.of()))
                .contains(new Unveil.Rule(tmp.resolve("drop"), "rwc"));
    }
}

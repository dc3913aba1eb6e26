package org.pfmeter.exporter.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.PrivilegesConfig;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.os.PrivilegeDrop;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

class PrivilegesTest {

    @TempDir
    Path tmp;

    private static final PrivilegesConfig PFMETER = new PrivilegesConfig(Optional.of("_pfmeter"), Optional.empty());

    @Test
    void theKernelsPfNeverKeepsRoot() {
        assertThat(Privileges.decide(PFMETER, true, true)).isEqualTo(Privileges.Decision.DROP);
        assertThat(Privileges.decide(PrivilegesConfig.NONE, true, true)).isEqualTo(Privileges.Decision.REFUSE_ROOT);
        assertThat(Privileges.decide(PrivilegesConfig.NONE, true, false)).isEqualTo(Privileges.Decision.WARN_ROOT);
        assertThat(Privileges.decide(PFMETER, true, false)).isEqualTo(Privileges.Decision.DROP);
        assertThat(Privileges.decide(PrivilegesConfig.NONE, false, true)).isEqualTo(Privileges.Decision.KEEP);
        // a user asked for but not root: DROP, which PrivilegeDrop refuses (fail closed, not ignored)
        assertThat(Privileges.decide(PFMETER, false, true)).isEqualTo(Privileges.Decision.DROP);
    }

    @Test
    void rootOnTheSimulatorStartsWithAWarning() throws Exception {
        Config c = ConfigLoader.parse("t.conf", "", Map.of(ConfigKey.DATA_DIR, tmp.toString()));
        SimulatedPf pf = new SimulatedPf(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL), SimClock.manual(Instant.EPOCH));
        PrivilegeDrop.Identity before = new PrivilegeDrop().current();
        Privileges.afterPfOpened(c, pf);   // no user: keeps the identity, root or not
        assertThat(new PrivilegeDrop().current()).isEqualTo(before);
    }

    @Test
    void filesTheUserReadsLaterAreNamedWithTheirKeys() throws Exception {
        Path pw = Files.writeString(tmp.resolve("jmx.password"), "monitor secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Config c = ConfigLoader.parse("t.conf", """
                jmx.remote.port = 0
                jmx.remote.password-file = %s
                """.formatted(pw), Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString()));
        assertThat(Privileges.filesReadAfterStart(c)).containsExactly(Map.entry(ConfigKey.JMX_REMOTE_PASSWORD_FILE, pw));
        // as root everything is readable; the unprivileged case is PrivilegeDropIT's
        assertThat(Privileges.unusableAfterDrop(c, "_pfmeter")).as("data dir does not exist yet")
                .singleElement().asString().contains("data-dir " + tmp.resolve("data") + " is not a directory writable by _pfmeter");
    }

    @Test
    void theBillsFileIsReadAfterTheDropToo() throws Exception {
        Path bills = Files.copy(Path.of("src/dist/openbsd/bills.conf"), tmp.resolve("bills.conf"));
        Config c = ConfigLoader.parse("t.conf", "billing.bills = " + bills + "\n",
                Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString()));
        assertThat(Privileges.filesReadAfterStart(c)).containsEntry(ConfigKey.BILLING_BILLS, bills);
    }

    @Test
    void describesWhomItBecomes() {
        assertThat(Privileges.describe(PFMETER)).contains("_pfmeter");
        assertThat(Privileges.describe(new PrivilegesConfig(Optional.of("_pfmeter"), Optional.of("wheel")))).contains("_pfmeter:wheel");
        assertThat(Privileges.describe(PrivilegesConfig.NONE)).isEmpty();
    }
}

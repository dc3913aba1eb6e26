package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.config.PrivilegesConfig;

/** The files shipped for OpenBSD (src/dist/openbsd) are what the code accepts. */
class OpenBsdDistTest {

    static final Path DIST = Path.of("src", "dist", "openbsd");

    @TempDir
    Path tmp;

    @Test
    void theSampleConfigurationLoads() throws Exception {
        // _pfmeter exists on an installed OpenBSD host, not here: nobody and nogroup stand in
        Config c = ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), Map.of(
                ConfigKey.PRIVILEGES_USER, "nobody", ConfigKey.PRIVILEGES_GROUP, "nogroup",
                ConfigKey.DATA_DIR, tmp.toString()));
        assertThat(c.privileges()).isEqualTo(new PrivilegesConfig(Optional.of("nobody"), Optional.of("nogroup")));
        assertThat(c.source().device()).isEqualTo("/dev/pf");
        assertThat(c.source().simulation()).isEmpty();
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 10190));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.accounting().enabled()).isTrue();
        assertThat(c.jmx().remote()).isEmpty();
    }

    @Test
    void asShippedItNamesTheOpenBsdAccountsAndNothingElseIsWrong() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), Map.of(ConfigKey.DATA_DIR, tmp.toString())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(Arrays.asList(e.getMessage().split("\n"))).hasSize(2).allSatisfy(line ->
                        assertThat(line).containsPattern("privileges\\.(user|group) = '_pfmeter': (user|group) '_pfmeter' does not exist")));
        assertThat(DIST.resolve("pfmeter.conf")).content().contains("data-dir = /var/db/pfmeter");
    }

    @Test
    void theRcScriptKeepsRootToOpenPfAndRunsInTheBackground() throws Exception {
        String rc = Files.readString(DIST.resolve("rc.d/pfmeter"));
        assertThat(rc).startsWith("#!/bin/ksh\n").contains("\ndaemon_user=\"root\"\n").contains("\nrc_bg=YES\n")
                .contains(". /etc/rc.d/rc.subr").endsWith("rc_cmd $1\n");
        assertThat(Files.readString(DIST.resolve("login.conf.pfmeter"))).contains("pfmeter:\\").contains(":datasize=1024M:");
    }
}

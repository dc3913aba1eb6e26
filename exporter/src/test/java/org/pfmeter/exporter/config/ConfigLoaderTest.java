package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimScale;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    Config parse(String text, Map<ConfigKey, String> overrides) throws ConfigException {
        return ConfigLoader.parse("pfmeter.conf", text, overrides);
    }

    Map<ConfigKey, String> dataDir() {
        return Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
    }

    @Test
    void defaults() throws Exception {
        Config c = parse("", dataDir());
        assertThat(c.listen()).isEqualTo(new HostPort("", 10190));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.source().device()).isEqualTo("/dev/pf");
        assertThat(c.source().simulation()).isEmpty();
        assertThat(c.maxLabelSeries()).isEqualTo(10_000);
        assertThat(c.jmx().enabled()).isTrue();
        assertThat(c.jmx().statesWarningPercent()).isEqualTo(80);
        assertThat(c.jmx().statesCriticalPercent()).isEqualTo(95);
        assertThat(c.jmx().remote()).isEmpty();
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void theRowsOfSealedDaysAreKeptThreeDaysUnlessTold() throws Exception {
        assertThat(parse("", dataDir()).accounting().retention().sealedFiveMinuteRows()).contains(Duration.ofDays(3));
        assertThat(parse("accounting.five-minute-retention = 0d\n", dataDir()).accounting().retention().sealedFiveMinuteRows())
                .contains(Duration.ZERO);
        Config c = parse("accounting.retention.5m = 30d\naccounting.five-minute-retention = forever\n", dataDir());
        assertThat(c.accounting().retention().sealedFiveMinuteRows()).isEmpty();
        assertThat(c.accounting().retention().keep(org.pfmeter.accounting.store.UsageLevel.FIVE_MINUTES)).contains(Duration.ofDays(30));
    }

    @Test
    void everyKeyFromAFileAndTheCommandLineWins() throws Exception {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "monitor secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Config c = parse("""
                # pfmeter.conf
                listen = 127.0.0.1:9999
                poll.interval = 30s
                simulate = true
                simulate.seed = 42
                simulate.release = 7.8
                simulate.scale = large
                simulate.speed = 60
                simulate.faults = ruleset-reload@30m, state-ramp@1h+20m
                metrics.max-label-series = 100
                metrics.max-table-series = 50
                jmx.states.warning = 70
                jmx.states.critical = 90
                jmx.states.hysteresis = 2.5
                jmx.remote.port = 9010
                jmx.remote.password-file = %s
                log.level = debug
                """.formatted(pw), Map.of(ConfigKey.LISTEN, ":10191", ConfigKey.DATA_DIR, tmp.toString()));
        assertThat(c.listen()).isEqualTo(new HostPort("", 10191));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        SimulationConfig s = c.source().simulation().orElseThrow();
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.release()).isEqualTo(AbiRelease.V7_8);
        assertThat(s.scale()).isEqualTo(SimScale.LARGE);
        assertThat(s.speed()).isEqualTo(60);
        assertThat(s.faults().entries()).extracting(e -> e.fault()).containsExactly(Fault.RULESET_RELOAD, Fault.STATE_RAMP);
        assertThat(c.maxLabelSeries()).isEqualTo(100);
        assertThat(c.jmx().statesHysteresisPercent()).isEqualTo(2.5);
        JmxConfig.Remote r = c.jmx().remote().orElseThrow();
        assertThat(r.listen()).isEqualTo(new HostPort("127.0.0.1", 9010));
        assertThat(r.passwordFile()).isEqualTo(pw);
        assertThat(c.logLevel()).isEqualTo("debug");
    }

    @Test
    void anUnknownKeyIsRefusedWithItsLineAndTheNearestKnownKey() {
        assertThatThrownBy(() -> parse("listen = :1\npoll.intervall = 5s\n", dataDir()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pfmeter.conf:2: unknown key 'poll.intervall' (did you mean 'poll.interval'?)")
                .hasMessageContaining("known keys: listen, data-dir, poll.interval");
    }

    @Test
    void aBadValueNamesTheKeyWhereItWasSetAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse("poll.interval = 5 minutes\n", dataDir()))
                .hasMessageContaining("pfmeter.conf:1: poll.interval = '5 minutes'")
                .hasMessageContaining("allowed: a duration from 1s to 1h");
        assertThatThrownBy(() -> parse("", Map.of(ConfigKey.LISTEN, "localhost", ConfigKey.DATA_DIR, tmp.toString())))
                .hasMessageContaining("--listen: listen = 'localhost'").hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> parse("simulate = true\nsimulate.scale = gigantic\n", dataDir()))
                .hasMessageContaining("simulate.scale = 'gigantic'").hasMessageContaining("allowed: small, large or huge");
        assertThatThrownBy(() -> parse("states.interval = 0s\n", dataDir()))
                .hasMessageContaining("pfmeter.conf:1: states.interval = '0s'").hasMessageContaining("allowed: a duration from 1s to 1h");
        assertThatThrownBy(() -> parse("jmx.states.warning = 96\n", dataDir()))
                .hasMessageContaining("must be below the critical one");
        assertThatThrownBy(() -> parse("simulate = true\nsimulate.faults = meteor@1h\n", dataDir()))
                .hasMessageContaining("simulate.faults").hasMessageContaining("unknown simulator fault 'meteor'");
        assertThatThrownBy(() -> parse("pf.abi = 6.9\n", dataDir()))
                .hasMessageContaining("pf.abi = '6.9'").hasMessageContaining("7.8, 7.9, 8.0");
        assertThatThrownBy(() -> parse("listen = :1\nlisten = :2\n", dataDir()))
                .hasMessageContaining("pfmeter.conf:2: listen is already set at pfmeter.conf:1");
    }

    @Test
    void combinationsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> parse("simulate.seed = 3\n", dataDir()))
                .hasMessageContaining("simulate.seed").hasMessageContaining("simulate is off");
        assertThatThrownBy(() -> parse("simulate = true\npf.fd = 3\n", dataDir()))
                .hasMessageContaining("set at most one of them");
        assertThatThrownBy(() -> parse("jmx.remote.port = 9010\n", dataDir()))
                .hasMessageContaining("jmx.remote.password-file").hasMessageContaining("requires a password file");
        assertThatThrownBy(() -> parse("jmx.remote.bind = 0.0.0.0\n", dataDir()))
                .hasMessageContaining("remote JMX is off");
    }

    @Test
    void unreachablePathsAreRefused() throws Exception {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> parse("", Map.of(ConfigKey.DATA_DIR, file.resolve("sub").toString())))
                .hasMessageContaining("data-dir").hasMessageContaining("cannot be created");
        assertThatThrownBy(() -> parse("", Map.of(ConfigKey.DATA_DIR, file.toString())))
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> parse("jmx.remote.port = 1\njmx.remote.password-file = /nonexistent/pw\n", dataDir()))
                .hasMessageContaining("jmx.remote.password-file").hasMessageContaining("does not exist");
        Path open = tmp.resolve("world-readable");
        Files.writeString(open, "monitor secret\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> parse("jmx.remote.port = 1\njmx.remote.password-file = " + open + "\n", dataDir()))
                .hasMessageContaining("may be read or written by others");
        assertThatThrownBy(() -> parse("pf.replay = /nonexistent/trace.jsonl\n", dataDir()))
                .hasMessageContaining("pf.replay");
    }

    @Test
    void everyKeyIsDocumented() {
        String table = ConfigKey.markdownTable();
        for (ConfigKey k : ConfigKey.values()) {
            assertThat(table).contains("`" + k.key() + "`");
        }
    }

    @Test
    void tablesWhoseAddressesAreReadAreNamedWithTheirAnchor() throws Exception {
        Config c = ConfigLoader.parse("pfmeter.conf", "tables.address-counters = custtbl, /customers/acme:acme-nets\n",
                java.util.Map.of(ConfigKey.DATA_DIR, System.getProperty("java.io.tmpdir")));
        assertThat(c.source().addressTables()).containsExactly(new org.pfmeter.pf.model.TableKey("", "custtbl"),
                new org.pfmeter.pf.model.TableKey("customers/acme", "acme-nets"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf",
                        "# tables\ntables.address-counters = a, b, a\n", java.util.Map.of(ConfigKey.DATA_DIR, System.getProperty("java.io.tmpdir"))))
                .hasMessageContaining("pfmeter.conf:2").hasMessageContaining("named twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf",
                        "tables.address-counters = a-table-name-of-more-than-31-bytes\n",
                        java.util.Map.of(ConfigKey.DATA_DIR, System.getProperty("java.io.tmpdir"))))
                .hasMessageContaining("longer than pf's 31 bytes");
    }
}

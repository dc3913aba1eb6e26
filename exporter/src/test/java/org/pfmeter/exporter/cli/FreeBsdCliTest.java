package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.Daemon;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.poll.PfSession;
import org.pfmeter.exporter.show.PfctlText;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.abi.netlink.ScriptedFreeBsdKernel;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.FreeBsdSimulators;
import org.pfmeter.pf.trace.RecordingNetlinkSocket;

/**
 * FreeBSD's pf through the whole command line: the release chosen by {@code --sim-release},
 * {@code --abi} and a trace's header; {@code show}, {@code record} and {@code run}'s /metrics over the
 * scripted netlink kernel of pfcore's tests (pfcore's test-jar), recorded to a trace and replayed.
 */
class FreeBsdCliTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path tmp;

    /** A trace of two polls of the scripted FreeBSD kernel (pf enabled an hour later in poll 2). */
    Path scriptedTrace() throws IOException {
        Path f = tmp.resolve("freebsd.jsonl");
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            RecordingNetlinkSocket rec = new RecordingNetlinkSocket(ScriptedFreeBsdKernel.socket(1_764_000_000L, 1_764_003_600L),
                    FreeBsdRelease.FREEBSD_15_0, "15.0-RELEASE", w, "amd64", T0, Optional.empty(), null);
            FreeBsdPfReader reader = new FreeBsdPfReader(rec, Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 0; i < 2; i++) {
                rec.markPoll(T0.plusSeconds(10L * i));
                assertThat(reader.poll().errors()).isEmpty();
            }
        }
        return f;
    }

    @Test
    void anUnknownReleaseIsAClearErrorListingEveryChoice() {
        CliTest.Result abi = CliTest.run("show", "--abi", "freebsd-13.0");
        assertThat(abi.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(abi.err()).contains("--abi: pf.abi = 'freebsd-13.0'", "release 'freebsd-13.0' is not supported",
                "7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0");
        CliTest.Result sim = CliTest.run("show", "--simulate", "--sim-release", "freebsd");
        assertThat(sim.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(sim.err()).contains("release 'freebsd' is not supported", "freebsd-14.3, freebsd-15.0");
        CliTest.Result simulate = CliTest.run("simulate", "--days", "1", "--sim-release", "15.0",
                "--db", tmp.resolve("db").toString());
        assertThat(simulate.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(simulate.err()).contains("--sim-release: release '15.0' is not supported; choose one of 7.8, 7.9, 8.0, "
                + "freebsd-14.3, freebsd-15.0");
    }

    @Test
    void forcingFreeBsdOnAnotherSystemSaysToSimulate() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name", "").startsWith("FreeBSD"));
        CliTest.Result r = CliTest.run("show", "--abi", "freebsd-15.0");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("--abi freebsd-15.0 reads FreeBSD's pf, but this host runs",
                "use --simulate --sim-release freebsd-15.0");
    }

    @Test
    void showAllOfASimulatedFreeBsdPrintsEverySection() {
        CliTest.Result r = CliTest.run("show", "all", "--simulate", "--sim-release", "freebsd-15.0");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        for (org.pfmeter.exporter.show.PfctlText.Section s : org.pfmeter.exporter.show.PfctlText.Section.values()) {
            assertThat(r.out()).as(s.name()).contains(s.name() + ":");
        }
        // read over netlink and /dev/pf: a status, labels, interfaces; limiters and pfsync not present
        assertThat(r.out()).contains("Status: Enabled").contains("admin-ssh").contains("Interface Stats for em0")
                .contains("altq on em1 codel qlimit 1024").contains("queue std parent rootq on em0");
    }

    @Test
    void showStatesOfASimulatedFreeBsdReadsTheStateTableOverNetlink() {
        CliTest.Result r = CliTest.run("show", "states", "--top", "3", "--simulate", "--sim-release", "freebsd-15.0",
                "--sim-scale", "large");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("states");
    }

    @Test
    void simulateOnFreeBsdEqualsTheGroundTruth() {
        CliTest.Result sim = CliTest.run("simulate", "--days", "1", "--sim-release", "freebsd-14.3", "--db",
                tmp.resolve("db").toString());
        assertThat(sim.code()).as(sim.err()).isEqualTo(ExitCodes.OK);
    }

    static Config config(Map<ConfigKey, String> overrides) throws Exception {
        return ConfigLoader.loadForReading(Optional.empty(), new EnumMap<>(overrides));
    }

    @Test
    void theSelectionReadsASimulatedFreeBsdThroughItsNetlinkSocket() throws Exception {
        Config cfg = config(Map.of(ConfigKey.SIMULATE, "true", ConfigKey.SIMULATE_RELEASE, "freebsd-15.0"));
        Duration[] advanced = {Duration.ZERO};
        FreeBsdSimulators.Factory scripted = (spec, clock) -> {
            assertThat(spec.release()).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
            return new FreeBsdSimulators.Host(ScriptedFreeBsdKernel.socket(), Optional.empty(), Optional.empty(), d -> advanced[0] = advanced[0].plus(d),
                    () -> null, Optional.empty(), "scripted FreeBSD");
        };
        try (PfSession s = PfSession.open(cfg.source(), Clock.systemUTC(), PfSession.SimTime.STEPPED,
                SourceNodeOptions.DEFAULT, scripted)) {
            assertThat(s.release()).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
            assertThat(s.openBsdRelease()).isEmpty();
            assertThat(s.stateReader()).as("the scripted host has no second socket for the state table").isEmpty();
            assertThat(s.simulated()).isTrue();
            assertThat(s.kernel()).isFalse();
            assertThat(advanced[0]).as("show's simulated hour").isEqualTo(Duration.ofHours(1));
            PfSnapshot snap = s.poll();
            assertThat(snap.errors()).isEmpty();
            assertThat(snap.abiRelease()).isEqualTo(FreeBsdPfReader.ABI);
            assertThat(snap.rules().value().orElseThrow().anchors()).containsExactly("", "ext");
        }
        try (PfSession real = PfSession.open(cfg.source(), Clock.systemUTC(), PfSession.SimTime.STEPPED)) {
            assertThat(real.poll().errors()).as("the simulated FreeBSD").isEmpty();
            assertThat(real.stateReader()).as("GETSTATES on its second socket").isPresent();
            assertThat(real.device()).as("its /dev/pf").isPresent();
        }
        Config forced = config(Map.of(ConfigKey.SIMULATE, "true", ConfigKey.SIMULATE_RELEASE, "freebsd-15.0",
                ConfigKey.PF_ABI, "8.0"));
        assertThatThrownBy(() -> PfSession.open(forced.source(), Clock.systemUTC(), PfSession.SimTime.STEPPED,
                SourceNodeOptions.DEFAULT, scripted)).isInstanceOf(NoPfException.class)
                .hasMessageContaining("--abi 8.0 does not match --sim-release freebsd-15.0");
    }

    @Test
    void showAllOfAFreeBsdTracePrintsWhatTheKernelAnswered() throws Exception {
        Path trace = scriptedTrace();
        CliTest.Result r = CliTest.run("show", "all", "--replay", trace.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();

        // the same poll read straight from the scripted kernel, printed by the same code
        FreeBsdPfReader direct = new FreeBsdPfReader(ScriptedFreeBsdKernel.socket(1_764_000_000L, 1_764_003_600L),
                Clock.fixed(T0, ZoneOffset.UTC));
        PfctlText text = new PfctlText(direct.poll(), false, Optional.empty(), ZoneId.systemDefault());
        StringBuilder want = new StringBuilder();
        for (PfctlText.Section s : PfctlText.Section.values()) {
            want.append(s.name()).append(":\n");
            want.append(s == PfctlText.Section.TABLE_ADDRESSES
                    ? "no table named: give --table-addresses NAME,ANCHOR/PATH:NAME or set tables.address-counters\n"
                    : text.render(s));
            want.append('\n');
        }
        assertThat(r.out()).isEqualTo(want.toString());
        assertThat(r.out()).contains("blocklist", "web");
    }

    @Test
    void aRecordedFreeBsdTraceReplaysToTheSameShowOutput() throws Exception {
        Path trace = scriptedTrace();
        Path again = tmp.resolve("again.jsonl.gz");
        CliTest.Result rec = CliTest.run("record", "--replay", trace.toString(), "--out", again.toString());
        assertThat(rec.err()).isEmpty();
        assertThat(rec.code()).isZero();
        assertThat(rec.out()).contains("recorded 1 poll(s) of trace " + trace, "FreeBSD 15.0 pf (netlink)");
        assertThat(new String(new java.util.zip.GZIPInputStream(Files.newInputStream(again)).readAllBytes(),
                StandardCharsets.UTF_8)).startsWith("{\"pfmeter_trace\":1,").contains("\"abi\":\"freebsd-15.0\"");
        for (String what : List.of("all", "info", "labels", "tables", "sources")) {
            CliTest.Result a = CliTest.run("show", what, "--replay", trace.toString());
            CliTest.Result b = CliTest.run("show", what, "--replay", again.toString());
            assertThat(b.code()).isZero();
            assertThat(b.out()).as(what).isEqualTo(a.out());
        }

        Path redacted = tmp.resolve("redacted.jsonl");
        assertThat(CliTest.run("record", "--replay", trace.toString(), "--out", redacted.toString(), "--redact").code()).isZero();
        CliTest.Result r = CliTest.run("show", "labels", "--replay", redacted.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("label-1").doesNotContain("web");
        assertThat(Files.readString(redacted)).doesNotContain(hex("blocklist"));
    }

    static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void runServesFreeBsdMetricsFromATrace() throws Exception {
        Path trace = scriptedTrace();
        Config cfg = ConfigLoader.parse("test.conf", "accounting.enabled = false\n",
                Map.of(ConfigKey.LISTEN, "127.0.0.1:0", ConfigKey.DATA_DIR, tmp.resolve("data").toString(),
                        ConfigKey.PF_REPLAY, trace.toString()));
        try (Daemon d = Daemon.start(cfg, new Daemon.Options(Clock.systemUTC(), MBeanServerFactory.newMBeanServer(), false,
                Optional.empty()))) {
            assertThat(d.session().release()).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
            d.poller().pollOnce();
            HttpResponse<String> m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + d.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body()).contains("abi_release=\"freebsd-15.0\"", "pf_up", "pf_label_bytes_total{",
                    "label=\"web\"", "pfmeter_subsystem_present{subsystem=\"interfaces\",} 0.0");
        }
    }
}

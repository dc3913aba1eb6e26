package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.netlink.ScriptedFreeBsdKernel;
import org.pfmeter.pf.trace.RecordingNetlinkSocket;

/**
 * What {@code run} serves for FreeBSD's pf (a trace of pfcore's scripted netlink kernel) is
 * promtool-clean, with the same family names as on OpenBSD. Needs promtool, as {@link PromtoolIT}.
 */
class FreeBsdPromtoolIT {

    @TempDir
    Path tmp;

    @Test
    void freeBsdMetricsAreClean() throws Exception {
        Path promtool = PromtoolIT.promtool();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        Path trace = tmp.resolve("freebsd.jsonl");
        try (Writer w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            RecordingNetlinkSocket rec = new RecordingNetlinkSocket(ScriptedFreeBsdKernel.socket(), FreeBsdRelease.FREEBSD_15_0,
                    "15.0-RELEASE", w, "amd64", t0, Optional.empty(), null);
            rec.markPoll(t0);
            assertThat(new FreeBsdPfReader(rec, Clock.fixed(t0, ZoneOffset.UTC)).poll().errors()).isEmpty();
        }
        Config cfg = ConfigLoader.parse("test.conf", "accounting.enabled = false\n", Map.of(ConfigKey.LISTEN, "127.0.0.1:0",
                ConfigKey.DATA_DIR, tmp.resolve("data").toString(), ConfigKey.PF_REPLAY, trace.toString()));
        try (Daemon d = Daemon.start(cfg, new Daemon.Options(Clock.systemUTC(), MBeanServerFactory.newMBeanServer(), false,
                Optional.empty()))) {
            d.poller().pollOnce();
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + d.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("pf_label_bytes_total{", "pf_table_", "abi_release=\"freebsd-15.0\"");
            assertThat(PromtoolIT.check(promtool, body)).isEqualTo("exit 0");
        }
    }

    /** {@code run --simulate --sim-release freebsd-15.0}: promtool-clean, and every family it serves has its documented name. */
    @Test
    void theSimulatedFreeBsdServesCleanMetricsUnderOpenBsdsFamilyNames() throws Exception {
        Path promtool = PromtoolIT.promtool();
        String freeBsd = scrape(Map.of(ConfigKey.SIMULATE, "true", ConfigKey.SIMULATE_RELEASE, "freebsd-15.0"));
        assertThat(PromtoolIT.check(promtool, freeBsd)).isEqualTo("exit 0");
        java.util.Set<String> fb = families(freeBsd);
        assertThat(fb).contains("pf_label_bytes_total", "pf_interface_bytes_total", "pf_table_addresses", "pf_limit", "pf_states",
                "pf_states_by_protocol");
        // the documented families (exporter/README.md's table, one list for every platform), counters by their _total name
        java.util.Set<String> documented = new java.util.TreeSet<>();
        MetricsReference.load().values().forEach(e -> documented.add(e.family()));
        assertThat(fb.stream().filter(f -> f.startsWith("pf_") || f.startsWith("pfmeter_")))
                .as("every pf family served for FreeBSD has its documented (OpenBSD) name")
                .allSatisfy(f -> assertThat(documented).as(f).contains(f));
        assertThat(freeBsd).contains("abi_release=\"freebsd-15.0\"")
                .contains("pfmeter_subsystem_present{subsystem=\"state_limiters\",} 0.0");
    }

    /**
     * The daemon on {@code source}, its simulated time 10 minutes a second and a state-table breakdown
     * every second, scraped once the breakdown has states to count (the simulated table starts empty).
     */
    private String scrape(Map<ConfigKey, String> source) throws Exception {
        Map<ConfigKey, String> o = new java.util.EnumMap<>(source);
        o.put(ConfigKey.LISTEN, "127.0.0.1:0");
        o.put(ConfigKey.DATA_DIR, tmp.resolve("data-" + source.size()).toString());
        o.put(ConfigKey.SIMULATE_SPEED, "600");
        o.put(ConfigKey.STATES_INTERVAL, "1s");
        Config cfg = ConfigLoader.parse("test.conf", "accounting.enabled = false\n", o);
        try (Daemon d = Daemon.start(cfg, new Daemon.Options(Clock.systemUTC(), MBeanServerFactory.newMBeanServer(), false,
                Optional.empty()))) {
            HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + "/metrics")).build();
            String body = "";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!body.contains("# TYPE pf_states_by_protocol ") && System.nanoTime() < deadline) {
                d.poller().pollOnce();
                Thread.sleep(250);                    // the breakdown runs on its own thread after the poll
                body = HttpClient.newHttpClient().send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            }
            return body;
        }
    }

    private static java.util.Set<String> families(String exposition) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                names.add(line.split(" ")[2]);
            }
        }
        return names;
    }
}

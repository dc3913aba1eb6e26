package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.exporter.prometheus.CollectorsTest.samples;
import static org.pfmeter.exporter.prometheus.CollectorsTest.value;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.pfmeter.exporter.show.PfctlText;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.NamedCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TrafficCounters;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * A status with another kernel's tables and without the fields that kernel lacks (FreeBSD's, as
 * {@code PfnlStatus.toStatus} builds it): its own counter names become label values, and what it
 * does not report yields no sample and no line, never a 0.
 */
class PlatformStatusTest {

    static final long SINCE = 1_764_000_000L;

    static Status freeBsdLike() {
        NamedCounters fcnt = NamedCounters.of(List.of("searches", "inserts", "removals"), new long[] {30, 20, 10});
        return new Status(true, SINCE, 1, 0xefbeaddeL, 1, OptionalLong.empty(), 10, OptionalLong.empty(), 2,
                OptionalLong.empty(), false, Optional.empty(), new long[0],
                NamedCounters.of(List.of("match", "synproxy", "map-failed"), new long[] {100, 0, 7}),
                NamedCounters.of(List.of("max states per rule", "overload flush states"), new long[] {1, 2}),
                fcnt, fcnt, NamedCounters.empty(), new LogInterface("", TrafficCounters.ZERO), "ab".repeat(16),
                OptionalLong.empty(), OptionalLong.empty(), SinceClock.WALL_CLOCK);
    }

    /** FreeBSD's PF_LIMIT_* table: no "tables", "table-entries" at index 3. */
    static Limits freeBsdLimits() {
        return new Limits(NamedCounters.of(List.of("states", "src-nodes", "frags", "table-entries"),
                new long[] {200_000, 10_000, 5_000, 0xffff_ffffL}));
    }

    static PfSnapshot withStatus(PfSnapshot s, Status st) {
        return new PfSnapshot(s.takenAt(), s.duration(), s.abiRelease(), SubsystemResult.ok(st),
                SubsystemResult.ok(freeBsdLimits()), s.timeouts(),
                s.interfaces(), s.rules(), s.tables(), s.queues(), s.sourceNodes(), s.stateLimiters(), s.sourceLimiters(),
                s.pfsync(), s.tableAddresses());
    }

    static PfSnapshot snapshot() {
        return withStatus(CollectorsTest.poll(new SimConfig(7, AbiRelease.V7_8, SimScale.SMALL)), freeBsdLike());
    }

    @Test
    void metricsUseTheKernelsOwnNamesAndLeaveOutWhatItLacks() {
        List<MetricFamilySamples> f = CollectorsTest.collect(snapshot(), SeriesLimits.DEFAULT);
        assertThat(value(f, "pf_packets_total", "reason", "map_failed")).isEqualTo(7);
        assertThat(samples(f, "pf_packets_total")).hasSize(3);
        assertThat(samples(f, "pf_limit_events_total")).extracting(s -> s.labelValues.get(0))
                .containsExactly("max_states_per_rule", "overload_flush_states");
        assertThat(samples(f, "pf_fragment_operations_total")).isEmpty();
        for (String absent : List.of("pf_states_halfopen", "pf_fragments", "pf_syncookies_mode", "pf_syncookies_inflight",
                "pf_syncookies_watermark_states", "pf_since_uptime_seconds")) {
            assertThat(samples(f, absent)).as(absent).isEmpty();
        }
        assertThat(samples(f, "pf_limit_usage")).extracting(s -> s.labelValues.get(0)).doesNotContain("frags");
        assertThat(value(f, "pf_start_time_seconds")).as("wall-clock since is the start time").isEqualTo(SINCE);
        assertThat(value(f, "pf_states")).isEqualTo(10);
        assertThat(samples(f, "pf_info").get(0).labelValues).contains("0xdeadbeef");
    }

    @Test
    void limitsAreTheKernelsOwnTable() {
        List<MetricFamilySamples> f = CollectorsTest.collect(snapshot(), SeriesLimits.DEFAULT);
        assertThat(samples(f, "pf_limit")).extracting(s -> s.labelValues.get(0))
                .containsExactly("states", "src_nodes", "frags", "table_entries");
        assertThat(value(f, "pf_limit", "limit", "table_entries")).isEqualTo(Double.POSITIVE_INFINITY);
        String text = new PfctlText(snapshot(), false, Optional.empty(), java.time.ZoneOffset.UTC).render(PfctlText.Section.LIMITS);
        assertThat(text).contains("table-entries").contains("unlimited").doesNotContain("pktdelay");
    }

    @Test
    void showPrintsOnlyWhatTheKernelReported() {
        PfSnapshot s = snapshot();
        String text = new PfctlText(s, true, Optional.of(Instant.parse("2026-10-30T00:00:00Z")), java.time.ZoneOffset.UTC)
                .render(PfctlText.Section.INFO);
        assertThat(text).contains("map-failed").doesNotContain("translate").doesNotContain("half-open")
                .doesNotContain("Fragments").doesNotContain("mode").doesNotContain("in flight")
                .doesNotContain("Watermarks").contains("overload flush states");
        long runtime = s.takenAt().getEpochSecond() - SINCE;
        assertThat(text).contains(String.format("Status: Enabled for %d days", runtime / 86400));
    }
}

package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/** Every collector against the simulated pf: each value is exactly the snapshot's. */
class CollectorsTest {

    static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

    static PfSnapshot poll(SimConfig config, Fault... faults) {
        SimClock clock = SimClock.manual(START);
        SimulatedPf pf = new SimulatedPf(config, clock);
        clock.advance(Duration.ofHours(3));
        for (Fault f : faults) {
            pf.inject(f);
        }
        return new PfReader(pf, config.kernelRelease(), clock).poll();
    }

    static List<MetricFamilySamples> collect(PfSnapshot s, SeriesLimits limits) {
        return PfMetrics.collect(s, PollStats.NONE, java.time.Clock.fixed(s.takenAt(), java.time.ZoneOffset.UTC),
                Optional.of(Instant.parse("2026-10-30T00:00:00Z")), limits);
    }

    static List<Sample> samples(List<MetricFamilySamples> fams, String name) {
        return fams.stream().flatMap(f -> f.samples.stream()).filter(s -> s.name.equals(name)).toList();
    }

    static double value(List<MetricFamilySamples> fams, String name, String... labels) {
        List<Sample> m = samples(fams, name).stream().filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                int at = s.labelNames.indexOf(labels[i]);
                if (at < 0 || !s.labelValues.get(at).equals(labels[i + 1])) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(m).as(name + " " + List.of(labels)).hasSize(1);
        return m.get(0).value;
    }

    static double u(long v) {
        return Unsigned.toDouble(v);
    }

    @Test
    void statusFamiliesAreTheStatusCounters() {
        PfSnapshot s = poll(new SimConfig(7, AbiRelease.V7_8, SimScale.SMALL));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        Status st = s.status().value().orElseThrow();
        assertThat(value(f, "pf_up")).isEqualTo(1.0);
        assertThat(value(f, "pf_since_uptime_seconds")).isEqualTo(st.since());
        assertThat(value(f, "pf_start_time_seconds")).isEqualTo(Instant.parse("2026-10-30T00:00:00Z").getEpochSecond() + st.since());
        assertThat(samples(f, "pf_packets_total")).hasSize(Reason.values().length);
        for (Reason r : Reason.values()) {
            assertThat(value(f, "pf_packets_total", "reason", r.labelValue())).isEqualTo(u(st.counters().get(r)));
        }
        for (LimitCounter c : LimitCounter.values()) {
            assertThat(value(f, "pf_limit_events_total", "event", c.labelValue())).isEqualTo(u(st.limitCounters().get(c)));
        }
        for (TableOperation o : TableOperation.values()) {
            assertThat(value(f, "pf_state_operations_total", "operation", o.labelValue())).isEqualTo(u(st.stateOperations().get(o)));
            assertThat(value(f, "pf_src_node_operations_total", "operation", o.labelValue())).isEqualTo(u(st.srcNodeOperations().get(o)));
            assertThat(value(f, "pf_fragment_operations_total", "operation", o.labelValue())).isEqualTo(u(st.fragmentOperations().get(o)));
        }
        assertThat(value(f, "pf_state_operations_total", "operation", "inserts")).isPositive();
        assertThat(value(f, "pf_states")).isEqualTo(st.states());
        assertThat(value(f, "pf_states_halfopen")).isEqualTo(st.statesHalfopen().getAsLong());
        assertThat(value(f, "pf_src_nodes")).isEqualTo(st.srcNodes());
        assertThat(value(f, "pf_fragments")).isEqualTo(st.fragments().getAsLong());
        assertThat(value(f, "pf_syncookies_mode", "mode", "adaptive")).isEqualTo(1.0);
        assertThat(value(f, "pf_syncookies_mode", "mode", "never")).isEqualTo(0.0);
        assertThat(value(f, "pf_syncookies_watermark_states", "watermark", "high")).isEqualTo(2500.0);
        assertThat(value(f, "pf_syncookies_watermark_states", "watermark", "low")).isEqualTo(1250.0);
        assertThat(value(f, "pf_ruleset_info", "checksum", st.checksum())).isEqualTo(1.0);
        assertThat(value(f, "pf_info", "debug", "err")).isEqualTo(1.0);
        assertThat(value(f, "pf_loginterface_bytes_total", "interface", "em0", "af", "inet", "direction", "in"))
                .isEqualTo(u(st.logInterface().bytes(AddressFamily.INET, Direction.IN)));
        assertThat(value(f, "pf_loginterface_packets_total", "interface", "em0", "af", "inet6", "direction", "out", "action", "block"))
                .isEqualTo(u(st.logInterface().counters().packets(AddressFamily.INET6, Direction.OUT, Action.BLOCK)));
    }

    @Test
    void limitsAndUsageShareTheirLabelsAndTimeoutsAreInSeconds() {
        PfSnapshot s = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(value(f, "pf_limit", "limit", "states")).isEqualTo(10_000.0);
        for (PfLimit p : PfLimit.values()) {
            assertThat(value(f, "pf_limit", "limit", p.labelValue())).isEqualTo(u(s.limits().value().orElseThrow().get(p)));
        }
        assertThat(value(f, "pf_limit_usage", "limit", "states")).isEqualTo(s.status().value().orElseThrow().states());
        List<TableStats> tables = s.tables().value().orElseThrow();
        assertThat(value(f, "pf_limit_usage", "limit", "tables")).isEqualTo(8.0);
        assertThat(value(f, "pf_limit_usage", "limit", "table_entries")).isEqualTo(tables.stream().mapToLong(TableStats::addresses).sum());
        assertThat(value(f, "pf_limit_usage", "limit", "anchors")).isEqualTo(5.0);
        assertThat(samples(f, "pf_limit_usage")).extracting(x -> x.labelValues.get(0))
                .containsExactlyInAnyOrder("states", "src_nodes", "frags", "tables", "table_entries", "anchors");
        assertThat(samples(f, "pf_timeout_seconds")).hasSize(PfTimeout.values().length - 2);
        assertThat(value(f, "pf_timeout_seconds", "timeout", "tcp_established")).isEqualTo(86_400.0);
        assertThat(value(f, "pf_timeout_seconds", "timeout", "tcp_tsdiff")).isEqualTo(30.0);
        assertThat(value(f, "pf_timeout_adaptive_states", "threshold", "start")).isEqualTo(6000.0);
        assertThat(value(f, "pf_timeout_adaptive_states", "threshold", "end")).isEqualTo(12_000.0);
    }

    @Test
    void interfacesLabelsTablesAndQueuesAreThePolledOnes() {
        PfSnapshot s = poll(new SimConfig(3, AbiRelease.V7_9, SimScale.SMALL));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        List<InterfaceCounters> ifs = s.interfaces().value().orElseThrow();
        assertThat(samples(f, "pf_interface_states")).hasSize(ifs.size());
        for (InterfaceCounters i : ifs) {
            String kind = i.group() ? "group" : "interface";
            assertThat(value(f, "pf_interface_bytes_total", "interface", i.name(), "kind", kind, "af", "inet", "direction", "out", "action", "pass"))
                    .isEqualTo(u(i.counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS)));
            assertThat(value(f, "pf_interface_packets_total", "interface", i.name(), "kind", kind, "af", "inet6", "direction", "in", "action", "block"))
                    .isEqualTo(u(i.counters().packets(AddressFamily.INET6, Direction.IN, Action.BLOCK)));
            assertThat(value(f, "pf_interface_rules", "interface", i.name(), "kind", kind)).isEqualTo(i.rules());
        }
        assertThat(value(f, "pf_interface_skipped", "interface", "lo0", "kind", "interface")).isEqualTo(1.0);

        List<LabelCounters> labels = s.labels().orElseThrow();
        assertThat(labels).hasSize(SimScale.SMALL.labels());
        assertThat(samples(f, "pf_label_evaluations_total")).hasSize(36);
        for (LabelCounters l : labels) {
            assertThat(value(f, "pf_label_evaluations_total", "anchor", l.anchor(), "label", l.label())).isEqualTo(u(l.evaluations()));
            assertThat(value(f, "pf_label_bytes_total", "anchor", l.anchor(), "label", l.label(), "direction", "in")).isEqualTo(u(l.bytesIn()));
            assertThat(value(f, "pf_label_packets_total", "anchor", l.anchor(), "label", l.label(), "direction", "out")).isEqualTo(u(l.packetsOut()));
            assertThat(value(f, "pf_label_states", "anchor", l.anchor(), "label", l.label())).isEqualTo(u(l.statesCur()));
            assertThat(value(f, "pf_label_states_created_total", "anchor", l.anchor(), "label", l.label())).isEqualTo(u(l.statesTotal()));
            assertThat(value(f, "pf_label_rules", "anchor", l.anchor(), "label", l.label())).isEqualTo(l.rules());
        }
        for (TableStats t : s.tables().value().orElseThrow()) {
            assertThat(value(f, "pf_table_addresses", "anchor", t.anchor(), "table", t.name())).isEqualTo(u(t.addresses()));
            assertThat(value(f, "pf_table_matches_total", "anchor", t.anchor(), "table", t.name())).isEqualTo(u(t.match()));
            assertThat(value(f, "pf_table_nomatches_total", "anchor", t.anchor(), "table", t.name())).isEqualTo(u(t.nomatch()));
            assertThat(value(f, "pf_table_bytes_total", "anchor", t.anchor(), "table", t.name(), "direction", "out", "action", "xpass"))
                    .isEqualTo(u(t.bytes(Direction.OUT, TableAction.XPASS)));
        }
        List<QueueStats> queues = s.queues().value().orElseThrow();
        assertThat(queues).hasSize(SimScale.SMALL.queues());
        for (QueueStats q : queues) {
            assertThat(value(f, "pf_queue_transmitted_bytes_total", "queue", q.name(), "interface", q.ifname())).isEqualTo(u(q.transmittedBytes()));
            assertThat(value(f, "pf_queue_dropped_packets_total", "queue", q.name(), "interface", q.ifname())).isEqualTo(u(q.droppedPackets()));
            assertThat(value(f, "pf_queue_limit", "queue", q.name(), "interface", q.ifname())).isEqualTo(u(q.limit()));
        }
    }

    @Test
    void countersAbove2To63StayPositive() {
        PfSnapshot s = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL).withCounterStart(SimConfig.NEAR_2_63));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        long match = s.status().value().orElseThrow().counters().get(Reason.MATCH);
        assertThat(match).as("raw counter wrapped negative as a signed long").isNegative();
        assertThat(value(f, "pf_packets_total", "reason", "match")).isEqualTo(u(match)).isGreaterThan(9.2e18);
        assertThat(samples(f, "pf_label_bytes_total")).allSatisfy(x -> assertThat(x.value).isGreaterThanOrEqualTo(0));
        assertThat(samples(f, "pf_interface_bytes_total")).allSatisfy(x -> assertThat(x.value).isGreaterThanOrEqualTo(0));
    }

    @Test
    void aSubsystemTheKernelLacksIsNotPresentRatherThanDown() {
        PfSnapshot read = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL));
        PfSnapshot s = new PfSnapshot(read.takenAt(), read.duration(), read.abiRelease(), read.status(), read.limits(),
                read.timeouts(), read.interfaces(), read.rules(), read.tables(),
                org.pfmeter.pf.model.SubsystemResult.notPresent("this kernel has no queues"), read.sourceNodes(), read.stateLimiters(),
                read.sourceLimiters(),
                read.pfsync(), read.tableAddresses());
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(value(f, "pfmeter_subsystem_present", "subsystem", "queues")).isZero();
        assertThat(value(f, "pfmeter_subsystem_present", "subsystem", "rules")).isEqualTo(1.0);
        assertThat(samples(f, "pfmeter_subsystem_up")).noneMatch(x -> x.labelValues.contains("queues"));
        assertThat(value(f, "pfmeter_subsystem_up", "subsystem", "rules")).isEqualTo(1.0);
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void pfsyncFamiliesAreTheSysctlsCountersAndAbsentWithoutPfsync() {
        PfSnapshot s = poll(new SimConfig(3, AbiRelease.V7_8, SimScale.SMALL).withPfsync(true).withCounterStart(-1_000_000L));
        org.pfmeter.pf.model.PfsyncStats p = s.pfsync().value().orElseThrow();
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        long sent = p.get(org.pfmeter.pf.model.PfsyncCounter.OPACKETS);
        assertThat(sent).as("past 2^63: negative as a signed long").isNegative();
        assertThat(value(f, "pf_pfsync_packets_sent_total", "af", "inet")).isEqualTo(u(sent));
        assertThat(value(f, "pf_pfsync_packets_received_total", "af", "inet"))
                .isEqualTo(u(p.get(org.pfmeter.pf.model.PfsyncCounter.IPACKETS)));
        assertThat(value(f, "pf_pfsync_packets_received_total", "af", "inet6"))
                .isEqualTo(u(p.get(org.pfmeter.pf.model.PfsyncCounter.IPACKETS6)));
        assertThat(value(f, "pf_pfsync_stale_states_total")).isEqualTo(u(p.get(org.pfmeter.pf.model.PfsyncCounter.STALE)));
        assertThat(value(f, "pf_pfsync_send_errors_total")).isEqualTo(u(p.get(org.pfmeter.pf.model.PfsyncCounter.OERRORS)));
        assertThat(value(f, "pfmeter_subsystem_up", "subsystem", "pfsync")).isEqualTo(1.0);

        List<MetricFamilySamples> without = collect(poll(new SimConfig(3, AbiRelease.V7_8, SimScale.SMALL)), SeriesLimits.DEFAULT);
        assertThat(without).noneMatch(fam -> fam.name.startsWith("pf_pfsync_"));
        assertThat(value(without, "pfmeter_subsystem_present", "subsystem", "pfsync")).isZero();
        assertThat(samples(without, "pfmeter_subsystem_up")).noneMatch(x -> x.labelValues.contains("pfsync"));
    }

    @Test
    void aFailedSubsystemContributesNoFamiliesAndIsMarkedDown() {
        PfSnapshot s = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL), Fault.BUSY_ALWAYS);
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(samples(f, "pf_label_bytes_total")).isEmpty();
        assertThat(value(f, "pfmeter_subsystem_up", "subsystem", "rules")).isZero();
        assertThat(value(f, "pfmeter_subsystem_up", "subsystem", "tables")).isEqualTo(1.0);
        assertThat(samples(f, "pf_states")).hasSize(1);
        assertThat(f).noneMatch(fam -> fam.samples.isEmpty());
    }

    @Test
    void theCapsKeepTheFirstLabelsAndTablesAndSayHowManyWereLeftOut() {
        PfSnapshot s = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL));
        List<MetricFamilySamples> f = collect(s, new SeriesLimits(5, 3));
        assertThat(samples(f, "pf_label_evaluations_total")).hasSize(5)
                .extracting(x -> x.labelValues.get(1))
                .containsExactlyElementsOf(s.labels().orElseThrow().subList(0, 5).stream().map(LabelCounters::label).toList());
        assertThat(samples(f, "pf_table_addresses")).hasSize(3);
        assertThat(value(f, "pfmeter_series_omitted", "subsystem", "labels")).isEqualTo(31.0);
        assertThat(value(f, "pfmeter_series_omitted", "subsystem", "tables")).isEqualTo(5.0);
        assertThat(value(f, "pfmeter_series_limit", "subsystem", "labels")).isEqualTo(5.0);
    }

    @Test
    void unsignedConversionRoundsLikeTheExactValue() {
        assertThat(Unsigned.toDouble(0)).isZero();
        assertThat(Unsigned.toDouble(Long.MAX_VALUE)).isEqualTo(9.223372036854775807e18);
        assertThat(Unsigned.toDouble(Long.MIN_VALUE)).isEqualTo(9.223372036854775808e18);
        assertThat(Unsigned.toDouble(-1L)).isEqualTo(new java.math.BigInteger("18446744073709551615").doubleValue());
        assertThat(Unsigned.toDouble(-1025L)).isEqualTo(new java.math.BigInteger(Long.toUnsignedString(-1025L)).doubleValue());
    }

    @Test
    void thePollsAllocationIsPublishedOnlyWhenMeasured() {
        PfSnapshot s = poll(new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL));
        PollStats measured = new PollStats(1, 1, PollStats.NONE.errors(), Optional.of(s.takenAt()), Duration.ofMillis(3),
                Optional.of(s.takenAt()), 0, java.util.OptionalLong.of(123_456));
        PollStats unmeasured = new PollStats(1, 1, PollStats.NONE.errors(), Optional.of(s.takenAt()), Duration.ofMillis(3),
                Optional.of(s.takenAt()), 0, java.util.OptionalLong.empty());
        java.time.Clock at = java.time.Clock.fixed(s.takenAt(), java.time.ZoneOffset.UTC);
        SeriesLimits limits = new SeriesLimits(10_000, 2_000);
        List<MetricFamilySamples> with = PfMetrics.collect(s, measured, at, Optional.empty(), limits);
        List<MetricFamilySamples> without = PfMetrics.collect(s, unmeasured, at, Optional.empty(), limits);
        assertThat(value(with, "pfmeter_poll_allocated_bytes")).isEqualTo(123_456);
        assertThat(samples(without, "pfmeter_poll_allocated_bytes")).isEmpty();
        assertThat(samples(without, "pfmeter_poll_duration_seconds")).hasSize(1);
    }
}

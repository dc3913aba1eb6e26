package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.exporter.prometheus.CollectorsTest.samples;
import static org.pfmeter.exporter.prometheus.CollectorsTest.value;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TrafficCounters;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/** FreeBSD's kifs carry no state count: no pf_interface_states sample for them, never a 0. */
class FreeBsdInterfacesTest {

    @Test
    void aKifWithoutAStateCountHasNoStatesSample() {
        PfSnapshot s = CollectorsTest.poll(new SimConfig(7, AbiRelease.V7_8, SimScale.SMALL));
        TrafficCounters c = TrafficCounters.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[8]);
        List<InterfaceCounters> kifs = List.of(
                new InterfaceCounters("em0", false, List.of(), 0, 1_764_000_000L, 0, 3, c, false),
                new InterfaceCounters("vtnet0", false, List.of(), 0, 1_764_000_000L, 42, 1, c));
        PfSnapshot freebsd = new PfSnapshot(s.takenAt(), s.duration(), s.abiRelease(), s.status(), s.limits(), s.timeouts(),
                SubsystemResult.ok(kifs), s.rules(), s.tables(), s.queues(), s.sourceNodes(), s.stateLimiters(),
                s.sourceLimiters(), s.pfsync(), s.tableAddresses());
        List<MetricFamilySamples> f = CollectorsTest.collect(freebsd, SeriesLimits.DEFAULT);
        assertThat(samples(f, "pf_interface_states")).extracting(x -> x.labelValues.get(0)).containsExactly("vtnet0");
        assertThat(value(f, "pf_interface_rules", "interface", "em0", "kind", "interface")).isEqualTo(3);
        assertThat(value(f, "pf_interface_packets_total", "interface", "em0", "kind", "interface", "af", "inet",
                "direction", "in", "action", "pass")).isEqualTo(1);
    }
}

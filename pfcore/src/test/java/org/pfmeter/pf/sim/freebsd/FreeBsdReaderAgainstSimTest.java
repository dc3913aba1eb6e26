package org.pfmeter.pf.sim.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.abi.AbiRelease;
import java.util.HashSet;
import java.util.Set;

/**
 * The existing FreeBSD reader against the simulated FreeBSD: what it reads equals what the simulated
 * kernel holds (status counters by name, limits, timeouts, tables) and the per-label sums equal the
 * ground truth, with two-label rules counted in both labels.
 */
class FreeBsdReaderAgainstSimTest {

    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    static SimulatedFreeBsd sim(FreeBsdRelease release) {
        return new SimulatedFreeBsd(7, SimScale.SMALL, release, SimClock.manual(START));
    }

    static Map<LabelKey, LabelCounters> byKey(PfSnapshot s) {
        Map<LabelKey, LabelCounters> m = new LinkedHashMap<>();
        for (LabelCounters l : s.rules().value().orElseThrow().labels()) {
            m.put(l.key(), l);
        }
        return m;
    }

    static void assertMatchesTruth(Map<LabelKey, LabelCounters> read, GroundTruth truth) {
        assertThat(read.keySet().stream().filter(k -> !k.label().isEmpty()).toList())
                .containsExactlyInAnyOrderElementsOf(truth.labels().keySet());
        truth.labels().forEach((k, t) -> {
            GroundTruth.Counts o = t.observable();
            LabelCounters l = read.get(k);
            assertThat(new long[] {l.packetsIn(), l.packetsOut(), l.bytesIn(), l.bytesOut()}).as(k.toString())
                    .containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
        });
    }

    @ParameterizedTest
    @EnumSource(FreeBsdRelease.class)
    void aPollReadsWhatTheKernelHolds(FreeBsdRelease release) {
        SimulatedFreeBsd pf = sim(release);
        FreeBsdPfReader reader = new FreeBsdPfReader(pf.netlink(), pf.clock());
        pf.advance(Duration.ofHours(5));
        PfSnapshot s = reader.poll();

        assertThat(reader.family().orElseThrow().id()).isEqualTo(SimulatedRelease.of(release).familyId());
        Status kernel = pf.kernel().status();
        Status st = s.status().value().orElseThrow();
        assertThat(st.states()).isEqualTo(kernel.states());
        assertThat(st.srcNodes()).isEqualTo(kernel.srcNodes());
        assertThat(st.hostid()).isEqualTo(kernel.hostid());
        assertThat(st.checksum()).isEqualTo(kernel.checksum());
        assertThat(st.since()).isBetween(pf.since(), pf.since() + 1);
        for (String name : List.of("match", "fragment", "short", "normalize", "state-mismatch", "state-limit")) {
            assertThat(st.counters().find(name)).as(name).isEqualTo(kernel.counters().find(name));
        }
        assertThat(st.counters().find("map-failed")).isEqualTo(kernel.counters().find("translate"));
        assertThat(st.limitCounters().size()).isEqualTo(10);
        assertThat(st.stateOperations().find("inserts")).isEqualTo(kernel.stateOperations().find("inserts"));
        assertThat(st.logInterface().ifname()).isEqualTo(kernel.logInterface().ifname());
        assertThat(st.logInterface().counters().packetsArray()).containsExactly(kernel.logInterface().counters().packetsArray());
        assertThat(st.fragments().isPresent()).isEqualTo(release == FreeBsdRelease.FREEBSD_15_0);

        long[] openbsd = pf.kernel().limits();
        assertThat(s.limits().value().orElseThrow().values().toArray())
                .containsExactly(openbsd[0], openbsd[1], openbsd[2], openbsd[4]);
        long[] timeouts = pf.kernel().timeouts();
        assertThat(s.timeouts().value().orElseThrow().values().toArray())
                .containsExactly(java.util.Arrays.copyOf(timeouts, PfTimeout.values().length));

        List<TableStats> tables = s.tables().value().orElseThrow();
        assertThat(tables).containsExactlyElementsOf(pf.kernel().tables());

        assertMatchesTruth(byKey(s), pf.groundTruth());
        assertThat(s.sourceNodes().isOk()).isTrue();
        assertThat(s.sourceNodes().value().orElseThrow().nodes()).isEqualTo(kernel.srcNodes());
        org.pfmeter.pf.model.SourceNodes nodes = s.sourceNodes().value().orElseThrow();
        org.pfmeter.pf.model.SourceNodes nodeTruth = pf.kernel().pf().sourceNodeTruth(10_000, 10);
        assertThat(nodes.nodes()).isPositive().isEqualTo(nodeTruth.nodes());
        assertThat(nodes.groups().stream().mapToLong(g -> g.states()).sum())
                .isEqualTo(nodeTruth.groups().stream().mapToLong(g -> g.states()).sum());
        assertThat(nodes.top()).extracting(n -> n.address()).containsExactlyElementsOf(
                nodeTruth.top().stream().map(n -> n.address()).toList());
    }

    @Test
    void aRuleWithTwoLabelsCountsInBoth() {
        SimulatedFreeBsd pf = sim(FreeBsdRelease.FREEBSD_15_0);
        FreeBsdPfReader reader = new FreeBsdPfReader(pf.netlink(), pf.clock());
        pf.advance(Duration.ofHours(2));
        int twoLabels = -1;
        for (int i = 0; i < pf.kernel().rules(); i++) {
            if (pf.ruleLabels(i).size() == 2 && pf.kernel().peekRule(i).bytesIn() > 0) {
                twoLabels = i;
                break;
            }
        }
        assertThat(twoLabels).as("the SMALL firewall has a two-label rule with traffic").isNotNegative();
        List<String> labels = pf.ruleLabels(twoLabels);
        Map<LabelKey, LabelCounters> read = byKey(reader.poll());
        GroundTruth truth = pf.groundTruth();
        long bytesIn = pf.kernel().peekRule(twoLabels).bytesIn();
        for (String l : labels) {
            LabelKey k = new LabelKey("", l);
            assertThat(read.get(k).bytesIn()).as(l).isGreaterThanOrEqualTo(bytesIn);
            assertThat(truth.labels().get(k).counted().bytesIn()).as(l).isGreaterThanOrEqualTo(bytesIn);
        }
        assertMatchesTruth(read, truth);
    }

    @Test
    void theSameSeedGivesTheSameTrafficAsTheOpenBsdSimulator() {
        SimulatedFreeBsd free = sim(FreeBsdRelease.FREEBSD_15_0);
        SimulatedPf open = new SimulatedPf(new SimConfig(7, AbiRelease.V8_0, SimScale.SMALL), SimClock.manual(START));
        free.advance(Duration.ofDays(1));
        open.advance(Duration.ofDays(1));
        Set<String> second = new HashSet<>();
        for (int i = 0; i < free.kernel().rules(); i++) {
            List<String> l = free.ruleLabels(i);
            if (l.size() > 1) {
                second.addAll(l.subList(1, l.size()));
            }
        }
        GroundTruth f = free.groundTruth();
        GroundTruth o = open.groundTruth();
        assertThat(second).as("some rules carry a second label").isNotEmpty();
        int compared = 0;
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : o.labels().entrySet()) {
            if (!second.contains(e.getKey().label())) {
                assertThat(f.labels().get(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20);
        for (String l : second) {
            assertThat(f.labels()).containsKey(new LabelKey("", l));
        }
    }

    @Test
    void sinceJittersByASecondOnTheWireButTheReaderHoldsItSteady() {
        SimulatedFreeBsd pf = sim(FreeBsdRelease.FREEBSD_15_0);
        org.pfmeter.pf.abi.netlink.NetlinkSocket raw = pf.netlink();
        FreeBsdPfReader reader = new FreeBsdPfReader(pf.netlink(), pf.clock());
        Set<Long> wire = new HashSet<>();
        Set<Long> read = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            raw.send(org.pfmeter.pf.abi.netlink.PfnlStatus.request(pf.familyId(), i + 1));
            wire.add(org.pfmeter.pf.abi.netlink.PfnlStatus.decode(
                    org.pfmeter.pf.abi.netlink.NetlinkMessage.parseAll(raw.receive()).get(0)).since());
            while (true) {
                try {
                    raw.receive();
                } catch (org.pfmeter.pf.abi.PfDeviceException e) {
                    break;
                }
            }
            read.add(reader.poll().status().value().orElseThrow().since());
            pf.advance(Duration.ofSeconds(7));
        }
        assertThat(wire).containsExactlyInAnyOrder(pf.since(), pf.since() + 1);
        assertThat(read).hasSize(1);
    }
}

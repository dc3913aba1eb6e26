package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.sim.Sims.iface;
import static org.pfmeter.pf.sim.Sims.interfaces;
import static org.pfmeter.pf.sim.Sims.label;
import static org.pfmeter.pf.sim.Sims.queues;
import static org.pfmeter.pf.sim.Sims.rules;
import static org.pfmeter.pf.sim.Sims.status;
import static org.pfmeter.pf.sim.Sims.tables;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SyncookieMode;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.TrafficCounters;

/** PfReader against the simulator decodes exactly the simulator's own state, subsystem by subsystem. */
class SimulatedPfRoundTripTest {

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void aPollDecodesTheSimulatorsOwnStateInEveryRelease(AbiRelease release) {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release));
        sim.advance(Duration.ofHours(5).plusSeconds(17));
        PfSnapshot s = Sims.reader(sim).poll();
        SimulatedPf.Expected e = sim.expected();

        assertThat(s.errors()).isEmpty();
        assertThat(s.abiRelease()).isEqualTo(release.version());
        assertThat(s.status().value()).contains(e.status());
        assertThat(s.limits().value()).contains(e.limits());
        assertThat(s.timeouts().value()).contains(e.timeouts());
        assertThat(s.interfaces().value()).contains(e.interfaces());
        assertThat(s.rules().value()).contains(e.rules());
        assertThat(s.tables().value()).contains(e.tables());
        assertThat(s.queues().value()).contains(e.queues());
    }

    @Test
    void theSmallFirewallHasTheSizesItsScaleAnnounces() {
        PfSnapshot s = Sims.reader(Sims.small()).poll();
        assertThat(rules(s)).hasSize(SimScale.SMALL.rules());
        assertThat(s.labels().orElseThrow()).hasSize(SimScale.SMALL.labels());
        assertThat(tables(s)).hasSize(SimScale.SMALL.tables());
        assertThat(interfaces(s).stream().filter(i -> !i.group())).hasSize(SimScale.SMALL.interfaces());
        assertThat(queues(s)).hasSize(SimScale.SMALL.queues());
        assertThat(s.rules().value().orElseThrow().anchors())
                .containsExactly("", "customers", "customers/acme", "customers/globex", "customers/globex/web", "office");
        assertThat(interfaces(s)).extracting(InterfaceCounters::name).containsExactly(
                "all", "egress", "em0", "em1", "em2", "lo", "lo0", "pflog", "pflog0", "vlan", "vlan100", "vlan200", "vlan300");
    }

    @Test
    void labelsSpreadOverNestedAnchorsSomeSharedAndAnchorCallsCountTheirAnchorsRules() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        PfSnapshot s = Sims.reader(sim).poll();
        List<RuleCounters> rules = rules(s);

        assertThat(rules).anyMatch(r -> r.label().isEmpty() && r.anchorCall().isEmpty() && r.bytesIn() > 0);
        assertThat(s.labels().orElseThrow()).anyMatch(l -> l.rules() > 1);
        assertThat(label(s, "customers/globex/web", "globex-https").rules()).isEqualTo(2);
        assertThat(label(s, "", "lan-web").rules()).isEqualTo(3);
        // pf_counters_inc(): the innermost anchor rule counts what its anchor's own rules match
        for (RuleCounters call : rules.stream().filter(r -> !r.anchorCall().isEmpty()).toList()) {
            String child = call.anchor().isEmpty() ? call.anchorCall() : call.anchor() + "/" + call.anchorCall();
            List<RuleCounters> inside = rules.stream().filter(r -> r.anchor().equals(child) && r.anchorCall().isEmpty()).toList();
            assertThat(call.bytesIn()).as(child).isEqualTo(inside.stream().mapToLong(RuleCounters::bytesIn).sum());
            assertThat(call.packetsOut()).as(child).isEqualTo(inside.stream().mapToLong(RuleCounters::packetsOut).sum());
            assertThat(call.statesCur()).as(child).isEqualTo(inside.stream().mapToLong(RuleCounters::statesCur).sum());
        }
        assertThat(rules.stream().filter(r -> !r.anchorCall().isEmpty()).map(RuleCounters::anchorCall))
                .containsExactlyInAnyOrder("office", "customers", "acme", "globex", "web");
        // every main-ruleset rule is evaluated for every packet without a state: PFRES_MATCH
        long match = status(s).counters().get(Reason.MATCH);
        assertThat(match).isPositive();
        assertThat(rules.stream().filter(r -> r.anchor().isEmpty())).allSatisfy(r -> assertThat(r.evaluations()).isEqualTo(match));
    }

    @Test
    void interfaceCountersAgreeWithRulesGroupsAndTheLogInterface() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(95));
        PfSnapshot s = Sims.reader(sim).poll();
        Status st = status(s);

        // groups carry no counters of their own: the reader adds up their members
        InterfaceCounters vlan = iface(s, "vlan");
        assertThat(vlan.members()).containsExactly("vlan100", "vlan200", "vlan300");
        assertThat(vlan.counters()).isEqualTo(iface(s, "vlan100").counters().plus(iface(s, "vlan200").counters())
                .plus(iface(s, "vlan300").counters()));
        assertThat(iface(s, "egress").counters()).isEqualTo(iface(s, "em0").counters());
        assertThat(iface(s, "egress").rules()).isPositive();
        assertThat(iface(s, "all").members()).hasSize(8);
        // floating states hang off the "all" kif
        assertThat(iface(s, "all").states()).isEqualTo(st.states()).isPositive();
        assertThat(interfaces(s).stream().filter(i -> !i.name().equals("all"))).allSatisfy(i -> assertThat(i.states()).isZero());
        // set skip on lo
        assertThat(iface(s, "lo0").skipped()).isTrue();
        assertThat(iface(s, "lo").skipped()).isTrue();
        assertThat(iface(s, "em0").skipped()).isFalse();
        assertThat(iface(s, "lo0").counters()).isEqualTo(TrafficCounters.ZERO);
        // blocks count under action "block", both address families move on em0
        TrafficCounters em0 = iface(s, "em0").counters();
        assertThat(em0.packets(AddressFamily.INET, Direction.IN, Action.BLOCK)).isPositive();
        assertThat(em0.packets(AddressFamily.INET6, Direction.OUT, Action.PASS)).isPositive();
        assertThat(em0.packets(AddressFamily.INET, Direction.OUT, Action.BLOCK)).isZero();
        // set loginterface em0: pcounters are its packets, bcounters its bytes of both actions
        assertThat(st.logInterface().ifname()).isEqualTo("em0");
        for (AddressFamily af : AddressFamily.values()) {
            for (Direction d : Direction.values()) {
                for (Action a : Action.values()) {
                    assertThat(st.logInterface().counters().packets(af, d, a)).isEqualTo(em0.packets(af, d, a));
                }
                assertThat(st.logInterface().bytes(af, d)).isEqualTo(em0.bytes(af, d, Action.PASS) + em0.bytes(af, d, Action.BLOCK));
            }
        }
        // every packet on every interface is a state search
        long packets = interfaces(s).stream().filter(i -> !i.group())
                .mapToLong(i -> sum(i.counters().packetsArray())).sum();
        assertThat(st.stateOperations().get(TableOperation.SEARCH)).isEqualTo(packets);
        // the rules' packets are the interfaces' packets
        long rulePackets = rules(s).stream().filter(r -> r.anchorCall().isEmpty())
                .mapToLong(r -> r.packetsIn() + r.packetsOut()).sum();
        assertThat(rulePackets).isEqualTo(packets);
    }

    @Test
    void statusLimitsAndTimeoutsLookLikeAKernelThatHasBeenUpForDays() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(30));
        PfSnapshot s = Sims.reader(sim).poll();
        Status st = status(s);
        assertThat(st.running()).isTrue();
        assertThat(st.since()).isBetween(20L, 40L);
        assertThat(st.debug()).isEqualTo(3);
        assertThat(st.reass()).isEqualTo(1);
        assertThat(st.hostid()).isNotZero();
        assertThat(st.checksum()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(st.syncookiesMode().orElseThrow()).isEqualTo(SyncookieMode.ADAPTIVE);
        assertThat(st.syncookiesActive()).isFalse();
        assertThat(st.states()).isBetween(100L, 6000L);
        assertThat(st.statesHalfopen().getAsLong()).isPositive().isLessThan(st.states());
        assertThat(st.srcNodes()).isPositive();
        assertThat(st.fragments().getAsLong()).isNotNegative();
        assertThat(st.stateOperations().get(TableOperation.INSERT) - st.stateOperations().get(TableOperation.REMOVAL))
                .isEqualTo(st.states());
        assertThat(st.srcNodeOperations().get(TableOperation.INSERT) - st.srcNodeOperations().get(TableOperation.REMOVAL))
                .isEqualTo(st.srcNodes());
        assertThat(st.fragmentOperations().get(TableOperation.INSERT) - st.fragmentOperations().get(TableOperation.REMOVAL))
                .isEqualTo(st.fragments().getAsLong());
        assertThat(st.counters().get(Reason.STATE_MISMATCH)).isPositive();
        assertThat(st.stateid().getAsLong() >>> 32).isGreaterThan(1_700_000_000L);
        // SMALL lowers the state limit so that STATE_RAMP reaches it; everything else is the kernel's default
        var limits = s.limits().value().orElseThrow();
        assertThat(limits.get(PfLimit.STATES)).isEqualTo(10_000);
        assertThat(limits.get(PfLimit.TABLES)).isEqualTo(1_000);
        assertThat(limits.get(PfLimit.ANCHORS)).isEqualTo(512);
        var timeouts = s.timeouts().value().orElseThrow();
        assertThat(timeouts.get(PfTimeout.TCP_ESTABLISHED)).isEqualTo(86_400);
        assertThat(timeouts.get(PfTimeout.TS_DIFF)).isEqualTo(30);
        assertThat(timeouts.get(PfTimeout.ADAPTIVE_START)).isEqualTo(6_000);
        assertThat(st.syncookieHiwat().getAsLong()).isEqualTo(2_500);
        assertThat(st.syncookieLowat().getAsLong()).isEqualTo(1_250);
    }

    @Test
    void tablesFollowTheRulesThatNameThemAndQueuesTheEgressTraffic() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        PfSnapshot s = Sims.reader(sim).poll();

        // kernel order: by name, then anchor
        assertThat(tables(s)).extracting(t -> t.anchor() + ":" + t.name()).containsExactly(
                "customers/acme:acme-nets", ":admins", ":bruteforce", "customers/globex:globex-nets", ":lan-nets",
                ":mailservers", "office:printers", ":webservers");
        TableStats web = tables(s).stream().filter(t -> t.name().equals("webservers")).findFirst().orElseThrow();
        LabelCounters https = label(s, "", "dmz-https");
        LabelCounters alt = label(s, "", "dmz-alt");
        LabelCounters http = label(s, "", "dmz-http");
        assertThat(web.packets(Direction.IN, TableAction.PASS)).isEqualTo(https.packetsIn() + alt.packetsIn() + http.packetsIn());
        assertThat(web.bytes(Direction.OUT, TableAction.PASS)).isEqualTo(https.bytesOut() + alt.bytesOut() + http.bytesOut());
        assertThat(web.match()).isEqualTo(https.statesTotal() + alt.statesTotal() + http.statesTotal());
        assertThat(web.refRules()).isEqualTo(4);
        assertThat(web.flagLetters()).isEqualTo("c-a-r--");
        TableStats brute = tables(s).stream().filter(t -> t.name().equals("bruteforce")).findFirst().orElseThrow();
        assertThat(brute.packets(Direction.IN, TableAction.BLOCK)).isEqualTo(label(s, "", "bruteforce-drop").packetsIn());

        List<QueueStats> q = queues(s);
        assertThat(q).extracting(QueueStats::name)
                .containsExactly("rootq", "std", "voip", "bulk", "customers", "cust-acme", "cust-globex", "lanq");
        assertThat(q.stream().filter(x -> x.kind() == QueueStats.Kind.FQ_CODEL)).extracting(QueueStats::name).containsExactly("lanq");
        assertThat(q.get(7).flows()).isPositive();
        // HFSC counts on leaf classes: what em0 sent is what its leaves transmitted or dropped
        TrafficCounters em0 = iface(s, "em0").counters();
        long sent = em0.packets(AddressFamily.INET, Direction.OUT, Action.PASS) + em0.packets(AddressFamily.INET6, Direction.OUT, Action.PASS);
        long queued = q.stream().filter(x -> x.ifname().equals("em0"))
                .mapToLong(x -> x.transmittedPackets() + x.droppedPackets()).sum();
        assertThat(queued).isEqualTo(sent);
        assertThat(q.get(0).transmittedPackets()).isZero();                   // the root class holds no packets
        assertThat(q.get(3).droppedPackets()).isPositive();                    // bulk drops
        assertThat(q.stream().filter(x -> x.ifname().equals("em0")).map(QueueStats::parent).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("", "rootq", "customers");
    }

    @Test
    void trafficFollowsTheDay() {
        SimulatedPf sim = Sims.small();              // starts Monday 08:00 UTC
        var reader = Sims.reader(sim);
        long before = label(reader.poll(), "office", "office-web").bytesIn();
        sim.advance(Duration.ofHours(5));            // 13:00: office peak
        long afterPeakHour = label(reader.poll(), "office", "office-web").bytesIn();
        long peakHour = afterPeakHour - label(reader.poll(), "office", "office-web").bytesIn();
        assertThat(peakHour).isZero();               // the clock stood still: nothing moved
        sim.advance(Duration.ofHours(1));
        long peak = label(reader.poll(), "office", "office-web").bytesIn() - afterPeakHour;
        sim.advance(Duration.ofHours(12));           // 02:00 at night
        long night0 = label(reader.poll(), "office", "office-web").bytesIn();
        sim.advance(Duration.ofHours(1));
        long night = label(reader.poll(), "office", "office-web").bytesIn() - night0;
        assertThat(before).isZero();
        assertThat(peak).isGreaterThan(3 * night);
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }
}
